package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

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

// heldDeadline is a context whose deadline has passed and which has not ended yet:
// the instant between a deadline and the cancellation it brings, held still.
type heldDeadline struct {
	context.Context
	at time.Time
}

// Deadline is the passed deadline.
func (c heldDeadline) Deadline() (time.Time, bool) { return c.at, true }

// TestTimeoutNamedAtTheDeadline: a call that ends with an error at --timeout's
// deadline is said to have timed out, even before the context says it has ended. A
// login's attempt has a timer of its own set to that deadline (wrapper's detached
// attempt), which can fire first: "sendgrid-sso --timeout 200ms login" then left out
// which flag to raise, as TestTimeoutExits3 showed now and then. A deadline error
// before --timeout's deadline (the client's per-attempt bound) is not --timeout's.
func TestTimeoutNamedAtTheDeadline(t *testing.T) {
	t.Parallel()
	deadlineErr := fmt.Errorf("post: %w", context.DeadlineExceeded)
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		timeout time.Duration
		named   bool
	}{
		{"at the deadline, the context not ended yet", heldDeadline{context.Background(), time.Now().Add(-time.Millisecond)}, 200 * time.Millisecond, true},
		{"before the deadline", context.Background(), time.Hour, false},
	} {
		g := &globals{timeout: tc.timeout}
		_, err := withTimeout(tc.ctx, g, func(context.Context) (struct{}, error) { return struct{}{}, deadlineErr })
		if named := strings.Contains(err.Error(), "(timed out after --timeout "+tc.timeout.String()+")"); named != tc.named || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %q; want --timeout named: %v", tc.name, err, tc.named)
		}
	}
}
