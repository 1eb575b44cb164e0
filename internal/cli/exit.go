package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
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
	// ExitBrowser: login --open could not hand the URL to a browser: none was found
	// (then no login was minted), or every one failed (then the URL went to stdout).
	ExitBrowser = 6
)

// exitOrder is the order of exit statuses for a run that has several outcomes (cert
// with several IDs), most severe first: the status reported is the most severe. Output
// that could not be written comes first (whatever else happened, the user did not get
// it); then a problem with the command line; then an ID that got no answer, then one
// that got an error answer; a failed check only counts when nothing worse happened,
// since for the other IDs no check could run. ExitBrowser is login's alone.
var exitOrder = []int{ExitOutput, ExitUsage, ExitNetwork, ExitAPI, ExitCheck, ExitOK}

// exitWhat says in a few words what each status of exitOrder means, for cert --help.
var exitWhat = map[int]string{
	ExitOutput:  "the output could not be written",
	ExitUsage:   "usage",
	ExitNetwork: "no answer",
	ExitAPI:     "an error answer, an unusable response or unusable IdP metadata",
	ExitCheck:   "a failed check",
	ExitOK:      "success",
}

// exitOrderText is exitOrder as help text: "5, 2, 3, 1, 4, 0".
func exitOrderText() string {
	parts := make([]string, len(exitOrder))
	for i, s := range exitOrder {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, ", ")
}

// exitOrderTable is exitOrder as a help Table, each status with what it means.
func exitOrderTable() string {
	rows := make([]Row, len(exitOrder))
	for i, s := range exitOrder {
		rows[i] = Row{strconv.Itoa(s), exitWhat[s]}
	}
	return Table(rows...)
}

// exitHelp is the top-level help's table of exit statuses.
var exitHelp = []Row{
	{strconv.Itoa(ExitOK), "success"},
	{strconv.Itoa(ExitAPI), "the API answered with an error status, or with a response that cannot be used"},
	{strconv.Itoa(ExitUsage), "usage or configuration error: a missing argument or key, an unknown region, an invalid ID or base URL"},
	{strconv.Itoa(ExitNetwork), "network failure or timeout: no answer from the API (or the IdP metadata URL)"},
	{strconv.Itoa(ExitCheck), "a check asked for failed: cert --warn-within or --idp-metadata"},
	{strconv.Itoa(ExitOutput), "the result could not be written to stdout (a full disk, a closed pipe); for login, a login was minted and is lost unused"},
	{strconv.Itoa(ExitBrowser), "login --open found no browser (nothing was minted), or the browser failed (the URL is on stdout instead)"},
}

// worseExit returns the more severe of the exit statuses a and b (see exitOrder).
func worseExit(a, b int) int {
	if slices.Index(exitOrder, b) < slices.Index(exitOrder, a) {
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

// OutputError marks err, a failure to write the result to stdout, for ExitCode: exit
// status 5 (ExitOutput).
func OutputError(err error) error { return &outputError{err} }

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
// synopsis and how to get help. secret (the API key) is hidden by internal/redact,
// the one redaction of the module, wherever a reader finds it (in any case, in any
// escaped spelling), and every line is escaped for the terminal (it may quote what a
// server sent).
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
	// URL queries and codes are the sources' to hide (package wrapper's errors,
	// idpmetadata's); the key is hidden here too, whatever produced the error.
	secret = strings.TrimSpace(secret)
	for i, l := range lines {
		lines[i] = redact.Hide(l, false, secret)
	}
	_ = writeLines(w, lines...)
}
