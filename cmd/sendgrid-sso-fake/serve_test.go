package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// startFake runs sendgrid-sso-fake with args and the environment env, and reads its
// announcement up to its last "Try it" line. It returns the running command, the
// labelled values it printed, the "Try it" lines, the rest of its stdout and its
// stderr.
func startFake(t *testing.T, env []string, args ...string) (cmd *exec.Cmd, got map[string]string, try []string, rest *bufio.Scanner, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	cmd.Env = append([]string{}, env...) // never nil: nil would inherit this process's environment
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &bytes.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	rest = bufio.NewScanner(stdout)
	got = map[string]string{}
	inTry := false
	for rest.Scan() {
		line := rest.Text()
		switch {
		case line == "Try it:":
			inTry = true
		case inTry:
			try = append(try, strings.TrimSpace(line))
			if strings.Contains(line, " login ") {
				return cmd, got, try, rest, stderr
			}
		default:
			if label, value, ok := strings.Cut(line, "  "); ok {
				got[label] = strings.TrimSpace(value)
			}
		}
	}
	_ = cmd.Wait()
	t.Fatalf("the fake ended before announcing itself; stderr:\n%s", stderr)
	return
}

// TestFakeServesUntilInterrupted: the announcement's "Try it" lines, pasted into a
// shell with sendgrid-sso on PATH, work as shown; Ctrl-C stops the fake with a count.
func TestFakeServesUntilInterrupted(t *testing.T) {
	path := "PATH=" + filepath.Dir(cliBin)
	cmd, got, try, rest, stderr := startFake(t, []string{path}, "--addr", "127.0.0.1:0")
	url := got["URL"]
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("URL = %q, want http://127.0.0.1 and the port it listens on", url)
	}
	if got["API key"] == "" || got["certificate"] == "" || got["account"] == "" {
		t.Fatalf("the fake did not print its key, a certificate ID and an account ID: %q", got)
	}
	if len(try) != 3 || !strings.HasPrefix(try[0], "export SENDGRID_API_KEY=") {
		t.Fatalf("Try it: %q, want the export, a cert and a login line", try)
	}

	// The lines exactly as printed, run by a shell.
	r := clitest.Run(t, "/bin/sh", []string{path}, "-ec", strings.Join(try, "\n"))
	r.WantExit(t, cli.ExitOK)
	if !strings.Contains(r.Stdout, "certificate  "+got["certificate"]+"\n") || !strings.Contains(r.Stdout, "\n"+url+"/login?code=") {
		t.Errorf("the Try it lines did not print the certificate and a login URL on the fake:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// A guard against hanging the suite, not a speed check: a fake that ignores
	// Ctrl-C is killed and the test fails.
	guard := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	for rest.Scan() {
	}
	err := cmd.Wait()
	if !guard.Stop() {
		t.Fatalf("the fake did not stop on Ctrl-C (killed after 30 s); stderr:\n%s", stderr)
	}
	if err != nil {
		t.Fatalf("the fake after Ctrl-C: %v, want exit 0; stderr:\n%s", err, stderr)
	}
	if want := "fake stopped after 2 API requests; login URLs opened: 0"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://")); err == nil {
		c.Close()
		t.Errorf("the fake still listens after it stopped")
	}
}

// TestTryItInstallsTheCLIWhenMissing: without sendgrid-sso on PATH, the first "Try it"
// line installs it.
func TestTryItInstallsTheCLIWhenMissing(t *testing.T) {
	_, _, try, _, _ := startFake(t, nil, "--addr", "127.0.0.1:0")
	if want := "go install github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso@latest"; len(try) != 4 || !strings.HasPrefix(try[0], want) {
		t.Errorf("Try it: %q, want %q first", try, want)
	}
}

func TestShellQuote(t *testing.T) {
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
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for addr, want := range map[string]string{
		busy.Addr().String(): "cannot listen on " + busy.Addr().String(),
		"0.0.0.0:0":          "not a loopback address",
		"192.0.2.1:8025":     "not a loopback address",
		"8025":               "give host:port",
	} {
		r := clitest.Run(t, bin, nil, "--addr", addr)
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, want)
	}
}
