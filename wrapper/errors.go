package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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
	// ErrInvalidResponse is wrapped when a response cannot be used: a body over 1 MiB,
	// a success body that is not the declared JSON, a 303 whose Location is missing or
	// untrusted, or an unasked 1xx.
	ErrInvalidResponse = errors.New("sendgrid: invalid response")

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
	// Errors are the API's error messages, from either body shape it sends, each
	// string made safe to show (see Body).
	Errors []ErrorDetail
	// RetryAfter is what the Retry-After header asked for, or 0.
	RetryAfter time.Duration

	// Operation is the Client method that failed: "GetSSOCertificate" or
	// "AuthenticateAccount".
	Operation string
	// RateLimit holds the X-RateLimit-* headers of the response, where present.
	RateLimit RateLimit
	// Body is a short excerpt of a body that carried no JSON errors (an HTML error
	// page from a proxy, say), or "". Like every string in an APIError it is one line,
	// with the API key, URL queries and login codes removed and control and bidi runes
	// escaped: safe to log and to print to a terminal.
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

// checkResponse returns nil for op's success status, and an *APIError for any other.
func (c *Client) checkResponse(op operation, resp *http.Response, body []byte, arrived time.Time) error {
	if resp.StatusCode == op.success {
		return nil
	}
	return c.newAPIError(op.name, resp, body, arrived)
}

// Bounds on what an APIError keeps of a body: an excerpt of a body without JSON errors,
// how many error details, and the length of each of their strings.
const (
	bodyExcerptLen  = 200
	maxErrorDetails = 50
	maxDetailLen    = 1000
)

// newAPIError builds the error for a non-success response from its bounded body.
// Every string in it passes the redactor.
func (c *Client) newAPIError(op string, resp *http.Response, body []byte, now time.Time) *APIError {
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
		d.Message = c.redact.text(d.Message, maxDetailLen)
		d.Field = c.redact.text(d.Field, maxDetailLen)
		d.ErrorID = c.redact.text(d.ErrorID, maxDetailLen)
	}
	if len(e.Errors) == 0 {
		e.Body = c.redact.text(string(body), bodyExcerptLen)
	}
	return e
}

// decodeErrorBody reads either error shape, a bare array or {"errors": [...]}, through
// the generated models. It returns nil for anything else, including a body that is
// JSON only once other whitespace than JSON's own (space, tab, CR, LF; RFC 8259 §2)
// is removed, such as a form feed or a Unicode space.
func decodeErrorBody(body []byte) []ErrorDetail {
	body = bytes.Trim(body, jsonSpace)
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

// jsonSpace is JSON's whitespace (RFC 8259 §2); bytes.TrimSpace would also remove
// \f, \v and Unicode spaces, which make a body invalid JSON.
const jsonSpace = " \t\r\n"

// kindError is an error of a sentinel's kind (ErrInvalidResponse, ErrInvalidConfig)
// inside an operation: its text leaves out the sentinel's "sendgrid: ", which the
// operation's own "sendgrid: Method: " prefix already says.
type kindError struct {
	kind error
	err  error
}

// Error is the sentinel's text without "sendgrid: ", then the error's.
func (e *kindError) Error() string {
	return strings.TrimPrefix(e.kind.Error(), "sendgrid: ") + ": " + e.err.Error()
}

// Is reports whether target is the sentinel.
func (e *kindError) Is(target error) bool { return target == e.kind }

// Unwrap returns the error.
func (e *kindError) Unwrap() error { return e.err }

// invalidResponse returns an error wrapping ErrInvalidResponse that says what was
// wrong with the response.
func invalidResponse(format string, args ...any) error {
	return &kindError{kind: ErrInvalidResponse, err: fmt.Errorf(format, args...)}
}
