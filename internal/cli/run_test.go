package cli

// The in-process harness: each test runs sendgrid-sso through Run, with an Env of its
// own (so the tests run in parallel), against ssotest fakes and httptest servers
// started in the test process. What only the built binary can show (exit statuses of
// the process, a closed stdout, SIGPIPE, the embedded build information, the region
// through a real proxy, what the binary links) is tested in cmd/sendgrid-sso.

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// sso runs sendgrid-sso in process with args and exactly the environment env
// ("NAME=value" pairs, as clitest.KeyEnv makes them; nothing of the test process's),
// stdout and stderr into buffers. Like clitest.Run, it fails the test if the API key
// of env shows up on stderr, here in any case.
func sso(t *testing.T, env []string, args ...string) clitest.Result {
	t.Helper()
	var stdout bytes.Buffer
	r := ssoTo(t, &stdout, env, args...)
	r.Stdout = stdout.String()
	return r
}

// ssoTo is sso with stdout going to w (a file, a terminal, a writer that fails);
// Result.Stdout stays empty.
func ssoTo(t *testing.T, w io.Writer, env []string, args ...string) clitest.Result {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		vars[name] = value
	}
	var stderr bytes.Buffer
	code := Run(t.Context(), args, Env{Getenv: func(name string) string { return vars[name] }, Stdout: w, Stderr: &stderr})
	r := clitest.Result{Stderr: stderr.String(), Code: code}
	if key := strings.TrimSpace(vars[wrapper.EnvAPIKey]); key != "" && strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(key)) {
		t.Errorf("sendgrid-sso %s: stderr shows the API key:\n%s", strings.Join(args, " "), r.Stderr)
	}
	return r
}

// fullDisk is a stdout on a full disk: every write fails with ENOSPC.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// writeFile writes content to a file in a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawUnsafe returns the runes of out, other than the newlines that end its lines, that
// would reach a terminal raw: what safetext escapes.
func rawUnsafe(out string) []rune {
	var bad []rune
	for _, r := range out {
		if r != '\n' && safetext.Escape(string(r)) != string(r) {
			bad = append(bad, r)
		}
	}
	return bad
}

// wantNoRawControl fails unless stdout and stderr of r are free of runes a terminal
// would act on.
func wantNoRawControl(t *testing.T, r clitest.Result) {
	t.Helper()
	if bad := rawUnsafe(r.Stdout); len(bad) > 0 {
		t.Errorf("stdout holds raw %q:\n%q", bad, r.Stdout)
	}
	if bad := rawUnsafe(r.Stderr); len(bad) > 0 {
		t.Errorf("stderr holds raw %q:\n%q", bad, r.Stderr)
	}
}
