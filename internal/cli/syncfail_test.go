package cli

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// failing puts a proxy in front of fake that answers 400 to the requests fail picks
// and passes the others on; it returns the proxy's URL.
func failing(t *testing.T, fake *ssotest.Server, fail func(*http.Request) bool) string {
	t.Helper()
	target, err := url.Parse(fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errors":[{"field":null,"message":"refused by the test"}]}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCertAllListFails: an integration whose certificates cannot be listed is
// reported on stderr by its ID and sets the exit status; the others are shown.
func TestCertAllListFails(t *testing.T) {
	t.Parallel()
	fake, _ := allFake(t)
	base := failing(t, fake, func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/integrations/entra/") })
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", base, "cert", "--all", "--json")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "integration entra: ", "refused by the test")
	if n := strings.Count(r.Stdout, "\n"); n != 1 || !strings.Contains(r.Stdout, `"id":7`) {
		t.Errorf("stdout has %d lines, want okta's certificate 7 alone:\n%s", n, r.Stdout)
	}
}

// TestSyncApplyUploadFails: a refused upload is reported, shown as not uploaded, and
// sets the exit status; nothing is claimed uploaded.
func TestSyncApplyUploadFails(t *testing.T) {
	t.Parallel()
	fake, md, next, _, _ := rolloverSetup(t)
	base := failing(t, fake, func(r *http.Request) bool { return r.Method == http.MethodPost })
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", base, "sync", "--idp-metadata", md, "--apply")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, `integration "okta": uploading `+clitest.Fingerprint(next), "refused by the test")
	if !strings.Contains(r.Stdout, "NOT UPLOADED "+clitest.Fingerprint(next)) || strings.Contains(r.Stdout, "uploaded     ") {
		t.Errorf("stdout:\n%s", r.Stdout)
	}
}

// TestCertAllWithinRateLimit: with a budget of 2 calls per window, cert --all's four
// calls meet 429s; the client waits out Retry-After and every certificate is shown.
func TestCertAllWithinRateLimit(t *testing.T) {
	t.Parallel()
	fake, ids := allFake(t, ssotest.WithRateLimit(2, 50*time.Millisecond))
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--json")
	r.WantExit(t, ExitOK)
	if n := strings.Count(r.Stdout, "\n"); n != len(ids) || r.Stderr != "" {
		t.Errorf("%d lines, want %d; stderr:\n%s", n, len(ids), r.Stderr)
	}
}
