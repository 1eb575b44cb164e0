package wrapper

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// parseBaseURL checks a base URL given to WithBaseURL and returns it parsed, with a
// path that ends in "/".
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // ue repeats raw, user info (a password, a key) included
		}
		return nil, fmt.Errorf("%w: base URL %q does not parse: %w", ErrInvalidConfig, withoutUserInfo(raw), err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%w: base URL %q must be absolute, with a scheme and a host, like https://api.sendgrid.com", ErrInvalidConfig, withoutUserInfo(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: base URL must not carry user info: the API key is the only credential", ErrInvalidConfig)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: base URL %q must not have a query or a fragment", ErrInvalidConfig, raw)
	}
	if err := requireHTTPS(u); err != nil {
		return nil, fmt.Errorf("%w: base URL %q %w", ErrInvalidConfig, raw, err)
	}
	if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/v3") {
		return nil, fmt.Errorf("%w: base URL %q ends in /v3, which every request path already starts with (requests would go to /v3/v3/...): drop the /v3, as in https://api.sendgrid.com",
			ErrInvalidConfig, raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// requireHTTPS is the rule for every URL the module fetches (the API's base URL, IdP
// metadata): https, or plain http to a loopback host. The error completes a sentence
// that names the URL.
func requireHTTPS(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("uses plain http: use https (http is allowed only for localhost, 127.0.0.0/8 and ::1)")
	default:
		return fmt.Errorf("has scheme %q: use https", u.Scheme)
	}
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withoutUserInfo hides the user info of a URL, parsable or not, for an error
// message: "https://user:secret@host/" becomes "https://[REDACTED]@host/".
func withoutUserInfo(raw string) string {
	i := strings.Index(raw, "//")
	if i < 0 {
		return raw
	}
	authority := raw[i+2:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	return raw[:i+2] + "[REDACTED]" + raw[i+2+at:]
}
