package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
)

// Sentinel errors. An *APIError matches the status sentinels with errors.Is:
//
//	if errors.Is(err, wrapper.ErrNotFound) { ... }
var (
	// ErrInvalidConfig is wrapped by every error New and NewFromEnv return.
	ErrInvalidConfig = errors.New("sendgrid: invalid configuration")
	// ErrInvalidID is wrapped when a certificate or account ID is refused before any
	// request is sent.
	ErrInvalidID = errors.New("sendgrid: invalid ID")
	// ErrInvalidResponse is wrapped when a success response cannot be used: a body
	// that is not the declared JSON, a body over the size limit, or a 303 whose
	// Location is missing or untrusted.
	ErrInvalidResponse = errors.New("invalid response")

	// ErrUnauthorized matches an *APIError with status 401: a wrong or revoked key, or
	// a key of the other region.
	ErrUnauthorized = errors.New("sendgrid: unauthorized")
	// ErrForbidden matches an *APIError with status 403: the key lacks the scope.
	ErrForbidden = errors.New("sendgrid: forbidden")
	// ErrNotFound matches an *APIError with status 404.
	ErrNotFound = errors.New("sendgrid: not found")
	// ErrRateLimited matches an *APIError with status 429.
	ErrRateLimited = errors.New("sendgrid: rate limited")
	// ErrServer matches an *APIError with a 5xx status.
	ErrServer = errors.New("sendgrid: server error")
)

// APIError is the error for any status other than the operation's success status
// (200 for GetSSOCertificate, 303 for AuthenticateAccount). Use errors.As to get it,
// or errors.Is with ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited or
// ErrServer.
type APIError struct {
	// StatusCode is the HTTP status, such as 404.
	StatusCode int
	// Errors are the API's error messages, from either body shape it sends.
	Errors []ErrorDetail
	// RetryAfter is what the Retry-After header asked for, or 0.
	RetryAfter time.Duration

	// Operation is the operation that failed: "GetSsoCertificate" or
	// "AuthenticateAccount".
	Operation string
	// RateLimit holds the X-RateLimit-* headers of the response, where present.
	RateLimit RateLimit
	// Body is a short, printable excerpt of a body that carried no JSON errors (an
	// HTML error page from a proxy, say), or "".
	Body string
}

// ErrorDetail is one message of an API error.
type ErrorDetail struct {
	// Message says what went wrong.
	Message string
	// Field names the request field at fault, or "" (the API sends null or "").
	Field string
	// ErrorID is SendGrid's code for the error, such as "10-40400", or "".
	ErrorID string
}

// RateLimit is what the X-RateLimit-* headers said; zero values where absent.
type RateLimit struct {
	// Limit is the number of requests allowed in the window.
	Limit int
	// Remaining is the number of requests left in the window.
	Remaining int
	// Reset is when the window resets.
	Reset time.Time
}

// Error names the operation, the status and every message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("sendgrid: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	for i, d := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(d.String())
	}
	if len(e.Errors) == 0 && e.Body != "" {
		fmt.Fprintf(&b, ": body %q", e.Body)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %v)", e.RetryAfter)
	}
	return b.String()
}

// Is reports whether target is the status sentinel that matches e.StatusCode.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// String renders the detail as "message (field f) [error_id]".
func (d ErrorDetail) String() string {
	s := d.Message
	if s == "" {
		s = "(no message)"
	}
	if d.Field != "" {
		s += " (field " + d.Field + ")"
	}
	if d.ErrorID != "" {
		s += " [" + d.ErrorID + "]"
	}
	return s
}

// Bounds on what an APIError keeps of a body: an excerpt of a body without JSON errors,
// how many error details, and the length of each of their strings.
const (
	bodyExcerptLen  = 200
	maxErrorDetails = 50
	maxDetailLen    = 1000
)

// newAPIError builds the error for a non-success response from its bounded body.
// redact is removed from any body excerpt (the API key, should a proxy echo it).
func newAPIError(op string, resp *http.Response, body []byte, now time.Time, redact string) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Operation:  op,
		RateLimit:  parseRateLimit(resp.Header),
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		e.RetryAfter = d
	}
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		// A redirect's body only repeats its Location, which may carry a login code.
		return e
	}
	e.Errors = decodeErrorBody(body)
	for i := range e.Errors {
		d := &e.Errors[i]
		d.Message = printable(d.Message, redact, maxDetailLen)
		d.Field = printable(d.Field, redact, maxDetailLen)
		d.ErrorID = printable(d.ErrorID, redact, maxDetailLen)
	}
	if len(e.Errors) == 0 {
		e.Body = excerpt(body, redact)
	}
	return e
}

// redacted returns s with every occurrence of secret replaced by "[REDACTED]".
func redacted(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[REDACTED]")
}

// decodeErrorBody reads either error shape, a bare array or {"errors": [...]}, through
// the generated models. It returns nil for anything else.
func decodeErrorBody(body []byte) []ErrorDetail {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	var list gen.ErrorList
	switch body[0] {
	case '[':
		if json.Unmarshal(body, &list) != nil {
			return nil
		}
	case '{':
		var env gen.ErrorEnvelope
		if json.Unmarshal(body, &env) != nil {
			return nil
		}
		list = env.Errors
	default:
		return nil
	}
	if len(list) == 0 {
		return nil
	}
	out := make([]ErrorDetail, min(len(list), maxErrorDetails))
	for i, d := range list[:len(out)] {
		out[i] = ErrorDetail{Message: d.Message, Field: d.Field, ErrorID: d.ErrorID}
	}
	return out
}

// excerpt returns a short single-line printable prefix of body, with redact removed.
func excerpt(body []byte, redact string) string {
	return printable(string(body), redact, bodyExcerptLen)
}

// printable folds s onto one line of at most limit bytes ("…" marks a cut): runs of
// white space become one space, other non-printable runes and invalid UTF-8 are
// dropped, and redact is replaced by "[REDACTED]". The whole string is folded and
// redacted before it is cut, so that no copy of the secret is cut in half (and so
// missed), and no control character hidden in an echoed secret lets it through;
// nothing from the server can start a new line in a log either. s is at most a
// bounded body.
func printable(s, redact string, limit int) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsPrint(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := redacted(b.String(), redact)
	if len(out) <= limit {
		return out
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return out[:cut] + "…"
}
