package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// shutdownGrace bounds how long a shutdown waits for scrapes in flight.
const shutdownGrace = 5 * time.Second

// handler serves /metrics from reg's gatherer (OpenMetrics when asked), /-/healthy
// and /-/ready.
func (e *exporter) handler(errorLog *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(e.registry(), promhttp.HandlerOpts{EnableOpenMetrics: true, ErrorLog: errorLog}))
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "OK\n")
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !e.ready() {
			http.Error(w, "not ready: no refresh has succeeded yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "OK\n")
	})
	return mux
}

// serve listens on c.listen, refreshes in the background every c.interval and serves
// until ctx ends, then shuts down gracefully (shutdownGrace) and returns nil.
func serve(ctx context.Context, c config, e *exporter, logger *slog.Logger) error {
	l, err := net.Listen("tcp", c.listen)
	if err != nil {
		return usageError(fmt.Errorf("--listen %s: %w: give a free host:port", c.listen, err))
	}
	errorLog := slog.NewLogLogger(logger.Handler(), slog.LevelError)
	srv := &http.Server{Handler: e.handler(errorLog), ReadHeaderTimeout: 10 * time.Second, ErrorLog: errorLog}
	logger.Info("listening", "addr", l.Addr().String(), "interval", c.interval, "timeout", c.timeout)

	loopCtx, stopLoop := context.WithCancel(ctx)
	defer stopLoop()
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		e.loop(loopCtx, c.interval, time.After)
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()

	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopLoop()
	<-loopDone
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutting down: %w", err)
	}
	logger.Info("stopped")
	return nil
}
