package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// browserScript writes a shell script into dir that records its arguments, one a
// line, in dir/name.args, runs extra, and exits with status exit. It returns the
// script's path.
func browserScript(t *testing.T, dir, name, extra, exit string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n" + extra + "\nexit " + exit + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
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

// TestOpenFindsTheBrowserFirst: login --open with no browser to hand the URL to, and
// stdout on /dev/null, used to mint a login and lose it there. It looks for the
// browser commands first and, finding none, exits 6 without any request.
func TestOpenFindsTheBrowserFirst(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		name, browser, path, want string
	}{
		{"no $BROWSER, no xdg-open", "", empty, "xdg-open: executable file not found in $PATH"},
		{"$BROWSER missing", filepath.Join(empty, "firefox") + ":w3m", empty, "firefox: no such file or directory; w3m: executable file not found in $PATH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake(t)
			t.Setenv(envBrowser, tc.browser)
			t.Setenv("PATH", tc.path)
			var stderr strings.Builder
			code := Run(t.Context(), []string{"--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID}, devNull(t), &stderr)
			if code != ExitBrowser {
				t.Errorf("exit %d, want %d", code, ExitBrowser)
			}
			for _, want := range []string{"--open: no browser to open the login URL with (", tc.want, "so none was minted", "set $BROWSER"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if n := fake.Requests(); n != 0 {
				t.Errorf("the fake answered %d requests: a login was minted for no browser", n)
			}
		})
	}
}

// TestOpenFailsWithStdoutOnDevNull: when the browser found fails and stdout is
// /dev/null, the URL cannot go to stdout instead: login says the login is lost.
func TestOpenFailsWithStdoutOnDevNull(t *testing.T) {
	fake := newFake(t)
	t.Setenv(envBrowser, browserScript(t, t.TempDir(), "failing", "", "3"))
	var stderr strings.Builder
	code := Run(t.Context(), []string{"--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID}, devNull(t), &stderr)
	if code != ExitBrowser || !strings.Contains(stderr.String(), "failing: exit status 3), and stdout is /dev/null: the login is lost; it expires unused at ") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "on stdout instead") {
		t.Errorf("stderr says the URL is on stdout, which is /dev/null:\n%s", stderr.String())
	}
}

// TestLoginURLIsSafeForAShell: a trusted host (here the base URL's own) still chooses
// the Location's path and query. What login prints, and what it hands a browser, is
// one string: every byte RFC 3986 does not allow unencoded, and ' $ !, percent-encoded,
// so that "$(...)", a backtick or a quote cannot run anything when the URL is pasted
// into a shell or handed to an opener that uses one.
func TestLoginURLIsSafeForAShell(t *testing.T) {
	const location = "/l/it's/$(id)?code=a'b$(touch pwned)`id`\"q\\x!y%zz%41 <{|}>^&k=v;w=(1)*+,@:[]~"
	const want = "/l/it%27s/%24(id)?code=a%27b%24(touch%20pwned)%60id%60%22q%5Cx%21y%25zz%41%20%3C%7B%7C%7D%3E%5E&k=v;w=(1)*+,@:[]~"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(http.StatusSeeOther)
	}))
	defer srv.Close()
	newFake(t) // the key in the environment
	code, stdout, stderr := run(t, "--base-url", srv.URL, "login", "acct")
	if code != ExitOK || stdout != srv.URL+want+"\n" {
		t.Errorf("exit %d, stdout\n%q\nwant\n%q\nstderr:\n%s", code, stdout, srv.URL+want+"\n", stderr)
	}

	dir := t.TempDir()
	browser := browserScript(t, dir, "browser", "", "0")
	t.Setenv(envBrowser, browser+" --new-tab %s")
	code, _, stderr = run(t, "--base-url", srv.URL, "login", "--open", "acct")
	args, err := os.ReadFile(browser + ".args")
	if code != ExitOK || err != nil {
		t.Fatalf("login --open: exit %d, %v\nstderr:\n%s", code, err, stderr)
	}
	if got := string(args); got != "--new-tab\n"+srv.URL+want+"\n" {
		t.Errorf("the browser got\n%q\nwant\n%q", got, "--new-tab\n"+srv.URL+want+"\n")
	}
}
