package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The scale targets of the exporter (BENCHMARKS.md, "The exporter"): with 1,000
// certificates, a scrape takes at most 50 ms (median) and the process's peak RSS
// stays at most 64 MiB. make bench runs these benchmarks; they are never timed tests.
// Each benchmark fails above its target: the RSS one on every run, the median one
// from 100 scrapes up (make bench runs 200), so that bench-smoke's single scrape on a
// loaded CI machine cannot fail it by chance.

// Targets of the scale promise.
const (
	targetScrapeP50 = 50 * time.Millisecond
	targetPeakRSS   = 64 // MiB
)

// benchCertificates is the account size of the scale targets.
const benchCertificates = 1000

// largeFake is a fake serving benchCertificates certificates over 10 integrations.
func largeFake(tb testing.TB) *ssotest.Server {
	tb.Helper()
	opts := []ssotest.Option{ssotest.WithAPIKey(clitest.NewKey())}
	const perIntegration = benchCertificates / 10
	for i := range 10 {
		in := ssotest.DefaultIntegration()
		in.ID, in.Name = "integration-"+strconv.Itoa(i), "Integration "+strconv.Itoa(i)
		opts = append(opts, ssotest.WithIntegration(in))
		for j := range perIntegration {
			c := ssotest.DefaultCertificate()
			c.ID, c.IntegrationID = int64(1000+i*perIntegration+j), in.ID
			opts = append(opts, ssotest.WithCertificate(c))
		}
	}
	srv := ssotest.NewServer(opts...)
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkScrape1000Certificates is one scrape of /metrics over loopback HTTP with
// 1,000 certificates in the snapshot; it reports the median scrape (p50-ms) beside
// the mean (ns/op).
func BenchmarkScrape1000Certificates(b *testing.B) {
	fake := largeFake(b)
	client, err := wrapper.New(fake.APIKey, wrapper.WithBaseURL(fake.URL))
	if err != nil {
		b.Fatal(err)
	}
	e := newExporter(client, nil, time.Minute, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := e.refresh(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(e.handler(nil))
	b.Cleanup(srv.Close)
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		scrapeOnce(b, srv.URL+"/metrics")
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	p50 := took[len(took)/2]
	b.ReportMetric(float64(p50)/float64(time.Millisecond), "p50-ms")
	if len(took) >= 100 && p50 > targetScrapeP50 {
		b.Errorf("median scrape of %d certificates took %v, above the %v target", benchCertificates, p50, targetScrapeP50)
	}
}

// scrapeOnce GETs url and reads the whole body.
func scrapeOnce(tb testing.TB, url string) int64 {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	return n
}
