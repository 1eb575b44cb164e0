package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
)

// ErrLoginExpired is wrapped by SSOLogin.Redirect when the login's code has expired:
// mint a new login rather than send a browser to a dead one.
var ErrLoginExpired = errors.New("sendgrid: login expired")

// Redirect hands the login to the browser that made r, a POST: a 303 See Other to the
// login URL, with Cache-Control: no-store (no cache keeps the one-time URL) and
// Referrer-Policy: no-referrer (the SendGrid page is not told where the browser came
// from). The code goes into the Location header and nowhere else: no body is written.
//
// Only a POST gets the login. Handing it out is not a safe method: link scanners,
// previews and browser prefetch send GET and HEAD, and each would take the code. Any
// other method gets 405 Method Not Allowed with Allow: POST, and no Location; Redirect
// writes that answer itself and returns an error, so write nothing more.
//
// When the login has expired (now is at or past ExpiresAt) Redirect writes nothing
// and returns an error wrapping ErrLoginExpired; a login without a URL is an error
// too. Mint the login in a handler that answers POST only, so that no GET mints one
// either: see the console example.
func (l SSOLogin) Redirect(w http.ResponseWriter, r *http.Request) error {
	return l.redirectAt(w, r, time.Now())
}

// redirectAt is Redirect as of now.
func (l SSOLogin) redirectAt(w http.ResponseWriter, r *http.Request, now time.Time) error {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "405 method not allowed: a login is handed out to a POST only", http.StatusMethodNotAllowed)
		return fmt.Errorf("sendgrid: a %s request cannot take the login: answered 405 Method Not Allowed; hand it out to a POST only (link scanners and prefetchers send GET and HEAD)",
			safetext.Line(r.Method, 20))
	}
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
