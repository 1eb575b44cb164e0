package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// Exit statuses.
const (
	exitOK = 0
	// exitAPI: the API answered with an error status (*wrapper.APIError), or with a
	// success response that cannot be used (wrapper.ErrInvalidResponse: no trusted
	// Location, a body that is not a certificate, a certificate that does not parse).
	exitAPI = 1
	// exitUsage: a mistake on the command line or in the environment, found before any
	// request: wrapper.ErrInvalidConfig (missing key, unknown region, bad base URL),
	// wrapper.ErrInvalidID (an empty, "." or ".." ID), a missing argument.
	exitUsage = 2
	// exitNetwork: no answer from the API: connection failure, timeout.
	exitNetwork = 3
)

// exitCode sorts err into an exit status.
func exitCode(err error) int {
	var usage *usageError
	var apiErr *wrapper.APIError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage), errors.Is(err, wrapper.ErrInvalidConfig), errors.Is(err, wrapper.ErrInvalidID):
		return exitUsage
	case errors.As(err, &apiErr), errors.Is(err, wrapper.ErrInvalidResponse):
		return exitAPI
	default:
		return exitNetwork
	}
}

// usageError is a mistake on the command line. cmd is the command it concerns, or
// nil for the global part.
type usageError struct {
	cmd *command
	err error
}

// Error is the wrapped error's text.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *usageError) Unwrap() error { return e.err }

// invalidResponse marks err as a response the tool cannot use (exit 1) without
// changing its text.
type invalidResponse struct{ error }

// Is makes errors.Is(err, wrapper.ErrInvalidResponse) hold.
func (e invalidResponse) Is(target error) bool { return target == wrapper.ErrInvalidResponse }

// Unwrap returns the wrapped error.
func (e invalidResponse) Unwrap() error { return e.error }

// report writes err to w: one line, then for an API error each message with its error
// ID on a line of its own, or for a usage error how to get help. secret (the API key)
// is removed wherever it appears.
func report(w io.Writer, err error, secret string) {
	var b strings.Builder
	var usage *usageError
	var apiErr *wrapper.APIError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(&b, "sendgrid-sso: %v\n", err)
		writeUsageHint(&b, usage.cmd)
	case errors.As(err, &apiErr):
		headline := fmt.Sprintf("%s: the API answered %d %s", apiErr.Operation, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
		// Keep what wraps the API error ("gave up after 3 attempts") around the headline.
		fmt.Fprintf(&b, "sendgrid-sso: %s\n", strings.Replace(err.Error(), apiErr.Error(), headline, 1))
		for _, d := range apiErr.Errors {
			fmt.Fprintf(&b, "  %s\n", d)
		}
		if apiErr.Body != "" {
			fmt.Fprintf(&b, "  body: %s\n", apiErr.Body)
		}
		if apiErr.RetryAfter > 0 {
			fmt.Fprintf(&b, "  retry after %v\n", apiErr.RetryAfter)
		}
	default:
		fmt.Fprintf(&b, "sendgrid-sso: %v\n", err)
	}
	out := b.String()
	if secret = strings.TrimSpace(secret); secret != "" {
		out = strings.ReplaceAll(out, secret, "[REDACTED]")
	}
	_, _ = io.WriteString(w, out)
}
