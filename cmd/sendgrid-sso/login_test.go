package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestLoginPrintsTheURLAloneAndNeverOpensIt(t *testing.T) {
	fake := clitest.NewFake(t)
	before := time.Now()
	r := sso(t, clitest.KeyEnv(), "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, cli.ExitOK)

	line, ok := strings.CutSuffix(r.Stdout, "\n")
	if !ok || strings.Contains(line, "\n") {
		t.Fatalf("stdout is not one line: %q", r.Stdout)
	}
	u, err := url.Parse(line)
	if err != nil || !strings.HasPrefix(line, fake.URL+"/") || u.Query().Get("code") == "" {
		t.Fatalf("stdout %q is not a login URL with a code on the fake", line)
	}
	if n := fake.LoginsFollowed(); n != 0 {
		t.Errorf("the login URL was requested %d times; sendgrid-sso must never open it", n)
	}
	if strings.Contains(r.Stderr, u.Query().Get("code")) {
		t.Errorf("stderr repeats the one-time code:\n%s", r.Stderr)
	}

	// stderr says when it expires: 60 s after the answer.
	_, rest, _ := strings.Cut(r.Stderr, "expires ")
	stamp, _, _ := strings.Cut(rest, " ")
	exp, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		t.Fatalf("stderr does not say when the URL expires (RFC 3339): %q", r.Stderr)
	}
	if lo, hi := before.Add(time.Minute).Truncate(time.Second), time.Now().Add(time.Minute); exp.Before(lo) || exp.After(hi) {
		t.Errorf("expires %v, want between %v and %v (60 s after the answer)", exp, lo, hi)
	}

	// The code is unspent: the person who opens the URL gets in, once.
	resp, err := http.Get(line)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("opening the printed URL: %s, want 200 (the code should be unspent)", resp.Status)
	}
}

func TestLoginUnknownAccountIsAnAPIError(t *testing.T) {
	fake := clitest.NewFake(t)
	r := sso(t, clitest.KeyEnv(), "--base-url", fake.URL, "login", "no-such-account")
	r.WantExit(t, cli.ExitAPI)
	r.WantStderr(t, "AuthenticateAccount", "404 Not Found")
	if r.Stdout != "" {
		t.Errorf("stdout is not empty: %q", r.Stdout)
	}
}

// TestLoginUntrustedLocation: a 303 to a foreign host is refused (exit 1) and the error
// names the host, never the code.
func TestLoginUntrustedLocation(t *testing.T) {
	const code = "ONE-TIME-CODE-NEVER-PRINT-ME"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://evil.example.com/login?code="+code)
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(), "--base-url", srv.URL, "login", "acct")
	r.WantExit(t, cli.ExitAPI)
	r.WantStderr(t, "evil.example.com")
	if strings.Contains(r.Stderr+r.Stdout, code) {
		t.Errorf("output shows the one-time code:\nstdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	}
}

// --verbose writes a line per attempt, retry and failure to stderr: the operation, the
// status, the login's host; never the key or the code.
func TestVerbose(t *testing.T) {
	fake := clitest.NewFake(t)
	fake.FailNext(1, ssotest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	r := sso(t, clitest.KeyEnv(), "--verbose", "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, cli.ExitOK)
	r.WantStderr(t,
		`level=DEBUG msg="sendgrid attempt" operation=AuthenticateAccount attempt=1 method=POST path=/v3/partners/accounts/`+ssotest.DefaultAccountID+"/sso",
		"status=429",
		`level=WARN msg="sendgrid retry" operation=AuthenticateAccount attempt=1 wait=1s`,
		"attempt=2", "status=303", "location_host=")
	u, err := url.Parse(strings.TrimSpace(r.Stdout))
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("stdout %q is not the login URL", r.Stdout)
	}
	for _, secret := range []string{u.Query().Get("code"), fake.APIKey} {
		if strings.Contains(r.Stderr, secret) {
			t.Errorf("--verbose shows a secret %q:\n%s", secret, r.Stderr)
		}
	}
	if strings.Contains(r.Stderr, "time=") {
		t.Errorf("--verbose lines carry timestamps:\n%s", r.Stderr)
	}
}
