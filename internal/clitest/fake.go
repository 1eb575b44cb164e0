package clitest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// Fake is a running sendgrid-sso-fake binary and what it announced.
type Fake struct {
	// URL, APIKey, CertificateID and AccountID are the values of its announcement.
	URL, APIKey, CertificateID, AccountID string
	// TLS and Seed are its "TLS" and "seed" lines, when it printed them.
	TLS, Seed string
	// Try is its "Try it" lines, trimmed.
	Try []string

	cmd    *exec.Cmd
	stderr bytes.Buffer
}

// guard bounds a wait for the fake: a guard against hanging the suite, not a speed
// check.
const guard = 30 * time.Second

// StartFake runs the sendgrid-sso-fake binary bin with args and exactly the environment
// env, and reads its announcement up to its last "Try it" line. Unless args give
// --api-key, the fake gets a key of its own (NewKey), for the reason NewFake does.
// The fake is killed when the test ends, unless Interrupt stopped it.
func StartFake(t *testing.T, bin string, env []string, args ...string) *Fake {
	t.Helper()
	givesKey := slices.ContainsFunc(args, func(a string) bool {
		flag, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		return strings.HasPrefix(a, "-") && (flag == "key" || flag == "api-key")
	}) || slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "SENDGRID_SSO_FAKE_KEY=") })
	if !givesKey {
		args = append([]string{"--key", NewKey()}, args...)
	}
	f := &Fake{cmd: exec.Command(bin, args...)}
	f.cmd.Env = append([]string{}, env...) // never nil: nil would inherit this process's environment
	stdout, err := f.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	f.cmd.Stderr = &f.stderr
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if f.cmd.ProcessState == nil {
			_ = f.cmd.Process.Kill()
			_ = f.cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	inTry := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "Try it:":
			inTry = true
		case inTry:
			f.Try = append(f.Try, strings.TrimSpace(line))
			if strings.Contains(line, " login ") {
				return f
			}
		default:
			label, value, _ := strings.Cut(line, "  ")
			value = strings.TrimSpace(value)
			switch label {
			case "URL":
				f.URL = value
			case "API key":
				f.APIKey = value
			case "certificate":
				f.CertificateID = value
			case "account":
				f.AccountID = value
			case "TLS":
				f.TLS = value
			case "seed":
				f.Seed = value
			}
		}
	}
	_ = f.cmd.Wait()
	t.Fatalf("the fake ended before announcing itself; stderr:\n%s", f.stderr.String())
	return nil
}

// Interrupt sends the fake Ctrl-C and waits for it to exit, failing the test if it
// still runs after a guard of 30 s. It returns the exit status and the fake's stderr.
func (f *Fake) Interrupt(t *testing.T) (status int, stderr string) {
	t.Helper()
	if err := f.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- f.cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			return exit.ExitCode(), f.stderr.String()
		case err != nil:
			t.Fatal(err)
		}
		return 0, f.stderr.String()
	case <-time.After(guard):
		_ = f.cmd.Process.Kill()
		<-done
		t.Fatalf("the fake did not exit on Ctrl-C within %v; stderr:\n%s", guard, f.stderr.String())
		return -1, ""
	}
}

// WantReport interrupts the fake and fails the test unless it exits 0 with exactly
// the report want. It returns the fake's stderr, for checks of its own.
func (f *Fake) WantReport(t *testing.T, want Report) string {
	t.Helper()
	status, stderr := f.Interrupt(t)
	rep, err := ParseReport(stderr)
	if status != 0 || err != nil || rep != want {
		t.Errorf("the fake exited %d with report %+v (%v), want 0 and %+v; stderr:\n%s", status, rep, err, want, stderr)
	}
	return stderr
}

// Report is the fake's account of itself as it stopped.
type Report struct {
	// Requests counts the API requests with the fake's key, WithoutKey the others.
	Requests, WithoutKey, LoginsOpened, BadRequests, BadAnswers int
}

// ParseReport finds the fake's "fake stopped after …" line in stderr.
func ParseReport(stderr string) (Report, error) {
	for _, line := range strings.Split(stderr, "\n") {
		var r Report
		n, _ := fmt.Sscanf(line, "fake stopped after %d API requests with its key and %d without; login URLs opened: %d; requests that broke the spec: %d; answers that broke the spec: %d",
			&r.Requests, &r.WithoutKey, &r.LoginsOpened, &r.BadRequests, &r.BadAnswers)
		if n == 5 {
			return r, nil
		}
	}
	return Report{}, fmt.Errorf("no \"fake stopped after\" line in the fake's stderr:\n%s", stderr)
}
