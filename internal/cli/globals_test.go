package cli

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// callAPI routes the process's standard logger (ProcessEnv's), where net/http logs a
// server's stray bytes, through the client's redaction: a log line that carries the
// key or a login code reaches stderr without them, and without control characters.
// It sets the standard logger, so it does not run in parallel.
func TestCallAPIRoutesTheStandardLogger(t *testing.T) {
	const key = "SG.cli-log-key-NEVER-PRINT-ME.0123"
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	var stderr bytes.Buffer
	env := ProcessEnv()
	g := &globals{baseURL: srv.URL, timeout: defaultTimeout, getenv: func(string) string { return key },
		stdout: &bytes.Buffer{}, stderr: &stderr, log: env.Log}
	_, err := callAPI(context.Background(), g, func(ctx context.Context, c *wrapper.Client) (*wrapper.Certificate, error) {
		log.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=<nil>", "Location: /l?code=OTC-NEVER-PRINT-ME")
		log.Printf("echo %s \x1b[31m", key)
		return c.GetSSOCertificate(ctx, "1")
	})
	if err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	if strings.Count(out, "\n") != 2 || strings.Contains(out, "NEVER-PRINT-ME") || strings.Contains(out, "\x1b") {
		t.Errorf("stderr = %q: want two redacted lines, no secret, no escape character", out)
	}
}

// TestBaseURLOverridesTheRegion: with --base-url the region's API is not called (the
// one request of each run reaches the fake at --base-url), and a bad SENDGRID_REGION no
// longer matters. That --region and SENDGRID_REGION pick the region's host is seen
// through a recording proxy in cmd/sendgrid-sso (TestRegionSelectsTheAPIHost).
func TestBaseURLOverridesTheRegion(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	id := strconv.Itoa(ssotest.DefaultCertificateID)
	sso(t, clitest.KeyEnv(fake.APIKey), "--region", "eu", "--base-url", fake.URL, "cert", id).WantExit(t, ExitOK)
	sso(t, clitest.KeyEnv(fake.APIKey, "SENDGRID_REGION=mars"), "--base-url", fake.URL, "cert", id).WantExit(t, ExitOK)
	if n := fake.Requests(); n != 2 {
		t.Errorf("the fake at --base-url answered %d requests, want 2", n)
	}
}
