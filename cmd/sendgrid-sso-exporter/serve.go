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

// serverLimits bound what one client may hold of the HTTP server: a connection that
// sends its request too slowly, reads the response too slowly or stays idle too long
// is closed, and a request's header is kept small. In Kubernetes the exporter listens
// on 0.0.0.0, so any pod that reaches it is such a client.
type serverLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// defaultLimits are serve's. A scrape is a GET of a few hundred bytes of header and
// no body, answered from memory: /metrics at 1,000 certificates takes 4 to 6 ms
// (make bench-exporter), so 30 seconds to read the request and 30 to write the
// response are thousands of times the worst scrape and above Prometheus' default
// scrape_timeout (10 s), which gives up first. Idle: 2 minutes keeps a connection
// alive between scrapes at the usual intervals (up to a minute). 16 KiB of header
// is ample for Prometheus' (about 300 bytes) and far under net/http's 1 MB default.
var defaultLimits = serverLimits{
	readHeader:     10 * time.Second,
	read:           30 * time.Second,
	write:          30 * time.Second,
	idle:           2 * time.Minute,
	maxHeaderBytes: 16 << 10,
}

// newServer is the HTTP server of h, within l, logging to errorLog.
func newServer(h http.Handler, errorLog *log.Logger, l serverLimits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeader,
		ReadTimeout:       l.read,
		WriteTimeout:      l.write,
		IdleTimeout:       l.idle,
		MaxHeaderBytes:    l.maxHeaderBytes,
		ErrorLog:          errorLog,
	}
}

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
	srv := newServer(e.handler(errorLog), errorLog, defaultLimits)
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
