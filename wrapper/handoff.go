package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrLoginExpired is wrapped by SSOLogin.Redirect when the login's code has expired:
// mint a new login rather than send a browser to a dead one.
var ErrLoginExpired = errors.New("sendgrid: login expired")

// Redirect hands the login to the browser that made r: a 303 See Other to the login
// URL, with Cache-Control: no-store (no cache keeps the one-time URL) and
// Referrer-Policy: no-referrer (the SendGrid page is not told where the browser came
// from). The code goes into the Location header and nowhere else: no body is written.
//
// When the login has expired (now is at or past ExpiresAt) Redirect writes nothing
// and returns an error wrapping ErrLoginExpired; a login without a URL is an error
// too. Call it from a handler that answers a POST (a GET link is fetched by browser
// prefetch and link scanners, each fetch minting a login): see the console example.
func (l SSOLogin) Redirect(w http.ResponseWriter, r *http.Request) error {
	return l.redirectAt(w, time.Now())
}

// redirectAt is Redirect as of now.
func (l SSOLogin) redirectAt(w http.ResponseWriter, now time.Time) error {
	if l.URL == nil {
		return errors.New("sendgrid: the login has no URL: use the SSOLogin that AuthenticateAccount returned")
	}
	if !now.Before(l.ExpiresAt) {
		return fmt.Errorf("%w: it expired at %s, %s ago: mint a new one", ErrLoginExpired,
			l.ExpiresAt.UTC().Format(time.RFC3339), now.Sub(l.ExpiresAt).Round(time.Second))
	}
	h := w.Header()
	h.Set("Location", l.URL.String())
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusSeeOther)
	return nil
}
