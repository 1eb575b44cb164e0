package wrapper

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// heldLocation is where holdLocation keeps a redirect's Location header.
const heldLocation = "X-Sendgrid-Sso-Go-Held-Location"

// noRedirects returns a copy of hc that never follows a redirect: the redirect
// response itself is returned. hc is not changed. Following the 303 of
// AuthenticateAccount would spend its one-time login code.
//
// CheckRedirect alone is not enough: http.Client parses the Location before it asks
// CheckRedirect, and its parse error quotes the whole URL, code included. So the
// copy's transport also moves Location out of http.Client's sight (holdLocation).
//
// The copy has no Timeout: with a transport that is not an *http.Transport, as
// holdLocation is, http.Client enforces a Timeout with a timer, a goroutine and six
// allocations per request. The Client applies hc.Timeout to each attempt's context
// instead (see attempt), which bounds the same thing: the request and its body.
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

// holdLocation moves the Location header of 3xx responses to heldLocation, so that
// http.Client neither follows nor parses it.
type holdLocation struct{ next http.RoundTripper }

// RoundTrip sends req through the wrapped transport.
func (h holdLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(req)
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		if v, ok := resp.Header["Location"]; ok {
			resp.Header[heldLocation] = v
			delete(resp.Header, "Location")
		}
	}
	return resp, err
}

// loginLocation resolves and checks the Location of a 303. It accepts https on
// sendgrid.com or a subdomain of it, or the scheme and host of the configured base URL
// (a fake server or a proxy). Errors name the host, never the URL: its query carries
// the one-time code.
func (c *Client) loginLocation(resp *http.Response) (*url.URL, error) {
	raw := resp.Header.Get(heldLocation)
	if raw == "" {
		return nil, fmt.Errorf("%w: the 303 response has no Location header", ErrInvalidResponse)
	}
	base := c.baseURL
	if resp.Request != nil && resp.Request.URL != nil {
		base = resp.Request.URL
	}
	u, err := base.Parse(raw)
	if err != nil {
		// err repeats the URL, code included: do not wrap it.
		return nil, fmt.Errorf("%w: the 303 Location header does not parse as a URL", ErrInvalidResponse)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: the 303 Location on host %q carries user info: refusing it", ErrInvalidResponse, u.Hostname())
	}
	if !c.trustedLoginHost(u) {
		if u.Scheme != "https" && u.Scheme != "http" {
			return nil, fmt.Errorf("%w: the 303 Location has scheme %q, not https: refusing it", ErrInvalidResponse, u.Scheme)
		}
		return nil, fmt.Errorf("%w: the 303 Location points at %s://%s, neither https on sendgrid.com nor the base URL's own host: refusing it", ErrInvalidResponse, u.Scheme, u.Host)
	}
	return u, nil
}

// trustedLoginHost reports whether u is https on sendgrid.com or a subdomain, or on
// the configured base URL's own scheme and host.
func (c *Client) trustedLoginHost(u *url.URL) bool {
	if u.Scheme == c.baseURL.Scheme && strings.EqualFold(hostPort(u), hostPort(c.baseURL)) {
		return true
	}
	return u.Scheme == "https" && isSendGridHost(u.Hostname())
}

// isSendGridHost reports whether host is sendgrid.com or a subdomain of it, spelled
// as a plain DNS name: labels of letters, digits and inner hyphens, none empty (so
// ".sendgrid.com" and "a..sendgrid.com" are refused).
func isSendGridHost(host string) bool {
	host = strings.ToLower(host)
	if host != "sendgrid.com" && !strings.HasSuffix(host, ".sendgrid.com") {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// hostPort returns u's host and port, the scheme's default port written out, so that
// "https://h" and "https://h:443" compare equal.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}
