package main

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// TestFakeServesUntilInterrupted: the announcement's "Try it" lines, pasted into a
// shell with sendgrid-sso on PATH, work as shown; Ctrl-C stops the fake with a count.
func TestFakeServesUntilInterrupted(t *testing.T) {
	t.Parallel()
	path := "PATH=" + filepath.Dir(cliBin)
	f := clitest.StartFake(t, bin, []string{path}, "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(f.URL, "http://127.0.0.1:") || strings.HasSuffix(f.URL, ":0") {
		t.Fatalf("URL = %q, want http://127.0.0.1 and the port it listens on", f.URL)
	}
	if f.APIKey == "" || f.CertificateID == "" || f.AccountID == "" {
		t.Fatalf("the fake did not print its key, a certificate ID and an account ID: %+v", f)
	}
	if len(f.Try) != 3 || !strings.HasPrefix(f.Try[0], "export SENDGRID_API_KEY=") {
		t.Fatalf("Try it: %q, want the export, a cert and a login line", f.Try)
	}

	runTryIt(t, f, path)

	status, stderr := f.Interrupt(t)
	if status != 0 {
		t.Fatalf("the fake after Ctrl-C: exit status %d, want 0; stderr:\n%s", status, stderr)
	}
	if rep, err := clitest.ParseReport(stderr); err != nil || rep != (clitest.Report{Requests: 2}) {
		t.Errorf("report %+v, %v; want 2 requests and nothing else", rep, err)
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("a fake on loopback warns:\n%s", stderr)
	}
	// The process has exited, so its port is free: another test's server may hold it
	// by now. Whoever does, it must not serve this fake's key.
	req, _ := http.NewRequest("GET", f.URL+"/v3/sso/certificates/"+f.CertificateID, nil)
	req.Header.Set("Authorization", "Bearer "+f.APIKey)
	if resp, err := noRedirects.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the fake's key is still served after it stopped: %d", resp.StatusCode)
		}
	}
}

// runTryIt runs f's "Try it" lines exactly as printed in a shell with the
// environment variable path (PATH=...), and fails the test unless they print f's
// certificate and a login URL on f.
func runTryIt(t *testing.T, f *clitest.Fake, path string) {
	t.Helper()
	r := clitest.Run(t, "/bin/sh", []string{path}, "-ec", strings.Join(f.Try, "\n"))
	r.WantExit(t, cli.ExitOK)
	if !strings.Contains(r.Stdout, "certificate  "+f.CertificateID+"\n") || !strings.Contains(r.Stdout, "\n"+f.URL+"/login?code=") {
		t.Errorf("the Try it lines did not print the certificate and a login URL on the fake:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
}

// TestTryItInstallsTheCLIWhenMissing: without sendgrid-sso on PATH, the first "Try it"
// line installs it.
func TestTryItInstallsTheCLIWhenMissing(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0")
	if want := "go install github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso@latest"; len(f.Try) != 4 || !strings.HasPrefix(f.Try[0], want) {
		t.Errorf("Try it: %q, want %q first", f.Try, want)
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:8025":   "http://127.0.0.1:8025",
		"http://[::1]:8025":       "'http://[::1]:8025'",
		"SG.ssotest-fake-api-key": "SG.ssotest-fake-api-key",
		"it's $HOME":              `'it'\''s $HOME'`,
		"":                        "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFakeRefusesBadAddresses(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for addr, want := range map[string]string{
		busy.Addr().String(): "cannot listen on " + busy.Addr().String(),
		"192.0.2.1:8025":     "cannot listen on 192.0.2.1:8025",
		"8025":               "give host:port",
	} {
		r := clitest.Run(t, bin, nil, "--addr", addr)
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, want)
	}
}
