package wrapper

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// LoginValidity is how long a partner SSO login code is valid after SendGrid mints it.
const LoginValidity = 60 * time.Second

// SSOLogin is a one-time login into a customer account. URL carries a code that is
// valid until ExpiresAt and for one use: hand it to the person who logs in (a browser
// redirect, a link) and do not request it yourself.
//
// Printing an SSOLogin with any fmt verb, or logging it with slog, shows only the
// URL's scheme and host, never the code. URL.String() shows everything.
type SSOLogin struct {
	// URL is the absolute login URL on app.sendgrid.com, code included.
	URL *url.URL
	// ExpiresAt is when the response arrived plus LoginValidity.
	ExpiresAt time.Time
}

// AuthenticateAccount mints a one-time login into the customer account accountID
// (POST /v3/partners/accounts/{accountID}/sso). The API answers 303; the redirect is
// never followed, because following it would spend the code. A relative Location is
// resolved against the request URL; a Location that is missing, or not https on
// sendgrid.com (or on the base URL's own host), is an error wrapping
// ErrInvalidResponse that names the host only. Any other status is an *APIError.
// Only 429 is retried: after a 5xx a code may already have been minted.
//
// The login is returned as soon as the 303's headers are in. A body that comes with
// them is read in the background and discarded, up to 2 KiB and for up to a second,
// so that the connection serves the next call; a longer or slower body costs its
// connection instead. Ending ctx once the call has returned does not cut that read
// short.
func (c *Client) AuthenticateAccount(ctx context.Context, accountID string) (*SSOLogin, error) {
	if err := checkID("account", accountID); err != nil {
		return nil, err
	}
	var login *SSOLogin
	err := c.do(ctx, opAuthenticate, accountID, func(ctx context.Context) (*http.Response, error) {
		return c.gen.AuthenticateAccount(ctx, accountID)
	}, func(res result) error {
		login = &SSOLogin{URL: res.login, ExpiresAt: res.arrived.Add(LoginValidity)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return login, nil
}

// redacted returns the login URL with everything after the host hidden.
func (l SSOLogin) redacted() string {
	if l.URL == nil {
		return ""
	}
	return l.URL.Scheme + "://" + l.URL.Host + "/" + redact.Mark
}

// String describes the login, its URL's scheme and host and its expiry, without its
// code.
func (l SSOLogin) String() string {
	return fmt.Sprintf("SSOLogin{URL: %s, ExpiresAt: %s}", l.redacted(), l.ExpiresAt.Format(time.RFC3339))
}

// Format prints String for every verb, %#v included.
func (l SSOLogin) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(l.String())) }

// LogValue makes slog log the redacted URL and the expiry, never the code.
func (l SSOLogin) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", l.redacted()), slog.Time("expires_at", l.ExpiresAt))
}

// MarshalJSON encodes what LogValue logs, the redacted URL and the expiry, so that an
// SSOLogin inside a value that slog's JSON handler or encoding/json prints never shows
// the code. To hand the login to the person who uses it, send URL.String().
func (l SSOLogin) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}{l.redacted(), l.ExpiresAt})
}
