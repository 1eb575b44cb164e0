package clitest

import (
	"debug/buildinfo"
	"runtime"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// WantVersion runs bin with each of argsets (such as {"--version"} and {"version"})
// and checks that every one exits 0, writes nothing to stderr and prints the same
// text: prog and wrapper.Version, the Go version running the tests with the platform,
// and the source revision exactly when bin's embedded build information holds one
// (read back from the file, as go version -m does), with its modified flag. It
// returns the text.
func WantVersion(t *testing.T, bin, prog string, argsets ...[]string) string {
	t.Helper()
	var text string
	for i, args := range argsets {
		r := Run(t, bin, nil, args...)
		r.WantExit(t, 0)
		if r.Stderr != "" {
			t.Errorf("%v: stderr is not empty:\n%s", args, r.Stderr)
		}
		if i == 0 {
			text = r.Stdout
		} else if r.Stdout != text {
			t.Errorf("%v prints\n%s\nbut %v prints\n%s", args, r.Stdout, argsets[0], text)
		}
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	want := []string{
		prog + " " + wrapper.Version,
		"go           " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
	}
	if len(lines) < len(want) {
		t.Fatalf("version text has %d lines, want at least %d:\n%s", len(lines), len(want), text)
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("version line %d = %q, want %q", i+1, lines[i], w)
		}
	}

	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("reading the build information of %s: %v", bin, err)
	}
	vcs := map[string]string{}
	for _, s := range bi.Settings {
		vcs[s.Key] = s.Value
	}
	rest := strings.Join(lines[len(want):], "\n")
	if rev := vcs["vcs.revision"]; rev == "" {
		if rest != "" {
			t.Errorf("the binary has no revision in its build information, yet the version text goes on:\n%s", rest)
		}
	} else {
		modified := "no"
		if vcs["vcs.modified"] == "true" {
			modified = "yes: built with uncommitted changes"
		}
		wantRest := "revision     " + rev + "\ncommitted    " + vcs["vcs.time"] + "\nmodified     " + modified
		if rest != wantRest {
			t.Errorf("the version text ends\n%s\nwant, from the binary's build information,\n%s", rest, wantRest)
		}
	}
	return text
}
