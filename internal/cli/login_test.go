package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestLoginPrintsTheURLAloneAndNeverOpensIt(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	before := time.Now()
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, ExitOK)

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
	t.Parallel()
	fake := clitest.NewFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "login", "no-such-account")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "AuthenticateAccount", "404 Not Found")
	if r.Stdout != "" {
		t.Errorf("stdout is not empty: %q", r.Stdout)
	}
}

// TestLoginUntrustedLocation: a 303 to a foreign host is refused (exit 1) and the error
// names the host, never the code.
func TestLoginUntrustedLocation(t *testing.T) {
	t.Parallel()
	const code = "ONE-TIME-CODE-NEVER-PRINT-ME"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://evil.example.com/login?code="+code)
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "login", "acct")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "evil.example.com")
	if strings.Contains(r.Stderr+r.Stdout, code) {
		t.Errorf("output shows the one-time code:\nstdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	}
}

// --verbose writes a line per attempt, retry and failure to stderr: the operation, the
// status, the login's host; never the key or the code.
func TestVerbose(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	fake.FailNext(1, ssotest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--verbose", "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, ExitOK)
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

// TestLoginKeepsTheURLOrSaysSo: a login printed nowhere is a code wasted. With stdout
// on /dev/null login refuses before minting one (exit 2); when the URL cannot be
// written (a full disk, a reader that went away) it exits 5 and says a login was
// lost. Never exit 0 or 3, never the code on stderr. A closed stdout, and SIGPIPE,
// are the process's: cmd/sendgrid-sso tests them.
func TestLoginKeepsTheURLOrSaysSo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		stdout func(t *testing.T) io.Writer
		exit   int
		minted int
		want   string
	}{
		{"/dev/null", func(t *testing.T) io.Writer { return devNull(t) }, ExitUsage, 0, "stdout is /dev/null (or was closed"},
		{"a full disk", func(*testing.T) io.Writer { return fullDisk{} }, ExitOutput, 1,
			"writing the login URL to stdout: write /dev/stdout: no space left on device: a login was minted but not shown; it expires unused at "},
		{"a closed pipe", closedPipe, ExitOutput, 1, ": broken pipe: a login was minted but not shown; it expires unused at "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := clitest.NewFake(t)
			r := ssoTo(t, tc.stdout(t), clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
			r.WantExit(t, tc.exit)
			r.WantStderr(t, tc.want)
			if n := fake.Requests(); n != tc.minted {
				t.Errorf("the fake answered %d requests, want %d", n, tc.minted)
			}
			if strings.Contains(r.Stderr, "code=") || strings.Contains(r.Stderr, fake.URL+"/") {
				t.Errorf("stderr shows the login URL:\n%s", r.Stderr)
			}
		})
	}
}

// closedPipe is the write end of a pipe whose reader has gone, closed when the test
// ends.
func closedPipe(t *testing.T) io.Writer {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	t.Cleanup(func() { pw.Close() })
	return pw
}

// TestLoginURLIsEscaped: the login URL's query is the server's text; a bidi override in
// it does not reach the terminal raw, and the URL stays one a browser can open: bytes
// outside printable ASCII are percent-encoded.
func TestLoginURLIsEscaped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://"+r.Host+"/login?code=abc\u202eXYZ\u009b2J")
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "login", "acct")
	r.WantExit(t, ExitOK)
	wantNoRawControl(t, r)
	if want := srv.URL + `/login?code=abc%E2%80%AEXYZ%C2%9B2J` + "\n"; r.Stdout != want {
		t.Errorf("stdout = %q, want %q", r.Stdout, want)
	}
}
