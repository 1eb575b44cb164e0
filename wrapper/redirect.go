package wrapper

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
)

// noRedirects returns a copy of hc that never follows a redirect: the redirect
// response itself is returned. hc is not changed. Following the 303 of
// AuthenticateAccount would spend its one-time login code.
//
// CheckRedirect alone is not enough: http.Client parses the Location before it asks
// CheckRedirect, and its parse error quotes the whole URL, code included. So the
// copy's transport also takes Location out of http.Client's sight (holdLocation).
//
// The copy has no Timeout: with a transport that is not an *http.Transport, as
// holdLocation is, http.Client enforces a Timeout with a timer, a goroutine and six
// allocations per request. The Client applies hc.Timeout to each attempt's context
// instead (newAttempt), which bounds the same thing: the request and its body.
func noRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.Timeout = 0
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = holdLocation{next: next}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// newSender returns what the generated client sends its requests through: hc made
// never to follow a redirect (noRedirects), or, when hc has no cookie jar, that
// client's transport itself (transportSender), which does the same for less.
func newSender(hc *http.Client) gen.HttpRequestDoer {
	nr := noRedirects(hc)
	if hc.Jar != nil {
		return nr
	}
	return transportSender{nr.Transport}
}

// transportSender sends a request through its transport (holdLocation) without
// http.Client: for the Client, which follows no redirect, sets no Timeout and, here,
// has no cookie jar, http.Client.Do only costs a copy of the request's headers and the
// bookkeeping of a redirect chain (six allocations a GET). It keeps what a caller
// sees of http.Client: a failed request is a *url.Error naming the method and URL, and
// a plain-HTTP answer to an https request is http.ErrSchemeMismatch.
type transportSender struct{ rt http.RoundTripper }

// Do sends req through the transport.
func (s transportSender) Do(req *http.Request) (*http.Response, error) {
	resp, err := s.rt.RoundTrip(req)
	if err != nil {
		if tlsErr, ok := err.(tls.RecordHeaderError); ok && string(tlsErr.RecordHeader[:]) == "HTTP/" {
			err = http.ErrSchemeMismatch
		}
		return nil, &url.Error{Op: req.Method[:1] + strings.ToLower(req.Method[1:]), URL: req.URL.String(), Err: err}
	}
	return resp, nil
}

// holdLocation takes the Location header out of every 3xx response, so that neither
// http.Client nor anything else reads it unchecked, and hands it to the attempt's
// heldLocation, where there is one: the Location reaches the exchange directly, never
// through a header.
type holdLocation struct{ next http.RoundTripper }

// heldLocation is the context of an attempt whose answer is a redirect the Client
// reads (the 303 of AuthenticateAccount): holdLocation stores the Location there, and
// the exchange checks it (loginLocation). It is the attempt's context itself, so that
// holding a Location costs one allocation; it is filled before RoundTrip returns.
type heldLocation struct {
	context.Context
	// values are the 3xx answer's Location values; nil when it had none.
	values []string
	// requestURL is the URL of the request it answered, which a relative Location is
	// resolved against.
	requestURL *url.URL
}

// heldLocationKey is the context key under which a heldLocation finds itself.
type heldLocationKey struct{}

// Value returns the heldLocation itself for heldLocationKey, and the attempt's value
// for any other key.
func (h *heldLocation) Value(key any) any {
	if key == (heldLocationKey{}) {
		return h
	}
	return h.Context.Value(key)
}

// RoundTrip sends req through the wrapped transport.
func (h holdLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(req)
	if err == nil && resp == nil {
		return nil, &kindError{ErrInvalidConfig, fmt.Errorf("the http.Client's transport (%T) returned neither a response nor an error", h.next)}
	}
	if err == nil && resp.Body == nil {
		// http.Client's rule: a nil Body is an empty one, unless a length says not.
		if resp.ContentLength > 0 {
			return nil, &kindError{ErrInvalidConfig, fmt.Errorf("the http.Client's transport (%T) returned a response of %d bytes without a body", h.next, resp.ContentLength)}
		}
		resp.Body = http.NoBody
	}
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		if v, ok := resp.Header["Location"]; ok {
			delete(resp.Header, "Location")
			if held, ok := req.Context().Value(heldLocationKey{}).(*heldLocation); ok {
				held.values, held.requestURL = v, req.URL
			}
		}
	}
	return resp, err
}
