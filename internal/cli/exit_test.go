package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// percentEncoded is s with every byte percent-encoded.
func percentEncoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestReportHidesTheKeyInAnySpelling: Report hides the key wherever an error holds
// it, in any case and in any spelling a reader decodes, through internal/redact, one
// mark where it stood; it used to replace the exact spelling only, so a key echoed
// lower-cased or percent-encoded reached stderr.
func TestReportHidesTheKeyInAnySpelling(t *testing.T) {
	t.Parallel()
	const key = "SG.report-key-NEVER-PRINT-ME.0123"
	spellings := map[string]string{
		"as it is":        key,
		"lower-cased":     strings.ToLower(key),
		"upper-cased":     strings.ToUpper(key),
		"percent-encoded": percentEncoded(key),
		"dots as %2E":     strings.ReplaceAll(key, ".", "%2E"),
		"a JSON escape":   `\u0053` + key[1:],
		"twice in a row":  key + strings.ToLower(key),
	}
	for name, spelled := range spellings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				err  error
				want string
			}{
				{fmt.Errorf("the proxy refused %s: try again", spelled), "sendgrid-sso: the proxy refused " + redact.Mark + ": try again\n"},
				{&UsageError{Err: errors.New("bad " + spelled), Usage: "sendgrid-sso " + spelled, Help: "sendgrid-sso --help"},
					"sendgrid-sso: bad " + redact.Mark + "\nusage: sendgrid-sso " + redact.Mark + "\nRun 'sendgrid-sso --help' for more.\n"},
				{&wrapper.APIError{Operation: "GetSSOCertificate", StatusCode: 401, Errors: []wrapper.ErrorDetail{{Message: "bad key " + spelled, ErrorID: "10-40100"}}},
					"sendgrid-sso: GetSSOCertificate: the API answered 401 Unauthorized\n  bad key " + redact.Mark + " [10-40100]\n"},
			} {
				var out strings.Builder
				Report(&out, Name, tc.err, key)
				if out.String() != tc.want {
					t.Errorf("Report(%q) wrote\n%q\nwant\n%q", tc.err, out.String(), tc.want)
				}
			}
		})
	}
}
