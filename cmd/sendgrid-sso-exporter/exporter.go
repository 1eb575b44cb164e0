package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/inventory"
	"github.com/sendgrid-sso/sendgrid-sso/internal/metrics"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// The exporter's own metric names.
const (
	metricLastSuccess   = "sendgrid_sso_exporter_last_refresh_success_timestamp_seconds"
	metricRefreshErrors = "sendgrid_sso_exporter_refresh_errors_total"
	metricBuildInfo     = "sendgrid_sso_exporter_build_info"
)

// jitter is the spread of the refresh interval: ±10%.
const jitter = 0.1

// exporter reads the API in the background (refresh, loop) and serves the last
// successful read to every scrape (Collect): a scrape never calls the API.
type exporter struct {
	client   inventory.Lister
	metadata []string // --idp-metadata sources, read at every refresh
	timeout  time.Duration
	log      *slog.Logger
	// redact are the secrets (the API key) no log line may hold.
	redact []string
	// now is the clock; tests set it.
	now func() time.Time
	// readMetadata reads one --idp-metadata source (cli.ReadIdPMetadata).
	readMetadata func(context.Context, string) (*idpmetadata.Metadata, error)

	// snapshot is the const metrics of the last successful refresh (nil before).
	snapshot atomic.Pointer[[]prometheus.Metric]
	errors   prometheus.Counter
	success  prometheus.Gauge
}

// newExporter returns an exporter that reads with client and the metadata sources,
// each refresh within timeout.
func newExporter(client inventory.Lister, metadata []string, timeout time.Duration, log *slog.Logger) *exporter {
	return &exporter{
		client: client, metadata: metadata, timeout: timeout, log: log,
		now:          time.Now,
		readMetadata: cli.ReadIdPMetadata,
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: metricRefreshErrors,
			Help: "Refreshes (reads of the API and of the IdP metadata) that failed; the metrics keep the last successful refresh's values."}),
		success: prometheus.NewGauge(prometheus.GaugeOpts{Name: metricLastSuccess,
			Help: "When the last successful refresh ended, unix seconds (0: none yet). Alert on time() minus it."}),
	}
}

// registry is a registry with the exporter's collector, its own metrics, build_info
// and the client library's go_ and process_ collectors.
func (e *exporter) registry() *prometheus.Registry {
	version, revision, goVersion := cli.BuildInfo()
	if revision == "" {
		revision = "unknown"
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: metricBuildInfo,
		Help:        "1, labelled with the exporter's version, source revision and Go version.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion}})
	build.Set(1)
	reg := prometheus.NewRegistry()
	reg.MustRegister(e, e.errors, e.success, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// ready reports whether a refresh has succeeded.
func (e *exporter) ready() bool { return e.snapshot.Load() != nil }

// Describe sends nothing: the certificate families change with the account, so the
// collector is unchecked (prometheus.Collector).
func (e *exporter) Describe(chan<- *prometheus.Desc) {}

// Collect sends the metrics of the last successful refresh, built once by it.
func (e *exporter) Collect(ch chan<- prometheus.Metric) {
	if s := e.snapshot.Load(); s != nil {
		for _, m := range *s {
			ch <- m
		}
	}
}

// refresh reads everything within e.timeout and, when all of it was read, replaces
// the snapshot; on any error it keeps the snapshot, counts the error and logs it
// (without the key). A refresh cut short because ctx ended (the shutdown) is no
// failure: it is neither counted nor logged as an error.
func (e *exporter) refresh(ctx context.Context) error {
	start := e.now()
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	ms, certs, err := e.read(ctx)
	if err != nil && parent.Err() != nil {
		e.log.Info("refresh stopped: shutting down", "took", e.now().Sub(start))
		return parent.Err()
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (timed out after --timeout %v)", err, e.timeout)
		}
		err = redact.Error(err, e.redact...)
		e.errors.Inc()
		e.log.Error("refresh failed; serving the last successful refresh's values", "err", err, "took", e.now().Sub(start))
		return err
	}
	e.snapshot.Store(&ms)
	end := e.now()
	e.success.Set(float64(end.UnixNano()) / 1e9)
	e.log.Info("refresh succeeded", "certificates", certs, "took", end.Sub(start))
	return nil
}

// read reads the metadata and the account (inventory.Read) and builds the const
// metrics; it fails on any error, an integration whose certificates could not be
// listed included, so that a refresh serves all or nothing new.
func (e *exporter) read(ctx context.Context) ([]prometheus.Metric, int, error) {
	var md *idpmetadata.Metadata
	for _, src := range e.metadata {
		m, err := e.readMetadata(ctx, src)
		if err != nil {
			return nil, 0, err
		}
		md = merge(md, m)
	}
	integrations, err := inventory.Read(ctx, e.client, nil)
	if err != nil {
		return nil, 0, err
	}
	for _, in := range integrations {
		if in.Err != nil {
			return nil, 0, fmt.Errorf("listing the certificates of integration %q: %w", in.ID, in.Err)
		}
	}
	in := input(integrations, md, e.now())
	ms, err := constMetrics(metrics.Families(in))
	return ms, len(in.Certs), err
}

// merge adds the entities and signing certificates of b to a (nil: none).
func merge(a, b *idpmetadata.Metadata) *idpmetadata.Metadata {
	if a == nil {
		return b
	}
	return &idpmetadata.Metadata{
		SigningCertificates: append(append([]idpmetadata.Certificate{}, a.SigningCertificates...), b.SigningCertificates...),
		Entities:            append(append([]idpmetadata.Entity{}, a.Entities...), b.Entities...),
	}
}

// input is what the families show of integrations as of now: every certificate, its
// window (check.Window) and, with metadata, whether the entity of its integration
// signs with it and the rollover pending of each integration (inventory.Judge).
// check_success is 1 for a certificate that parses and, with metadata, matches.
func input(integrations []inventory.Integration, md *idpmetadata.Metadata, now time.Time) metrics.Input {
	in := metrics.Input{Metadata: md}
	for i := range integrations {
		ig := &integrations[i]
		in.Integrations = append(in.Integrations, ig.Integration)
		var entity *idpmetadata.Entity
		if md != nil {
			if e, _, err := inventory.Judge(md, inventory.EntityOf(&ig.Integration, ""), nil); err == nil {
				entity = &e
			}
		}
		for _, c := range ig.Certificates {
			m := metrics.Cert{ID: strconv.FormatInt(c.ID, 10)}
			if x, err := c.X509(); err == nil {
				m.Fetched, m.IntegrationID = true, c.IntegrationID
				m.NotBefore, m.NotAfter = check.Window(&c, x)
				m.Passed = md == nil
				if entity != nil {
					matched := check.MatchEntity(x, *entity).Matched()
					m.IdPMatch, m.Passed = &matched, matched
				}
			}
			in.Certs = append(in.Certs, m)
		}
	}
	if md != nil {
		in.Pending = inventory.RolloverPending(md, integrations, "", now)
	}
	return in
}

// constMetrics turns fams into const gauges, built once per refresh and sent to every
// scrape.
func constMetrics(fams []metrics.Family) ([]prometheus.Metric, error) {
	var out []prometheus.Metric
	for _, f := range fams {
		if len(f.Samples) == 0 {
			continue
		}
		var names []string
		for i := 0; i < len(f.Samples[0].Labels); i += 2 {
			names = append(names, f.Samples[0].Labels[i])
		}
		desc := prometheus.NewDesc(f.Name, f.Help, names, nil)
		values := make([]string, len(names))
		for _, s := range f.Samples {
			for i := range values {
				values[i] = s.Labels[2*i+1]
			}
			m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, float64(s.Value), values...)
			if err != nil {
				return nil, fmt.Errorf("metric %s: %w", f.Name, err)
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// loop refreshes at once, then every interval with ±10% jitter, until ctx ends.
// after is the clock's timer (time.After; tests give their own).
func (e *exporter) loop(ctx context.Context, interval time.Duration, after func(time.Duration) <-chan time.Time) {
	for {
		_ = e.refresh(ctx) // logged and counted by refresh
		select {
		case <-ctx.Done():
			return
		case <-after(jittered(interval, rand.Float64())):
		}
	}
}

// jittered is d spread by ±10%: u, in [0, 1), picks where.
func jittered(d time.Duration, u float64) time.Duration {
	return time.Duration(float64(d) * (1 - jitter + 2*jitter*u))
}
