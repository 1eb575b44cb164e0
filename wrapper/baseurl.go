package wrapper

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/internal/outbound"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
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
		return nil, fmt.Errorf("%w: base URL %q does not parse: %w", ErrInvalidConfig, redact.UserInfo(raw), err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%w: base URL %q must be absolute, with a scheme and a host, like https://api.sendgrid.com", ErrInvalidConfig, redact.UserInfo(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: base URL must not carry user info: the API key is the only credential", ErrInvalidConfig)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: base URL %q must not have a query or a fragment", ErrInvalidConfig, raw)
	}
	if err := outbound.RequireHTTPS(u); err != nil {
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
