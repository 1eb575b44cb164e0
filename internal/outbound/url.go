package outbound

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// RequireHTTPS is the rule for every URL the module fetches (the API's base URL, IdP
// metadata and every redirect of its fetch): https, or plain http to a loopback host
// (localhost, 127.0.0.0/8, ::1). The error completes a sentence that names the URL.
func RequireHTTPS(u *url.URL) error {
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
