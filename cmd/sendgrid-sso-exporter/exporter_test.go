package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// syncBuffer is a log destination the refresh goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testExporter is an exporter reading from baseURL with key, logging into log, with a
// clock fixed at now.
func testExporter(t *testing.T, baseURL, key string, metadata []string, log *syncBuffer) *exporter {
	t.Helper()
	client, err := wrapper.New(key, wrapper.WithBaseURL(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	e := newExporter(client, metadata, time.Minute, slog.New(slog.NewTextHandler(log, nil)))
	e.redact = []string{key}
	return e
}

// scrape serves h one GET of path with the Accept header accept ("" for none).
func scrape(t *testing.T, h http.Handler, path, accept string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// families parses a text-format /metrics body.
func families(t *testing.T, body string) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v\n%s", err, body)
	}
	return fams
}

// gauge is the value of the only sample of family name, failing the test if there is
// not exactly one.
func only(t *testing.T, fams map[string]*dto.MetricFamily, name string) float64 {
	t.Helper()
	ms := fams[name].GetMetric()
	if len(ms) != 1 {
		t.Fatalf("%d samples of %s, want 1", len(ms), name)
	}
	if c := ms[0].GetCounter(); c != nil {
		return c.GetValue()
	}
	return ms[0].GetGauge().GetValue()
}

// failingLister answers every list with err when fail is set, else asks next.
type failingLister struct {
	next interface {
		ListSSOIntegrations(context.Context) ([]wrapper.Integration, error)
		ListSSOCertificates(context.Context, string) ([]wrapper.Certificate, error)
	}
	mu   sync.Mutex
	fail error
}

func (l *failingLister) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fail
}

func (l *failingLister) ListSSOIntegrations(ctx context.Context) ([]wrapper.Integration, error) {
	if err := l.err(); err != nil {
		return nil, err
	}
	return l.next.ListSSOIntegrations(ctx)
}

func (l *failingLister) ListSSOCertificates(ctx context.Context, id string) ([]wrapper.Certificate, error) {
	if err := l.err(); err != nil {
		return nil, err
	}
	return l.next.ListSSOCertificates(ctx, id)
}

// TestRefreshFailureKeepsLastGoodValues: after a successful refresh, a failed one
// leaves the certificate series as they were, adds one to the error counter and
// leaves the last-success timestamp where it was; readiness stays.
func TestRefreshFailureKeepsLastGoodValues(t *testing.T) {
	t.Parallel()
	soon := ssotest.DefaultCertificate().ExpiringIn(10 * 24 * time.Hour)
	fake := clitest.NewFake(t, ssotest.WithCertificate(soon))
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	lister := &failingLister{next: e.client}
	e.client = lister
	clock := time.Unix(1_800_000_000, 0)
	e.now = func() time.Time { return clock }
	h := e.handler(nil)

	if err := e.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := families(t, scrape(t, h, "/metrics", "").Body.String())
	if v := only(t, first, metricNotAfterName); v != float64(soon.NotAfter.Unix()) {
		t.Fatalf("not_after %v, want %v", v, soon.NotAfter.Unix())
	}
	if v := only(t, first, metricLastSuccess); v != float64(clock.Unix()) {
		t.Errorf("last success %v, want %v", v, clock.Unix())
	}

	lister.mu.Lock()
	lister.fail = errors.New("the API is down")
	lister.mu.Unlock()
	clock = clock.Add(time.Hour)
	if err := e.refresh(context.Background()); err == nil {
		t.Fatal("the refresh succeeded with the API down")
	}
	second := families(t, scrape(t, h, "/metrics", "").Body.String())
	if v := only(t, second, metricNotAfterName); v != float64(soon.NotAfter.Unix()) {
		t.Errorf("after a failed refresh, not_after %v, want the last good %v", v, soon.NotAfter.Unix())
	}
	if v := only(t, second, metricLastSuccess); v != float64(clock.Add(-time.Hour).Unix()) {
		t.Errorf("after a failed refresh, last success %v, want the first refresh's %v", v, clock.Add(-time.Hour).Unix())
	}
	if v := only(t, second, metricRefreshErrors); v != 1 {
		t.Errorf("refresh errors %v, want 1", v)
	}
	if code := scrape(t, h, "/-/ready", "").Code; code != http.StatusOK {
		t.Errorf("/-/ready %d after a failed refresh that followed a good one, want 200", code)
	}
	if !strings.Contains(log.String(), "the API is down") {
		t.Errorf("the failure is not logged:\n%s", log.String())
	}
}

const metricNotAfterName = "sendgrid_sso_certificate_not_after_timestamp_seconds"

// TestScrapeNeverCallsTheAPI: scrapes are served from the refresh's snapshot; the
// fake counts no request beyond the refresh's.
func TestScrapeNeverCallsTheAPI(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	h := e.handler(nil)
	if err := e.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := fake.Requests()
	if after != 2 { // the integrations, then the certificates of the only one
		t.Errorf("the refresh made %d requests, want 2", after)
	}
	for range 5 {
		if rec := scrape(t, h, "/metrics", ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), metricNotAfterName) {
			t.Fatalf("/metrics: %d\n%s", rec.Code, rec.Body.String())
		}
	}
	if n := fake.Requests(); n != after {
		t.Errorf("5 scrapes made %d API requests, want none", n-after)
	}
}

// TestReadyAfterFirstSuccess: /-/ready is 503 until a refresh succeeds (a failed one
// does not count), then 200; /-/healthy is 200 throughout.
func TestReadyAfterFirstSuccess(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	lister := &failingLister{next: e.client, fail: errors.New("not yet")}
	e.client = lister
	h := e.handler(nil)
	want := func(stage string, ready int) {
		t.Helper()
		if code := scrape(t, h, "/-/ready", "").Code; code != ready {
			t.Errorf("%s: /-/ready %d, want %d", stage, code, ready)
		}
		if code := scrape(t, h, "/-/healthy", "").Code; code != http.StatusOK {
			t.Errorf("%s: /-/healthy %d, want 200", stage, code)
		}
	}
	want("before any refresh", http.StatusServiceUnavailable)
	_ = e.refresh(context.Background())
	want("after a failed refresh", http.StatusServiceUnavailable)
	lister.mu.Lock()
	lister.fail = nil
	lister.mu.Unlock()
	if err := e.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want("after a successful refresh", http.StatusOK)
}

// TestRateLimitedRefreshWaits: a 429 during a refresh waits as the client's retry
// policy says (Retry-After) and the refresh then succeeds with every certificate.
func TestRateLimitedRefreshWaits(t *testing.T) {
	t.Parallel()
	second := ssotest.DefaultIntegration()
	second.ID = "second-integration"
	cert2 := ssotest.DefaultCertificate()
	cert2.ID, cert2.IntegrationID = 7, second.ID
	// Three calls: the list, then two integrations' certificates, the first of which is
	// answered 429 with Retry-After. A queued fault, not a spent budget on the wall
	// clock (WithRateLimit(2, time.Second) was): on a loaded machine the window could
	// end between the list and the certificates, and no call was answered 429.
	fake := clitest.NewFake(t, ssotest.WithIntegration(ssotest.DefaultIntegration()), ssotest.WithIntegration(second),
		ssotest.WithCertificate(ssotest.DefaultCertificate()), ssotest.WithCertificate(cert2))
	fake.FailNext(1, ssotest.Fault{})
	fake.FailNext(1, ssotest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	if err := e.refresh(context.Background()); err != nil {
		t.Fatalf("refresh: %v\n%s", err, log.String())
	}
	if n := fake.Requests(); n != 4 {
		t.Errorf("%d requests, want 4 (three calls and the retry of the one answered 429)", n)
	}
	fams := families(t, scrape(t, e.handler(nil), "/metrics", "").Body.String())
	if n := len(fams[metricNotAfterName].GetMetric()); n != 2 {
		t.Errorf("%d certificates served, want 2", n)
	}
}

// TestRefreshFailureNeverLogsTheKey: a server that echoes the request's credentials
// in its error answer makes the refresh fail; the log says so, without the key.
func TestRefreshFailureNeverLogsTheKey(t *testing.T) {
	t.Parallel()
	key := clitest.NewKey()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"errors":[{"field":null,"message":"bad key: `+r.Header.Get("Authorization")+`"}]}`)
	}))
	t.Cleanup(srv.Close)
	for _, format := range []string{"text", "json"} {
		var log syncBuffer
		e := testExporter(t, srv.URL, key, nil, &log)
		l, err := newLogger(format, &log)
		if err != nil {
			t.Fatal(err)
		}
		e.log = l
		if err := e.refresh(context.Background()); err == nil {
			t.Fatal("the refresh succeeded against a server answering 401")
		}
		out := log.String()
		if !strings.Contains(out, "refresh failed") || !strings.Contains(out, "401") {
			t.Errorf("%s: the log does not report the failed refresh:\n%s", format, out)
		}
		if strings.Contains(out, key) || strings.Contains(out, strings.TrimPrefix(key, "SG.")) {
			t.Errorf("%s: the log holds the API key:\n%s", format, out)
		}
	}
}

// TestOpenMetricsNegotiation: /metrics answers OpenMetrics to a scraper that asks for
// it, and the text format 0.0.4 otherwise.
func TestOpenMetricsNegotiation(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	if err := e.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := e.handler(nil)
	om := scrape(t, h, "/metrics", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
	if ct := om.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") {
		t.Errorf("asked for OpenMetrics, got Content-Type %q", ct)
	}
	if body := om.Body.String(); !strings.HasSuffix(body, "# EOF\n") || !strings.Contains(body, metricNotAfterName) {
		t.Errorf("the OpenMetrics body lacks its series or its # EOF:\n%s", body)
	}
	if ct := scrape(t, h, "/metrics", "").Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("asked for nothing, got Content-Type %q", ct)
	}
}

// TestMetricsAreCertAllFamilies: with IdP metadata, /metrics serves exactly the
// series of 'sendgrid-sso cert --all --format prometheus --idp-metadata' (the same
// families, labels and values: package metrics), rollover and IdP certificates
// included, beside the exporter's own, build_info, go_ and process_.
func TestMetricsAreCertAllFamilies(t *testing.T) {
	t.Parallel()
	next := clitest.NewCert(t, "next.idp.test")
	in := ssotest.DefaultIntegration()
	fake := clitest.NewFake(t, ssotest.WithIntegration(in), ssotest.WithCertificate(ssotest.DefaultCertificate()))
	metadata := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(metadata, []byte(clitest.IdPMetadata(in.EntityID, nil, clitest.DefaultX509(t), next)), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := func(name string) string { return map[string]string{"SENDGRID_API_KEY": fake.APIKey}[name] }
	if code := cli.Run(context.Background(), []string{"--base-url", fake.URL, "cert", "--all", "--format", "prometheus", "--idp-metadata", metadata},
		cli.Env{Getenv: env, Stdout: &stdout, Stderr: &stderr}); code != 0 {
		t.Fatalf("cert --all: exit %d\n%s", code, stderr.String())
	}
	want := families(t, stdout.String())
	for _, name := range []string{"sendgrid_sso_idp_rollover_pending", "sendgrid_sso_idp_certificate_not_after_timestamp_seconds", "sendgrid_sso_certificate_idp_metadata_match"} {
		if want[name] == nil {
			t.Fatalf("cert --all printed no %s: the comparison would prove little\n%s", name, stdout.String())
		}
	}

	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, []string{metadata}, &log)
	if err := e.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := families(t, scrape(t, e.handler(nil), "/metrics", "").Body.String())
	for _, own := range []string{metricBuildInfo, metricLastSuccess, metricRefreshErrors, "go_goroutines", "process_start_time_seconds"} {
		if got[own] == nil {
			t.Errorf("/metrics lacks %s", own)
		}
	}
	for name, f := range got {
		if !strings.HasPrefix(name, "sendgrid_sso_") || strings.HasPrefix(name, "sendgrid_sso_exporter_") {
			delete(got, name)
			continue
		}
		if w := want[name]; w == nil || w.GetHelp() != f.GetHelp() || w.GetType() != f.GetType() {
			t.Errorf("%s: the exporter's family differs from cert --all's in help or type, or cert --all has none", name)
		}
	}
	if g, w := series(got), series(want); g != w {
		t.Errorf("the exporter serves\n%s\ncert --all prints\n%s", g, w)
	}
}

// series is every sample of fams, one line each, sorted.
func series(fams map[string]*dto.MetricFamily) string {
	var lines []string
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			slices.Sort(labels) // the client library sorts them; the text writer keeps the families' order
			lines = append(lines, name+"{"+strings.Join(labels, ",")+"} "+model.SampleValue(m.GetGauge().GetValue()).String())
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// blockingLister lists nothing: each call waits for its context to end.
type blockingLister struct{ started chan struct{} }

func (l blockingLister) ListSSOIntegrations(ctx context.Context) ([]wrapper.Integration, error) {
	close(l.started)
	<-ctx.Done()
	return nil, ctx.Err()
}

func (blockingLister) ListSSOCertificates(ctx context.Context, _ string) ([]wrapper.Certificate, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestShutdownDuringRefreshIsNoFailure: a refresh cut short by the shutdown (its
// context cancelled mid-call) is not counted in refresh_errors_total and logs no
// error record, so that stopping the exporter pages nobody.
func TestShutdownDuringRefreshIsNoFailure(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	e := testExporter(t, "http://127.0.0.1:1", clitest.NewKey(), nil, &log)
	l := blockingLister{started: make(chan struct{})}
	e.client = l
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.refresh(ctx) }()
	<-l.started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("refresh: %v, want context.Canceled", err)
	}
	fams := families(t, scrape(t, e.handler(nil), "/metrics", "").Body.String())
	if v := only(t, fams, metricRefreshErrors); v != 0 {
		t.Errorf("refresh errors %v after a shutdown mid-refresh, want 0", v)
	}
	if out := log.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "shutting down") {
		t.Errorf("the log of a shutdown mid-refresh has an error record, or no note of the shutdown:\n%s", out)
	}
}
