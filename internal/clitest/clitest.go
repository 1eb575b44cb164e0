// Package clitest runs the project's binaries as a user would, for the tests of
// cmd/sendgrid-sso and cmd/sendgrid-sso-fake: it builds them, runs them with exactly
// the environment given, and fails a test whose API key shows up on stderr. Its fakes
// (NewFake), keys, environments (KeyEnv), Result and certificate helpers serve the
// in-process tests of internal/cli too, which run cli.Run instead of a binary.
package clitest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestKey is a key for tests whose server is not a fake (an httptest server that
// answers anything); a leak check would spot it anywhere. Fakes get a key of their
// own (NewKey).
const TestKey = "SG.cli-test-key-NEVER-PRINT-ME.0123456789"

// NewKey returns a fresh key, for one fake: a request of another test, sent with
// another key to a port this fake now holds, cannot authenticate here, and so cannot
// change what this test counts (ssotest.Server.Requests counts the requests with the
// fake's key). Like TestKey, it is easy to spot in a leak.
func NewKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "SG.cli-test-key-NEVER-PRINT-ME." + hex.EncodeToString(b)
}

// Main builds the commands pkgs (import paths) into a temporary directory, runs the
// tests with their paths, and exits with the tests' status. Call it from TestMain:
//
//	os.Exit(clitest.Main(m, func(bins map[string]string) { bin = bins["sendgrid-sso"] }, pkg))
//
// The binaries are named after the last element of their import path.
func Main(m *testing.M, use func(bins map[string]string), pkgs ...string) int {
	dir, err := os.MkdirTemp("", "sendgrid-sso-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bins := map[string]string{}
	for _, pkg := range pkgs {
		name := path.Base(pkg)
		bins[name] = filepath.Join(dir, name)
		if err := build(pkg, bins[name]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	use(bins)
	return m.Run()
}

// build builds the command pkg into the file out with go build and flags.
func build(pkg, out string, flags ...string) error {
	args := append(append([]string{"build", "-o", out}, flags...), pkg)
	if msg, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", pkg, err, msg)
	}
	return nil
}

// Build builds the command pkg with go build and flags into the test's temporary
// directory, for a test that needs a binary built differently from Main's.
func Build(t *testing.T, pkg string, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), path.Base(pkg))
	if err := build(pkg, bin, flags...); err != nil {
		t.Fatal(err)
	}
	return bin
}

// Result is what one run of a binary did.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs bin with args and exactly the environment env (nothing inherited, so no
// SENDGRID_* or proxy variable of the machine leaks in). It fails the test if the API
// key of env shows up on stderr.
func Run(t *testing.T, bin string, env []string, args ...string) Result {
	t.Helper()
	return run(t, nil, bin, env, args...)
}

// RunTo is Run with stdout going to the file stdout (Result.Stdout stays empty).
func RunTo(t *testing.T, stdout *os.File, bin string, env []string, args ...string) Result {
	t.Helper()
	return run(t, stdout, bin, env, args...)
}

func run(t *testing.T, stdoutFile *os.File, bin string, env []string, args ...string) Result {
	t.Helper()
	// A guard against hanging the suite (a fake that never stops, say), not a speed
	// check.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{}, env...) // never nil: nil would inherit this process's environment
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdoutFile != nil {
		cmd.Stdout = stdoutFile
	}
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	line := filepath.Base(bin) + " " + strings.Join(args, " ")
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within a minute: killed it\nstderr:\n%s", line, r.Stderr)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", line, err)
	}
	for _, kv := range env {
		if key, ok := strings.CutPrefix(kv, "SENDGRID_API_KEY="); ok && key != "" && strings.Contains(r.Stderr, key) {
			t.Errorf("%s: stderr shows the API key:\n%s", line, r.Stderr)
		}
	}
	return r
}

// WantExit fails the test unless r exited with code.
func (r Result) WantExit(t *testing.T, code int) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, r.Stdout, r.Stderr)
	}
}

// WantStderr fails the test unless stderr contains every one of subs.
func (r Result) WantStderr(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.Stderr)
		}
	}
}

// KeyEnv is an environment holding key (a fake's APIKey, or TestKey) and extra.
func KeyEnv(key string, extra ...string) []string {
	return append([]string{"SENDGRID_API_KEY=" + key}, extra...)
}

// NewFake starts an ssotest fake with a key of its own (NewKey), closed when the test
// ends. Give its APIKey to the binaries that call it (KeyEnv).
func NewFake(t *testing.T, opts ...ssotest.Option) *ssotest.Server {
	t.Helper()
	srv := ssotest.NewServer(append([]ssotest.Option{ssotest.WithAPIKey(NewKey())}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}
