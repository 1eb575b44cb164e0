package wrapper

// Where the login host is trusted: the rules a 303's Location passes before the
// exchange hands it out as a login (SECURITY.md, "Redirects are never followed").

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// loginLocation resolves the Location values of a 303 against the URL of the request
// it answered (the base URL when that is unknown) and checks them. It accepts https on
// sendgrid.com or a subdomain of it, or the scheme and host of the configured base URL
// (a fake server or a proxy), on a port from 1 to 65535. It refuses a 303 with two
// different Locations, as browsers do. Errors name the scheme and host, never the
// path or query (the query carries the one-time code); a Location whose host carries
// a value of its query, in any case, is refused without naming the host, and the
// Client's redactor makes the rest safe.
func (c *Client) loginLocation(values []string, requestURL *url.URL) (*url.URL, error) {
	if len(values) == 0 || values[0] == "" {
		return nil, invalidResponse("the 303 response has no Location header")
	}
	for _, v := range values[1:] {
		if v != values[0] {
			return nil, invalidResponse("the 303 response has %d different Location headers: refusing it", len(values))
		}
	}
	base := c.baseURL
	if requestURL != nil {
		base = requestURL
	}
	u, err := base.Parse(values[0])
	if err != nil {
		// err repeats the URL, code included: do not wrap it.
		return nil, invalidResponse("the 303 Location header does not parse as a URL")
	}
	where := hideQueryValues(u.Scheme+"://"+u.Host, u)
	switch {
	case where != u.Scheme+"://"+u.Host || c.redact.redact(u.Host) != u.Host:
		// A host that carries the code or the key would show it wherever the login is
		// printed or logged: no SendGrid login page lives there.
		return nil, invalidResponse("the 303 Location's host carries the login code or the API key: refusing it")
	case u.User != nil:
		return nil, invalidResponse("the 303 Location on %s carries user info: refusing it", where)
	case !validPort(u.Port()):
		return nil, invalidResponse("the 303 Location on %s has a port outside 1-65535: refusing it", where)
	case c.trustedLoginHost(u):
		return u, nil
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, invalidResponse("the 303 Location has scheme %q, not https: refusing it", hideQueryValues(u.Scheme, u))
	}
	return nil, invalidResponse("the 303 Location points at %s, neither https on sendgrid.com nor the base URL's own host: refusing it", where)
}

// hideQueryValues hides in s every value of u's query of 8 bytes or more (shorter
// ones are no secret, and could stand in any host), in whatever case and spelling it
// stands there (redact.Hide): a server that puts the one-time code in the host as
// well as the query must not get it shown.
//
// The values are those of u.Query(), read in place: every login passes here, and the
// map u.Query() builds would cost three allocations a call for nothing.
func hideQueryValues(s string, u *url.URL) string {
	var values []string
	for q := u.RawQuery; q != ""; {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		// As url.ParseQuery: a pair with a semicolon, or whose key or value does not
		// unescape, is skipped.
		if strings.Contains(pair, ";") {
			continue
		}
		key, v, _ := strings.Cut(pair, "=")
		if _, err := url.QueryUnescape(key); err != nil {
			continue
		}
		v, err := url.QueryUnescape(v)
		if err == nil && len(v) >= 8 {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return s
	}
	return redact.Hide(s, false, values...)
}

// validPort reports whether port is empty (the scheme's default) or a number from 1
// to 65535.
func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// trustedLoginHost reports whether u is https on sendgrid.com or a subdomain, or on
// the configured base URL's own scheme and host.
func (c *Client) trustedLoginHost(u *url.URL) bool {
	if u.Scheme == c.baseURL.Scheme && strings.EqualFold(hostPort(u), c.baseHostPort) {
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
