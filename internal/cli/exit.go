package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// Exit statuses, shared by sendgrid-sso and sendgrid-sso-fake.
const (
	ExitOK = 0
	// ExitAPI: the API answered with an error status (*wrapper.APIError), or with a
	// success response that cannot be used (wrapper.ErrInvalidResponse: no trusted
	// Location, a body that is not a certificate, a certificate that does not parse);
	// or the IdP metadata was not usable (idpmetadata.ErrInvalid).
	ExitAPI = 1
	// ExitUsage: a mistake on the command line or in the environment, found before any
	// request: a *UsageError, wrapper.ErrInvalidConfig (missing key, unknown region,
	// bad base URL), wrapper.ErrInvalidID (an empty, "." or ".." ID),
	// idpmetadata.ErrInvalidURL (an IdP metadata URL that is not https).
	ExitUsage = 2
	// ExitNetwork: no answer from the API or the IdP metadata URL: connection
	// failure, timeout.
	ExitNetwork = 3
	// ExitCheck: a check asked for failed (a *checkFailed): the certificate expired,
	// is not yet valid or expires within --warn-within, or the IdP does not sign with
	// it (--idp-metadata).
	ExitCheck = 4
	// ExitOutput: the result could not be written to stdout (a full disk, a closed
	// pipe). For login this means a login was minted and is lost, unused.
	ExitOutput = 5
	// ExitBrowser: login --open could not hand the URL to a browser (the opener is
	// missing or failed); the URL went to stdout instead.
	ExitBrowser = 6
)

// exitSeverity orders exit statuses for a run that has several outcomes (cert with
// several IDs): the status reported is the most severe. A problem with the command
// line comes first; then an ID that got no answer, then one that got an error answer;
// a failed check only counts when nothing worse happened, since for the other IDs no
// check could run.
var exitSeverity = map[int]int{ExitOK: 0, ExitCheck: 1, ExitAPI: 2, ExitNetwork: 3, ExitUsage: 4, ExitOutput: 5}

// worseExit returns the more severe of the exit statuses a and b.
func worseExit(a, b int) int {
	if exitSeverity[b] > exitSeverity[a] {
		return b
	}
	return a
}

// reported is the error of a command that has reported its errors itself (on stderr,
// one per failed item): Report prints nothing more, ExitCode returns the status.
type reported int

// Error names the status.
func (r reported) Error() string { return fmt.Sprintf("exit status %d", int(r)) }

// ExitCode sorts err into an exit status.
func ExitCode(err error) int {
	var u *UsageError
	var apiErr *wrapper.APIError
	var done reported
	var check *checkFailed
	var out *outputError
	var browser *browserError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &done):
		return int(done)
	case errors.As(err, &out):
		return ExitOutput
	case errors.As(err, &browser):
		return ExitBrowser
	case errors.As(err, &u), errors.Is(err, wrapper.ErrInvalidConfig), errors.Is(err, wrapper.ErrInvalidID),
		errors.Is(err, idpmetadata.ErrInvalidURL):
		return ExitUsage
	case errors.As(err, &apiErr), errors.Is(err, wrapper.ErrInvalidResponse), errors.Is(err, idpmetadata.ErrInvalid):
		return ExitAPI
	case errors.As(err, &check):
		return ExitCheck
	default:
		return ExitNetwork
	}
}

// UsageError is a mistake on the command line (exit status 2). Report follows its
// text with the synopsis Usage and the command line Help that shows more.
type UsageError struct {
	Err   error
	Usage string // "sendgrid-sso [global flags] cert [--json] [--pem] CERT_ID"
	Help  string // "sendgrid-sso cert --help"
}

// Error is the wrapped error's text.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *UsageError) Unwrap() error { return e.Err }

// usage is a usage error about cmd, or about the global part when cmd is nil.
func usage(cmd *command, err error) *UsageError {
	if cmd == nil {
		return &UsageError{Err: err, Usage: Name + " [global flags] COMMAND [command flags] [ARG]", Help: Name + " --help"}
	}
	return &UsageError{Err: err, Usage: usageLine(cmd), Help: Name + " " + cmd.name + " --help"}
}

// outputError is a failure to write the result to stdout (exit status 5).
type outputError struct{ err error }

// Error is the wrapped error's text.
func (e *outputError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *outputError) Unwrap() error { return e.err }

// browserError is login --open failing to open a browser (exit status 6).
type browserError struct{ err error }

// Error is the wrapped error's text.
func (e *browserError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *browserError) Unwrap() error { return e.err }

// invalidResponse marks err as a response the tool cannot use (exit 1) without
// changing its text.
type invalidResponse struct{ error }

// Is makes errors.Is(err, wrapper.ErrInvalidResponse) hold.
func (e invalidResponse) Is(target error) bool { return target == wrapper.ErrInvalidResponse }

// Unwrap returns the wrapped error.
func (e invalidResponse) Unwrap() error { return e.error }

// Report writes err to w as program prog reports it: one line, then for an API error
// each message with its error ID on a line of its own, or for a usage error the
// synopsis and how to get help. secret (the API key) is removed wherever it appears,
// and every line is escaped for the terminal (it may quote what a server sent).
func Report(w io.Writer, prog string, err error, secret string) {
	lines := []string{prog + ": " + err.Error()}
	var u *UsageError
	var apiErr *wrapper.APIError
	var done reported
	switch {
	case errors.As(err, &done):
		return
	case errors.As(err, &u):
		if u.Usage != "" {
			lines = append(lines, "usage: "+u.Usage)
		}
		if u.Help != "" {
			lines = append(lines, "Run '"+u.Help+"' for more.")
		}
	case errors.As(err, &apiErr):
		headline := fmt.Sprintf("%s: the API answered %d %s", apiErr.Operation, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
		// Keep what wraps the API error ("gave up after 3 attempts") around the headline.
		lines[0] = prog + ": " + strings.Replace(err.Error(), apiErr.Error(), headline, 1)
		for _, d := range apiErr.Errors {
			lines = append(lines, "  "+d.String())
		}
		if apiErr.Body != "" {
			lines = append(lines, "  body: "+apiErr.Body)
		}
		if apiErr.RetryAfter > 0 {
			lines = append(lines, fmt.Sprintf("  retry after %v", apiErr.RetryAfter))
		}
	}
	if secret = strings.TrimSpace(secret); secret != "" {
		for i, l := range lines {
			lines[i] = strings.ReplaceAll(l, secret, "[REDACTED]")
		}
	}
	_ = writeLines(w, lines...)
}
