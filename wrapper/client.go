package wrapper

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
)

// Client calls SendGrid's single sign-on endpoints. It is safe for concurrent use by
// many goroutines; build one and share it.
type Client struct {
	gen     *gen.Client
	baseURL *url.URL
	// baseHostPort is hostPort(baseURL), which a login's Location is compared with.
	baseHostPort string
	// region is the configured region, "" when WithBaseURL overrode it.
	region Region
	// logger receives a record per attempt (WithLogger); nil logs nothing.
	logger *slog.Logger
	// redact knows the API key: it builds the Authorization header and is the one
	// point that makes text from the network safe to show (redactor.go).
	redact    redactor
	userAgent string
	retry     retryPolicy
	// sleep waits between attempts; tests replace it to record the waits.
	sleep func(context.Context, time.Duration) error
	// timeout bounds each attempt, body included: the http.Client's Timeout, which
	// the Client applies itself (see noRedirects).
	timeout time.Duration
	// drainWait bounds the background read of a body the Client does not need
	// (drainBody); drained, nil but in tests, learns when such a read ends.
	drainWait time.Duration
	drained   func(reachedEnd bool)
}

// New returns a Client that authenticates with apiKey (surrounding white space is
// trimmed). It fails, with an error wrapping ErrInvalidConfig, on an empty key or one
// that is not printable ASCII without spaces, a nil Option, an unknown region, a base
// URL that is not absolute https (plain http only on loopback), a User-Agent product
// that is not printable ASCII, or a negative retry count or wait. It sends no request.
//
// Its errors never show the key, not even one pasted into a base URL by mistake.
func New(apiKey string, opts ...Option) (*Client, error) {
	c, err := newClient(apiKey, opts...)
	if err != nil {
		return nil, newRedactor(strings.TrimSpace(apiKey)).error(err)
	}
	return c, nil
}

// newClient is New without the redaction of its errors.
func newClient(apiKey string, opts ...Option) (*Client, error) {
	s := defaultSettings()
	for i, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: option %d of %d is nil: pass only options built by this package's With… functions", ErrInvalidConfig, i+1, len(opts))
		}
		o(&s)
	}
	key, err := checkAPIKey(apiKey)
	if err != nil {
		return nil, err
	}
	regionURL, ok := s.region.baseURL()
	if !ok {
		return nil, fmt.Errorf("%w: unknown region %q: use %q or %q", ErrInvalidConfig, s.region, RegionGlobal, RegionEU)
	}
	raw := s.baseURL
	if raw == "" {
		raw = regionURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if s.maxRetries < 0 {
		return nil, fmt.Errorf("%w: max retries is %d: use 0 to turn retries off", ErrInvalidConfig, s.maxRetries)
	}
	if err := checkUserAgent(s.userAgentNote); err != nil {
		return nil, err
	}
	if s.maxRetryWait < 0 {
		return nil, fmt.Errorf("%w: max retry wait is %v: it must not be negative", ErrInvalidConfig, s.maxRetryWait)
	}
	hc := s.httpClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	if isNil(hc.Transport) {
		return nil, fmt.Errorf("%w: the http.Client's transport is a nil %T: leave Transport unset for net/http's default, or set a working one", ErrInvalidConfig, hc.Transport)
	}
	c := &Client{
		baseURL:      base,
		baseHostPort: hostPort(base),
		region:       s.region,
		redact:       newRedactor(key),
		userAgent:    userAgent,
		timeout:      hc.Timeout,
		retry: retryPolicy{
			maxRetries:  s.maxRetries,
			maxWait:     s.maxRetryWait,
			backoffBase: s.backoffBase,
		},
		sleep:     sleep,
		logger:    s.logger,
		drainWait: drainWait,
	}
	if s.baseURL != "" {
		c.region = ""
	}
	if s.userAgentNote != "" {
		c.userAgent = s.userAgentNote + " " + userAgent
	}
	c.gen, err = gen.NewClient(base.String(),
		gen.WithHTTPClient(newSender(hc)),
		gen.WithRequestEditorFn(c.authorize))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return c, nil
}

// operation is one of the API's operations, as the exchange and the retry policy see
// it.
type operation struct {
	// name is the Client method's name, used in errors and logs.
	name string
	// method is the HTTP method and path the request path for a resource ID, for logs.
	method string
	path   func(id string) string
	// success is the status that is not an error.
	success int
	// idempotent operations are retried on 5xx and connection errors as well as 429.
	idempotent bool
	// headersOnly: the success response is complete when its headers arrive; the call
	// does not wait for its body (the 303 of AuthenticateAccount: the login is its
	// Location, and waiting for a body would let a slow server spend the code's 60
	// seconds), which is drained in the background (drainBody).
	headersOnly bool
	// login: the success response is a redirect whose Location is the result, a
	// login; the exchange receives it through a heldLocation and checks it
	// (loginLocation).
	login bool
}

var (
	opGetCertificate = operation{name: "GetSSOCertificate", method: http.MethodGet, success: http.StatusOK, idempotent: true,
		path: func(id string) string { return "/v3/sso/certificates/" + url.PathEscape(id) }}
	opListIntegrations = operation{name: "ListSSOIntegrations", method: http.MethodGet, success: http.StatusOK, idempotent: true,
		path: func(string) string { return "/v3/sso/integrations" }}
	opListCertificates = operation{name: "ListSSOCertificates", method: http.MethodGet, success: http.StatusOK, idempotent: true,
		path: func(id string) string { return "/v3/sso/integrations/" + url.PathEscape(id) + "/certificates" }}
	opCreateCertificate = operation{name: "CreateSSOCertificate", method: http.MethodPost, success: http.StatusOK,
		path: func(string) string { return "/v3/sso/certificates" }}
	opAuthenticate = operation{name: "AuthenticateAccount", method: http.MethodPost, success: http.StatusSeeOther, headersOnly: true, login: true,
		path: func(id string) string { return "/v3/partners/accounts/" + url.PathEscape(id) + "/sso" }}
)

// result is a success response: its headers, its bounded body (none for a
// headersOnly operation), when it arrived and, for a login operation, the checked
// login URL.
type result struct {
	resp    *http.Response
	body    []byte
	arrived time.Time
	login   *url.URL
}

// isNil reports whether rt is an interface holding a nil pointer, func, map, channel
// or slice: a transport that would panic on its first request. A nil interface is
// not: http.Client then uses net/http's default transport.
func isNil(rt http.RoundTripper) bool {
	if rt == nil {
		return false
	}
	switch v := reflect.ValueOf(rt); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Chan, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}
