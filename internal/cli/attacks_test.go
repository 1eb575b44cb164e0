package cli

// Routes around the promises of SECURITY.md that an independent review (an attacker's
// eye) found, one test each; each failed before its fix.

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// login --open promises the code never goes to stderr, but (1) the opener's own
// stderr is passed through raw, and openers quote the URL when they fail: xdg-open on
// a machine without a browser says "no method available for opening '<url>'"; and
// (2) a $BROWSER entry that starts with %s makes the URL the command's name, which the
// failure report (and the success note) print.
func TestOpenNeverPutsTheCodeOnStderr(t *testing.T) {
	const code = "OTC-NEVER-PRINT-ME"
	u, err := url.Parse("https://app.sendgrid.com/login?code=" + code)
	if err != nil {
		t.Fatal(err)
	}
	login := &wrapper.SSOLogin{URL: u, ExpiresAt: time.Now().Add(time.Minute)}
	dir := t.TempDir()
	xdgOpen := filepath.Join(dir, "xdg-open")
	script := "#!/bin/sh\necho \"xdg-open: no method available for opening '$1'\" >&2\nexit 3\n"
	if err := os.WriteFile(xdgOpen, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, browser := range map[string]string{
		"an opener that quotes the URL as it fails": xdgOpen,
		"BROWSER=%s": "%s",
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(envBrowser, browser)
			var stdout, stderr bytes.Buffer
			api, err := wrapper.New("SG.review-key-0123456789")
			if err != nil {
				t.Fatal(err)
			}
			g := &globals{stdout: &stdout, stderr: &stderr, api: api}
			if err := openLogin(context.Background(), g, "acct-1", login); err != nil {
				Report(&stderr, Name, err, "")
			}
			if strings.Contains(stderr.String(), code) {
				t.Errorf("stderr shows the code:\n%s", stderr.String())
			}
		})
	}
}

// cert escapes control characters but not a run of spaces: an integration ID (the
// API's text) padded with spaces wraps on an 80-column terminal so that a forged
// "sha256" row appears above the real one, the forged-line attack of issue 9 §6
// without a single control character.
func TestCertTextForgesNoRowByWrapping(t *testing.T) {
	const width = 80
	forged := "sha256       FA:KE:FA:KE"
	v := &CertView{ID: 1, IntegrationID: strings.Repeat(" ", width-len("integration  ")) + forged,
		SHA256Fingerprint: "74:CD:77"}
	var out bytes.Buffer
	if err := v.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		for len(line) > 0 {
			if strings.HasPrefix(line, "sha256") {
				rows++
			}
			line = line[min(width, len(line)):]
		}
	}
	if rows != 1 {
		t.Errorf("%d rows start with sha256 on an %d-column terminal, want 1:\n%s", rows, width, out.String())
	}
}
