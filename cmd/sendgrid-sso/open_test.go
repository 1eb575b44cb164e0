package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// fakeBrowser writes a script into dir that records its arguments, one a line, in
// dir/name.args and exits with status exit. It returns the script's path.
func fakeBrowser(t *testing.T, dir, name, exit string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\nexit " + exit + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// recorded returns the arguments the script at path was called with, or nil if it
// was not.
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
	dir := t.TempDir()
	good := fakeBrowser(t, dir, "good", "0")
	tabbed := fakeBrowser(t, dir, "tabbed", "0")
	cases := []struct {
		name, browser string
		script        string   // the script that should have opened it
		before        []string // its arguments before the URL
	}{
		{"command", good, good, nil},
		{"with %s", tabbed + " --new-tab %s", tabbed, []string{"--new-tab"}},
		{"first of a list that starts", filepath.Join(dir, "missing") + ":" + good, good, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(tc.script + ".args")
			fake := clitest.NewFake(t)
			r := sso(t, clitest.KeyEnv(fake.APIKey, "BROWSER="+tc.browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			r.WantExit(t, cli.ExitOK)
			if r.Stdout != "" {
				t.Errorf("stdout is not empty: %q", r.Stdout)
			}
			args := recorded(t, tc.script)
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
// it says so and exits 6 before minting a login.
func TestLoginOpenFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	failing := fakeBrowser(t, dir, "failing", "3")
	cases := []struct {
		name   string
		env    []string
		want   string
		minted bool
	}{
		{"BROWSER exits non-zero", []string{"BROWSER=" + failing}, "--open: could not open the login URL in a browser (" + failing + ": exit status 3): it is on stdout instead", true},
		{"BROWSER missing, the next fails", []string{"BROWSER=" + filepath.Join(dir, "missing") + ":" + failing},
			"(" + filepath.Join(dir, "missing") + ": no such file or directory; " + failing + ": exit status 3): it is on stdout instead", true},
		{"BROWSER missing", []string{"BROWSER=" + filepath.Join(dir, "missing")}, "--open: no browser to open the login URL with (" + filepath.Join(dir, "missing") + ": no such file or directory), so none was minted", false},
		// No $BROWSER, and no xdg-open (or open) on a PATH without it.
		{"no opener", []string{"PATH=" + dir}, ": executable file not found in $PATH), so none was minted", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := clitest.NewFake(t)
			r := sso(t, clitest.KeyEnv(fake.APIKey, tc.env...), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			r.WantExit(t, cli.ExitBrowser)
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
