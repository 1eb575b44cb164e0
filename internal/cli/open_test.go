package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Browser scripts for login --open: each records its arguments, one a line, in
// "$0.args" (beside the link it was started through), then does what its name says.
const (
	opens        = "exit 0"
	fails        = "exit 3"
	quotesTheURL = `echo "xdg-open: no method available for opening '$1'" >&2; exit 3`
	textMode     = `if [ -t 1 ]; then echo "w3m on the terminal"; else echo notty > "$0.notty"; fi; echo "w3m: cannot open $1" >&2; exit 0`
)

// scripts are the bodies of the browser scripts, each written to a file named by its
// index.
var scripts = []string{opens, fails, quotesTheURL, textMode}

// scriptDir holds the browser scripts, written by TestMain before any test runs: an
// executable written while another goroutine forks cannot be run until that child
// execs (ETXTBSY, go.dev/issue/22315), so the parallel tests only link to them.
var scriptDir string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "sendgrid-sso-cli-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		for i, body := range scripts {
			script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n" + body + "\n"
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprint(i)), []byte(script), 0o755); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		scriptDir = dir
		return m.Run()
	}())
}

// browserScript returns dir/name, a link to the browser script that does what body
// (one of scripts) says.
func browserScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	i := slices.Index(scripts, body)
	if i < 0 {
		t.Fatalf("no browser script does %q", body)
	}
	path := filepath.Join(dir, name)
	if err := os.Symlink(filepath.Join(scriptDir, fmt.Sprint(i)), path); err != nil {
		t.Fatal(err)
	}
	return path
}

// recorded returns the arguments the browser script at path was called with, or nil
// if it was not.
func recorded(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path + ".args")
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// devNull is /dev/null opened for writing, closed when the test ends.
func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// wantLoginURL fails unless s is a login URL with a code on the fake.
func wantLoginURL(t *testing.T, s string, fake *ssotest.Server) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || !strings.HasPrefix(s, fake.URL+"/login?") || u.Query().Get("code") == "" {
		t.Errorf("%q is not a login URL with a code on the fake", s)
	}
}

// TestLoginOpen: --open hands the URL to $BROWSER, stdout stays empty, stderr says a
// login was opened and until when, never the code; the code stays unspent.
func TestLoginOpen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		browser func(dir, good string) string // $BROWSER, given the script good
		before  []string                      // the script's arguments before the URL
	}{
		{"command", func(_, good string) string { return good }, nil},
		{"with %s", func(_, good string) string { return good + " --new-tab %s" }, []string{"--new-tab"}},
		{"first of a list that starts", func(dir, good string) string { return filepath.Join(dir, "missing") + ":" + good }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			good := browserScript(t, dir, "good", opens)
			fake := clitest.NewFake(t)
			r := sso(t, clitest.KeyEnv(fake.APIKey, envBrowser+"="+tc.browser(dir, good)), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			r.WantExit(t, ExitOK)
			if r.Stdout != "" {
				t.Errorf("stdout is not empty: %q", r.Stdout)
			}
			args := recorded(t, good)
			if len(args) != len(tc.before)+1 || strings.Join(args[:len(tc.before)], " ") != strings.Join(tc.before, " ") {
				t.Fatalf("the browser got %q, want %q and the URL", args, tc.before)
			}
			loginURL := args[len(args)-1]
			wantLoginURL(t, loginURL, fake)
			r.WantStderr(t, "opened a login into account "+ssotest.DefaultAccountID+" with ", "; it expires ", "valid for one login")
			code, _ := url.Parse(loginURL)
			if strings.Contains(r.Stderr, code.Query().Get("code")) {
				t.Errorf("stderr shows the one-time code:\n%s", r.Stderr)
			}
			if n := fake.LoginsFollowed(); n != 0 {
				t.Errorf("the login URL was requested %d times; only the browser may open it", n)
			}
		})
	}
}

// TestLoginOpenFails: when the browser found fails, login says so, prints the URL on
// stdout as without --open, and exits 6; when no browser command is there to start,
// it says so and exits 6 before minting a login (with no $BROWSER and no opener on
// PATH too: TestOpenFindsTheBrowserFirst).
func TestLoginOpenFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	failing := browserScript(t, dir, "failing", fails)
	missing := filepath.Join(dir, "missing")
	cases := []struct {
		name, browser, want string
		minted              bool
	}{
		{"BROWSER exits non-zero", failing, "--open: could not open the login URL in a browser (" + failing + ": exit status 3): it is on stdout instead", true},
		{"BROWSER missing, the next fails", missing + ":" + failing,
			"(" + missing + ": no such file or directory; " + failing + ": exit status 3): it is on stdout instead", true},
		{"BROWSER missing", missing, "--open: no browser to open the login URL with (" + missing + ": no such file or directory), so none was minted", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := clitest.NewFake(t)
			r := sso(t, clitest.KeyEnv(fake.APIKey, envBrowser+"="+tc.browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			r.WantExit(t, ExitBrowser)
			r.WantStderr(t, tc.want)
			if tc.minted {
				r.WantStderr(t, "expires ")
				wantLoginURL(t, strings.TrimSuffix(r.Stdout, "\n"), fake)
			} else if r.Stdout != "" || fake.Requests() != 0 {
				t.Errorf("a login was minted (%d requests) with no browser to open it; stdout %q", fake.Requests(), r.Stdout)
			}
			if strings.Contains(r.Stderr, "code=") {
				t.Errorf("stderr shows the login URL:\n%s", r.Stderr)
			}
		})
	}
}

// TestOpenFindsTheBrowserFirst: login --open with no browser to hand the URL to, and
// stdout on /dev/null, used to mint a login and lose it there. It looks for the
// browser commands first and, finding none, exits 6 without any request. It sets
// the process's PATH, where os/exec looks, so it does not run in parallel.
func TestOpenFindsTheBrowserFirst(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		name, browser, path, want string
	}{
		{"no $BROWSER, no xdg-open", "", empty, "xdg-open: executable file not found in $PATH"},
		{"$BROWSER missing", filepath.Join(empty, "firefox") + ":w3m", empty, "firefox: no such file or directory; w3m: executable file not found in $PATH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := clitest.NewFake(t)
			t.Setenv("PATH", tc.path)
			r := ssoTo(t, devNull(t), clitest.KeyEnv(fake.APIKey, envBrowser+"="+tc.browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			r.WantExit(t, ExitBrowser)
			r.WantStderr(t, "--open: no browser to open the login URL with (", tc.want, "so none was minted", "set $BROWSER")
			if n := fake.Requests(); n != 0 {
				t.Errorf("the fake answered %d requests: a login was minted for no browser", n)
			}
		})
	}
}

// TestOpenFailsWithStdoutOnDevNull: when the browser found fails and stdout is
// /dev/null, the URL cannot go to stdout instead: login says the login is lost.
func TestOpenFailsWithStdoutOnDevNull(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	browser := browserScript(t, t.TempDir(), "failing", fails)
	r := ssoTo(t, devNull(t), clitest.KeyEnv(fake.APIKey, envBrowser+"="+browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
	r.WantExit(t, ExitBrowser)
	r.WantStderr(t, "failing: exit status 3), and stdout is /dev/null: the login is lost; it expires unused at ")
	if strings.Contains(r.Stderr, "on stdout instead") {
		t.Errorf("stderr says the URL is on stdout, which is /dev/null:\n%s", r.Stderr)
	}
}

// TestLoginURLIsSafeForAShell: a trusted host (here the base URL's own) still chooses
// the Location's path and query. What login prints, and what it hands a browser, is
// one string: every byte RFC 3986 does not allow unencoded, and ' $ !, percent-encoded,
// so that "$(...)", a backtick or a quote cannot run anything when the URL is pasted
// into a shell or handed to an opener that uses one.
func TestLoginURLIsSafeForAShell(t *testing.T) {
	t.Parallel()
	const location = "/l/it's/$(id)?code=a'b$(touch pwned)`id`\"q\\x!y%zz%41 <{|}>^&k=v;w=(1)*+,@:[]~"
	const want = "/l/it%27s/%24(id)?code=a%27b%24(touch%20pwned)%60id%60%22q%5Cx%21y%25zz%41%20%3C%7B%7C%7D%3E%5E&k=v;w=(1)*+,@:[]~"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "login", "acct")
	if r.Code != ExitOK || r.Stdout != srv.URL+want+"\n" {
		t.Errorf("exit %d, stdout\n%q\nwant\n%q\nstderr:\n%s", r.Code, r.Stdout, srv.URL+want+"\n", r.Stderr)
	}

	browser := browserScript(t, t.TempDir(), "browser", opens)
	r = sso(t, clitest.KeyEnv(clitest.TestKey, envBrowser+"="+browser+" --new-tab %s"), "--base-url", srv.URL, "login", "--open", "acct")
	args, err := os.ReadFile(browser + ".args")
	if r.Code != ExitOK || err != nil {
		t.Fatalf("login --open: exit %d, %v\nstderr:\n%s", r.Code, err, r.Stderr)
	}
	if got := string(args); got != "--new-tab\n"+srv.URL+want+"\n" {
		t.Errorf("the browser got\n%q\nwant\n%q", got, "--new-tab\n"+srv.URL+want+"\n")
	}
}
