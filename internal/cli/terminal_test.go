package cli

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Hostile text a server (or whoever made the IdP certificate) can send.
const (
	// forge recolours, then starts a line that looks like a fingerprint.
	forge = "abc\x1b[31mRED\x1b[0m\r\nsha256       FA:KE"
	// retitle is an OSC sequence that sets the terminal's title.
	retitle = "\x1b]0;pwned\x07"
	// reorder is a bidi override and a C1 CSI.
	reorder = "txt.exe\u202egnp\u009b2J\u0085"
)

// hostileCertPEM is a self-signed certificate whose subject and issuer CN is cn.
func hostileCertPEM(t *testing.T, cn string) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: clitest.NewCert(t, cn).Raw}))
}

// TestCertTextIsEscaped: server text in cert's text output can neither forge a line
// nor reach the terminal raw, and the real fingerprint stays the only one.
func TestCertTextIsEscaped(t *testing.T) {
	t.Parallel()
	defaultPEM := ssotest.DefaultCertificate().PublicCertificate
	cases := []struct {
		name, integration, cn string
	}{
		{"integration ID forges a fingerprint line", forge, ""},
		{"integration ID retitles the terminal", retitle, ""},
		{"integration ID reorders text", reorder, ""},
		{"subject CN forges a line and retitles", "i-1", "idp" + retitle + "\r\nsha256       FA:KE" + reorder},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pemText := defaultPEM
			if tc.cn != "" {
				pemText = hostileCertPEM(t, tc.cn)
			}
			fake := clitest.NewFake(t, ssotest.WithCertificate(ssotest.Certificate{ID: 7, IntegrationID: tc.integration, PublicCertificate: pemText}))
			r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "7")
			r.WantExit(t, ExitOK)
			wantNoRawControl(t, r)
			lines := strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n")
			if len(lines) != 8 {
				t.Fatalf("cert printed %d lines, want 8:\n%s", len(lines), r.Stdout)
			}
			block, _ := pem.Decode([]byte(pemText))
			fields := clitest.TextFields(t, r.Stdout)
			clitest.WantFingerprint(t, fields["sha256"], block.Bytes)
			if !strings.HasPrefix(lines[1], "integration  ") || !strings.HasPrefix(lines[7], "sha256       ") {
				t.Errorf("the lines moved:\n%s", r.Stdout)
			}
			// The escape is readable: the text is all there, as Go escapes, with runs
			// of spaces folded to one (padding could push text onto a row of its own).
			if want := safetext.Escape(strings.Join(strings.Split(tc.integration, "       "), " ")); fields["integration"] != want {
				t.Errorf("integration = %q, want %q", fields["integration"], want)
			}
		})
	}
}

// TestCertJSONIsEscaped: --json escapes what encoding/json leaves raw (bidi, C1, DEL)
// as \u escapes, and the value decodes back to exactly what the server sent.
func TestCertJSONIsEscaped(t *testing.T) {
	t.Parallel()
	hostile := forge + retitle + reorder + "\x7f\U000e0041" // DEL, a tag character
	cn := "idp" + retitle + reorder
	pemText := hostileCertPEM(t, cn)
	fake := clitest.NewFake(t, ssotest.WithCertificate(ssotest.Certificate{ID: 7, IntegrationID: hostile, PublicCertificate: pemText}))
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--json", "7")
	r.WantExit(t, ExitOK)
	wantNoRawControl(t, r)
	var got struct {
		IntegrationID string `json:"integration_id"`
		Subject       string `json:"subject"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.Stdout)
	}
	if got.IntegrationID != hostile {
		t.Errorf("integration_id decodes to %q, want %q", got.IntegrationID, hostile)
	}
	block, _ := pem.Decode([]byte(pemText))
	x, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if want := x.Subject.String(); got.Subject != want || !strings.Contains(want, reorder) {
		t.Errorf("subject decodes to %q, want %q, raw runes included", got.Subject, want)
	}
	for _, esc := range []string{`\u202e`, `\u009b`, `\u0085`, `\u007f`, `\udb40\udc41`} {
		if !strings.Contains(r.Stdout, esc) {
			t.Errorf("JSON lacks the escape %s:\n%s", esc, r.Stdout)
		}
	}
}

// TestErrorsAreEscaped: API error messages, fields, error IDs, body excerpts and the
// text of other errors reach stderr escaped, one line each.
func TestErrorsAreEscaped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		args   []string
		lines  int // lines on stderr
		exit   int
		where  string // a header the server sets, Location when not empty
	}{
		{"API error message, field and ID", http.StatusBadRequest,
			`{"errors":[{"message":"` + jsonText(forge) + `","field":"` + jsonText(retitle) + `","error_id":"` + jsonText(reorder) + `"}]}`,
			[]string{"login", "acct"}, 2, ExitAPI, ""},
		{"body excerpt", http.StatusBadRequest, "not json " + forge + retitle + reorder, []string{"login", "acct"}, 2, ExitAPI, ""},
		{"unusable 200", http.StatusOK, "<html>" + forge + retitle + reorder + "</html>", []string{"cert", "7"}, 1, ExitAPI, ""},
		{"foreign Location host", http.StatusSeeOther, "", []string{"login", "acct"}, 1, ExitAPI,
			"https://evil" + strings.ReplaceAll(reorder, ".", "") + " .example/login?code=x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tc.where != "" {
					w.Header().Set("Location", tc.where)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			r := sso(t, clitest.KeyEnv(clitest.TestKey), append([]string{"--base-url", srv.URL}, tc.args...)...)
			r.WantExit(t, tc.exit)
			wantNoRawControl(t, r)
			if n := strings.Count(r.Stderr, "\n"); n != tc.lines {
				t.Errorf("stderr has %d lines, want %d:\n%s", n, tc.lines, r.Stderr)
			}
			if !strings.Contains(r.Stderr, "RED") && !strings.Contains(r.Stderr, "evil") {
				t.Errorf("stderr does not show the server's text:\n%s", r.Stderr)
			}
		})
	}
}

// jsonText is s as the inside of a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
