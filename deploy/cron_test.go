package deploy

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The cron fallback, cron/sendgrid-sso-textfile.sh, run as cron runs it: with an
// empty environment (so with no PATH to rely on), against the in-process fake
// (clitest.NewFake, the fake sendgrid-sso-fake serves) and the sendgrid-sso built by
// TestMain.

// textfileRun is one setup of the script: a fake, a key file, and the textfile
// directory holding OUT_FILE.
type textfileRun struct {
	fake    *ssotest.Server
	key     string // the key file's path
	dir     string // the textfile directory
	out     string // OUT_FILE
	bin     string // BIN, cliBin
	env     []string
	script  string
	cliArgs []string
}

// newTextfileRun starts a fake with opts and writes its key to a file of mode 0600.
func newTextfileRun(t *testing.T, opts ...ssotest.Option) *textfileRun {
	t.Helper()
	fake := clitest.NewFake(t, opts...)
	home, dir := t.TempDir(), t.TempDir()
	r := &textfileRun{
		fake: fake, key: filepath.Join(home, ".sendgrid-api-key"), dir: dir,
		out: filepath.Join(dir, "sendgrid-sso.prom"), bin: cliBin,
		cliArgs: []string{"--base-url", fake.URL, "cert", "--all", "--format", "prometheus"},
	}
	if err := os.WriteFile(r.key, []byte(fake.APIKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("cron/sendgrid-sso-textfile.sh")
	if err != nil {
		t.Fatal(err)
	}
	r.script = script
	return r
}

// run runs the script with the environment r.env (empty unless a test sets it), BIN
// r.bin, and fails the test if the key shows up on its stdout or stderr.
func (r *textfileRun) run(t *testing.T, extra ...string) clitest.Result {
	t.Helper()
	args := append([]string{r.bin, r.key, r.out}, r.cliArgs...)
	res := clitest.Run(t, r.script, r.env, append(args, extra...)...)
	if strings.Contains(res.Stderr, r.fake.APIKey) || strings.Contains(res.Stdout, r.fake.APIKey) {
		t.Errorf("the script's output shows the API key:\n%s%s", res.Stdout, res.Stderr)
	}
	return res
}

// oldFile writes a previous good OUT_FILE, dated an hour ago, and returns it opened,
// as node_exporter would hold it mid-read.
func (r *textfileRun) oldFile(t *testing.T) (*os.File, os.FileInfo) {
	t.Helper()
	if err := os.WriteFile(r.out, []byte("# the previous run's metrics\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hourAgo := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(r.out, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(r.out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return f, fi
}

// onlyOut fails the test unless OUT_FILE is the only file of the textfile directory:
// no temporary file is left behind, whatever happened.
func (r *textfileRun) onlyOut(t *testing.T) {
	t.Helper()
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(r.out) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the textfile directory holds %q, want only %s", names, filepath.Base(r.out))
	}
}

// TestTextfileScriptReplacesTheFile: after exit 0, and after exit 4 (a failed check,
// whose metrics are complete), OUT_FILE is a new file renamed over the old one (a
// new inode, mode 0644), holding the metrics, while a reader of the old file still
// reads the old file whole. Under a PATH of tools that all fail, as cron's PATH may
// lack what the script needs, it works the same: it sets its own.
func TestTextfileScriptReplacesTheFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []ssotest.Option
		extra  []string
		status int
		want   string
		path   bool // a PATH whose tools all fail, which the script must not use
	}{
		{"success", nil, nil, cli.ExitOK, "sendgrid_sso_certificate_check_success{cert_id=\"" + strconv.Itoa(ssotest.DefaultCertificateID) + "\"} 1\n", false},
		{"failed check", []ssotest.Option{ssotest.WithCertificate(ssotest.DefaultCertificate().ExpiringIn(240 * time.Hour))},
			[]string{"--warn-within", "30d"}, cli.ExitCheck, "sendgrid_sso_certificate_check_success{cert_id=\"" + strconv.Itoa(ssotest.DefaultCertificateID) + "\"} 0\n", false},
		{"hostile PATH", nil, nil, cli.ExitOK, "sendgrid_sso_certificate_check_success{cert_id=\"" + strconv.Itoa(ssotest.DefaultCertificateID) + "\"} 1\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTextfileRun(t, tc.opts...)
			if tc.path {
				r.env = []string{"PATH=" + trapPath(t)}
			}
			old, oldInfo := r.oldFile(t)
			r.run(t, tc.extra...).WantExit(t, tc.status)
			b, err := os.ReadFile(r.out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.want) {
				t.Errorf("%s lacks %q:\n%s", r.out, tc.want, b)
			}
			fi, err := os.Stat(r.out)
			if err != nil {
				t.Fatal(err)
			}
			if os.SameFile(fi, oldInfo) {
				t.Error("the file was written in place, not renamed over the old one: node_exporter could read half of it")
			}
			if fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644: node_exporter runs as another user", fi.Mode().Perm())
			}
			if prev, err := io.ReadAll(old); err != nil || string(prev) != "# the previous run's metrics\n" {
				t.Errorf("the old file, open before the run, now reads %q (%v)", prev, err)
			}
			r.onlyOut(t)
		})
	}
}

// TestTextfileScriptKeepsTheLastGoodFile: a run that does not give complete metrics
// (a key SendGrid refuses, the API not answering, a key file others may read, a
// relative BIN) leaves OUT_FILE as it was, content, inode and mtime, so that its age
// shows on node_textfile_mtime_seconds; the script says so and exits with the
// status.
func TestTextfileScriptKeepsTheLastGoodFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spoil  func(t *testing.T, r *textfileRun)
		status int
		stderr string
	}{
		{"bad key", func(t *testing.T, r *textfileRun) {
			if err := os.WriteFile(r.key, []byte(clitest.NewKey()+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, cli.ExitAPI, "sendgrid-sso exited 1: kept the previous OUT"},
		{"fake stopped", func(t *testing.T, r *textfileRun) { r.fake.Close() },
			cli.ExitNetwork, "sendgrid-sso exited 3: kept the previous OUT"},
		{"key file open to its group", func(t *testing.T, r *textfileRun) {
			if err := os.Chmod(r.key, 0o640); err != nil {
				t.Fatal(err)
			}
		}, cli.ExitUsage, "is open to its group or others: chmod 600"},
		{"relative BIN", func(t *testing.T, r *textfileRun) { r.bin = "sendgrid-sso" },
			cli.ExitUsage, "give sendgrid-sso as an absolute path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTextfileRun(t)
			_, oldInfo := r.oldFile(t)
			tc.spoil(t, r)
			res := r.run(t)
			res.WantExit(t, tc.status)
			res.WantStderr(t, strings.ReplaceAll(tc.stderr, "OUT", r.out))
			fi, err := os.Stat(r.out)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(r.out)
			if !os.SameFile(fi, oldInfo) || !fi.ModTime().Equal(oldInfo.ModTime()) || string(b) != "# the previous run's metrics\n" {
				t.Errorf("the previous file changed: %q, modified %v (was %v)", b, fi.ModTime(), oldInfo.ModTime())
			}
			r.onlyOut(t)
		})
	}
}

// TestCrontabLineOfTheDocs runs the crontab line that docs/operations.md shows, with
// its paths swapped for the test's, and checks what the line itself promises: no key
// in it (the key file's path only), absolute paths, no % (cron makes it a newline),
// and an OUT_FILE that SendGridSSOTextfileStale's file=~ matcher selects.
func TestCrontabLineOfTheDocs(t *testing.T) {
	md, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- crontab: TestCrontabLineOfTheDocs -->"
	_, block, ok := strings.Cut(string(md), marker)
	if !ok {
		t.Fatalf("docs/operations.md has no %s", marker)
	}
	block, _, _ = strings.Cut(strings.SplitN(block, "```", 3)[1], "```")
	var fields []string
	for _, line := range strings.Split(block, "\n") {
		if f := strings.Fields(line); len(f) > 5 && strings.HasPrefix(f[5], "/") {
			fields = f
		}
	}
	if fields == nil {
		t.Fatalf("no crontab line (5 schedule fields, then an absolute path) in the block after %s:\n%s", marker, block)
	}
	for _, bad := range []string{"SG.", "SENDGRID_API_KEY", "%"} {
		if strings.Contains(block, bad) {
			t.Errorf("the crontab block holds %q:\n%s", bad, block)
		}
	}
	cmd := fields[5:]
	if len(cmd) < 5 || filepath.Base(cmd[0]) != "sendgrid-sso-textfile.sh" {
		t.Fatalf("the crontab line runs %q, want sendgrid-sso-textfile.sh BIN KEY_FILE OUT_FILE ARGS...", cmd)
	}
	for _, p := range cmd[:4] {
		if !filepath.IsAbs(p) {
			t.Errorf("%s: not an absolute path", p)
		}
	}
	var rules alertRules
	readYAML(t, "prometheus/sendgrid-sso-alerts.yml", &rules)
	var fileRE *regexp.Regexp
	for _, rule := range rules.Groups[0].Rules {
		if m := regexp.MustCompile(`file=~"([^"]*)"`).FindStringSubmatch(rule.Expr); rule.Alert == "SendGridSSOTextfileStale" && m != nil {
			fileRE = regexp.MustCompile("^(?:" + m[1] + ")$")
		}
	}
	if fileRE == nil || !fileRE.MatchString(cmd[3]) || !fileRE.MatchString(filepath.Base(cmd[3])) {
		t.Errorf("SendGridSSOTextfileStale's file matcher %v does not select %s, the line's OUT_FILE", fileRE, cmd[3])
	}

	metadata, err := filepath.Abs("../internal/readme/testdata/okta-rollover.xml")
	if err != nil {
		t.Fatal(err)
	}
	r := newTextfileRun(t)
	args := []string{r.bin, r.key, r.out, "--base-url", r.fake.URL}
	for i := 4; i < len(cmd); i++ {
		args = append(args, cmd[i])
		if cmd[i] == "--idp-metadata" && i+1 < len(cmd) {
			args = append(args, metadata)
			i++
		}
	}
	res := clitest.Run(t, r.script, nil, args...)
	if res.Code != cli.ExitOK && res.Code != cli.ExitCheck {
		t.Fatalf("the docs' crontab line exited %d:\n%s", res.Code, res.Stderr)
	}
	b, err := os.ReadFile(r.out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "sendgrid_sso_certificate_not_after_timestamp_seconds{") {
		t.Errorf("%s lacks the certificate's metrics:\n%s", r.out, b)
	}
	r.onlyOut(t)
}

// trapPath returns a directory of executables named after the tools the script
// runs, and sendgrid-sso, each failing with status 99.
func trapPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"sendgrid-sso", "mktemp", "mv", "chmod", "cat", "ls", "rm", "dirname", "basename"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nexit 99\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
