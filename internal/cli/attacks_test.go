package cli

// Routes around the promises of SECURITY.md that an independent review (an attacker's
// eye) found, one test each; each failed before its fix.

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// login --open promises the code never goes to stderr, but (1) the opener's own
// stderr is passed through raw, and openers quote the URL when they fail: xdg-open on
// a machine without a browser says "no method available for opening '<url>'"; and
// (2) a $BROWSER entry that starts with %s makes the URL the command's name, which the
// failure report (and the success note) print.
func TestOpenNeverPutsTheCodeOnStderr(t *testing.T) {
	t.Parallel()
	xdgOpen := browserScript(t, t.TempDir(), "xdg-open", quotesTheURL)
	for name, browser := range map[string]string{
		"an opener that quotes the URL as it fails": xdgOpen,
		"BROWSER=%s": "%s",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := clitest.NewFake(t)
			r := sso(t, clitest.KeyEnv(fake.APIKey, envBrowser+"="+browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
			if r.Code != ExitBrowser {
				t.Errorf("exit %d, want %d", r.Code, ExitBrowser)
			}
			if u, err := url.Parse(strings.TrimSpace(r.Stdout)); err == nil && u.Query().Get("code") != "" && strings.Contains(r.Stderr, u.Query().Get("code")) {
				t.Errorf("stderr shows the code:\n%s", r.Stderr)
			}
			if strings.Contains(r.Stderr, "code=") {
				t.Errorf("stderr shows the login URL's code:\n%s", r.Stderr)
			}
		})
	}
}

// cert escapes control characters but not a run of spaces: an integration ID (the
// API's text) padded with spaces wraps on an 80-column terminal so that a forged
// "sha256" row appears above the real one, the forged-line attack of issue 9 §6
// without a single control character.
func TestCertTextForgesNoRowByWrapping(t *testing.T) {
	t.Parallel()
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
