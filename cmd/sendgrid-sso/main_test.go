package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The tests run the built binary, as a user would, against fakes started in the test
// process.

// bin is the sendgrid-sso binary TestMain builds.
var bin string

// testKey is the key the tests' fakes accept; a leak check would spot it anywhere.
const testKey = "SG.cli-test-key-NEVER-PRINT-ME.0123456789"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sendgrid-sso-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "sendgrid-sso")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building sendgrid-sso: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// sso runs the binary with args and exactly the environment env (nothing inherited,
// so no SENDGRID_* or proxy variable of the machine leaks in). It fails the test if
// the API key of env shows up on stderr.
func sso(t *testing.T, env []string, args ...string) result {
	t.Helper()
	// A guard against hanging the suite (a fake that never stops, say), not a speed
	// check.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{}, env...) // never nil: nil would inherit this process's environment
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if ctx.Err() != nil {
		t.Fatalf("sendgrid-sso %s did not finish within a minute: killed it\nstderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running sendgrid-sso %s: %v", strings.Join(args, " "), err)
	}
	for _, kv := range env {
		if key, ok := strings.CutPrefix(kv, "SENDGRID_API_KEY="); ok && key != "" && strings.Contains(r.stderr, key) {
			t.Errorf("sendgrid-sso %s: stderr shows the API key:\n%s", strings.Join(args, " "), r.stderr)
		}
	}
	return r
}

// wantExit fails the test unless r exited with code.
func (r result) wantExit(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// wantStderr fails the test unless stderr contains every one of subs.
func (r result) wantStderr(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

// keyEnv is an environment holding only the test key.
func keyEnv(extra ...string) []string {
	return append([]string{"SENDGRID_API_KEY=" + testKey}, extra...)
}

// newFake starts an ssotest fake that accepts testKey, closed when the test ends.
func newFake(t *testing.T, opts ...ssotest.Option) *ssotest.Server {
	t.Helper()
	srv := ssotest.NewServer(append([]ssotest.Option{ssotest.WithAPIKey(testKey)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}
