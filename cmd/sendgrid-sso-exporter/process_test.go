package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// bin is the exporter's binary, fakeBin the fake's, built by TestMain.
var bin, fakeBin string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(bins map[string]string) {
		bin, fakeBin = bins[name], bins[cli.FakeName]
	}, "github.com/sendgrid-sso/sendgrid-sso/cmd/"+name, "github.com/sendgrid-sso/sendgrid-sso/cmd/"+cli.FakeName))
}

// guard bounds every wait on a process: a guard against hanging the suite, not a
// speed check.
const guard = time.Minute

// keyFile writes key, with a trailing newline as echo writes it, into a file of its
// own and returns its path.
func keyFile(t testing.TB, key string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "api-key")
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// process is a running exporter binary.
type process struct {
	cmd    *exec.Cmd
	addr   string        // where it listens, from its "listening" line
	lines  chan string   // its stderr, line by line, after the "listening" line
	stderr *syncBuffer   // all of its stderr
	done   chan struct{} // closed once stderr is drained
}

// startExporter runs the exporter with args and exactly env, and returns once it
// logged where it listens. It is killed when the test ends unless it exited.
func startExporter(t testing.TB, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, append([]string{"--listen", "127.0.0.1:0"}, args...)...), lines: make(chan string, 100),
		stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append([]string{}, env...)
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	addr := make(chan string, 1)
	go func() {
		defer close(p.done)
		defer close(p.lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			_, _ = io.WriteString(p.stderr, line+"\n")
			if a, ok := field(line, "addr"); ok && strings.Contains(line, "msg=listening") {
				addr <- a
				continue
			}
			select {
			case p.lines <- line:
			default: // nobody waits for it
			}
		}
	}()
	select {
	case p.addr = <-addr:
	case <-p.done:
		_ = p.cmd.Wait()
		t.Fatalf("the exporter exited before listening:\n%s", p.stderr.String())
	case <-time.After(guard):
		t.Fatalf("the exporter did not listen within %v:\n%s", guard, p.stderr.String())
	}
	return p
}

// field is the value of key=value in a text log line.
func field(line, key string) (string, bool) {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v, true
		}
	}
	return "", false
}

// waitFor reads the exporter's log until a line holds sub.
func (p *process) waitFor(t testing.TB, sub string) {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("the exporter's log ended before %q:\n%s", sub, p.stderr.String())
			}
			if strings.Contains(line, sub) {
				return
			}
		case <-timeout:
			t.Fatalf("no %q in the exporter's log within %v:\n%s", sub, guard, p.stderr.String())
		}
	}
}

// signal sends sig and returns the exit status.
func (p *process) signal(t testing.TB, sig os.Signal) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		<-p.done
		exited <- p.cmd.Wait()
	}()
	select {
	case <-exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(guard):
		_ = p.cmd.Process.Kill()
		t.Fatalf("the exporter did not exit within %v of %v:\n%s", guard, sig, p.stderr.String())
		return -1
	}
}

// get is the status of GET url.
func get(t testing.TB, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestShutdownOnSignal: SIGTERM and SIGINT stop a serving exporter gracefully, with
// exit status 0, having served /-/ready and /metrics; its log never holds the key.
func TestShutdownOnSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			fake := clitest.NewFake(t)
			p := startExporter(t, nil, "--base-url", fake.URL, "--api-key-file", keyFile(t, fake.APIKey))
			p.waitFor(t, "refresh succeeded")
			for _, path := range []string{"/-/ready", "/-/healthy", "/metrics"} {
				if code := get(t, "http://"+p.addr+path); code != http.StatusOK {
					t.Errorf("%s: %d, want 200", path, code)
				}
			}
			if code := p.signal(t, sig); code != 0 {
				t.Errorf("exit status %d after %v, want 0:\n%s", code, sig, p.stderr.String())
			}
			if out := p.stderr.String(); !strings.Contains(out, "msg=stopped") || strings.Contains(out, fake.APIKey) {
				t.Errorf("the log lacks the stop, or holds the key:\n%s", out)
			}
		})
	}
}

// TestFailedRefreshInTheProcessNeverLogsTheKey: the key from SENDGRID_API_KEY, refused
// by the fake (401), appears nowhere in the process's output; the exporter keeps
// serving, not ready, and counts the error.
func TestFailedRefreshInTheProcessNeverLogsTheKey(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	key := clitest.NewKey() // not the fake's
	p := startExporter(t, clitest.KeyEnv(key), "--base-url", fake.URL)
	p.waitFor(t, "refresh failed")
	if code := get(t, "http://"+p.addr+"/-/ready"); code != http.StatusServiceUnavailable {
		t.Errorf("/-/ready %d after a failed first refresh, want 503", code)
	}
	if code := p.signal(t, syscall.SIGTERM); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if out := p.stderr.String(); strings.Contains(out, key) || !strings.Contains(out, "401") {
		t.Errorf("the log holds the key, or does not say 401:\n%s", out)
	}
}

// TestUsageErrors: bad flags and a missing, unreadable or empty key exit 2 with an
// error that says what to do, and never the key.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := clitest.NewKey()
	env := clitest.KeyEnv(key)
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"unknown flag", env, []string{"--bogus"}, "unknown flag --bogus"},
		{"zero interval", env, []string{"--interval", "0s"}, "--interval is 0s"},
		{"bad interval", env, []string{"--interval", "soon"}, "--interval"},
		{"negative timeout", env, []string{"--timeout", "-1s"}, "--timeout is -1s"},
		{"bad region", env, []string{"--region", "mars"}, "--region"},
		{"bad log format", env, []string{"--log-format", "xml"}, `--log-format "xml"`},
		{"no key", nil, nil, "no API key"},
		{"missing key file", env, []string{"--api-key-file", filepath.Join(dir, "missing")}, "--api-key-file"},
		{"empty key file", env, []string{"--api-key-file", empty}, "is empty"},
		{"missing metadata file", env, []string{"--idp-metadata", filepath.Join(dir, "idp.xml")}, "--idp-metadata"},
		{"argument", env, []string{"serve"}, `unexpected argument "serve"`},
		{"unusable address", env, []string{"--listen", "256.0.0.1:1"}, "--listen 256.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := clitest.Run(t, bin, tc.env, tc.args...)
			r.WantExit(t, cli.ExitUsage)
			r.WantStderr(t, tc.want, name+" --help")
			if strings.Contains(r.Stderr, key) {
				t.Errorf("stderr holds the key:\n%s", r.Stderr)
			}
		})
	}
}

// TestVersion: --version and version print the same, as the other commands do.
func TestVersion(t *testing.T) {
	t.Parallel()
	clitest.WantVersion(t, bin, name, []string{"--version"}, []string{"version"})
}

// TestHelp: --help prints every flag of the interface on stdout and exits 0.
func TestHelp(t *testing.T) {
	t.Parallel()
	r := clitest.Run(t, bin, nil, "--help")
	r.WantExit(t, 0)
	for _, f := range []string{"--listen", "--interval", "--timeout", "--base-url", "--region", "--idp-metadata", "--api-key-file", "--log-format", "/-/ready", "Exit status"} {
		if !strings.Contains(r.Stdout, f) {
			t.Errorf("--help lacks %s:\n%s", f, r.Stdout)
		}
	}
}

// TestWorldReadableKeyFileWarns: a key file every user may read (0644, as echo
// writes it under umask 022) is used, with a warning that names the file and says
// what to do; one of mode 0600 or 0440 gets none.
func TestWorldReadableKeyFileWarns(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	for _, mode := range []os.FileMode{0o644, 0o600, 0o440} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			path := keyFile(t, fake.APIKey)
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			p := startExporter(t, nil, "--base-url", fake.URL, "--api-key-file", path)
			warned := strings.Contains(p.stderr.String(), "level=WARN") && strings.Contains(p.stderr.String(), "chmod 600")
			if want := mode&0o004 != 0; warned != want {
				t.Errorf("mode %v: warned %v, want %v:\n%s", mode, warned, want, p.stderr.String())
			}
			p.waitFor(t, "refresh succeeded")
			if code := p.signal(t, syscall.SIGTERM); code != 0 {
				t.Errorf("exit status %d, want 0", code)
			}
		})
	}
}

// TestKeyFileIsBounded: readKey reads at most maxKeyFile bytes of --api-key-file: a
// larger file (a wrong path, such as /dev/zero) is a usage error that says so, and
// one of exactly maxKeyFile bytes is read.
func TestKeyFileIsBounded(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "api-key")
	if err := os.WriteFile(path, bytes.Repeat([]byte("k"), maxKeyFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := readKey(path, nil)
	var usage *cli.UsageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "larger than") || key != "" {
		t.Errorf("readKey of %d bytes: %d bytes, %v; want a usage error", maxKeyFile+1, len(key), err)
	}
	if err := os.Truncate(path, maxKeyFile); err != nil {
		t.Fatal(err)
	}
	if key, err := readKey(path, nil); err != nil || len(key) != maxKeyFile {
		t.Errorf("readKey of %d bytes: %d bytes, %v; want all of it", maxKeyFile, len(key), err)
	}
}
