package wrapper

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRedirect(t *testing.T) {
	raw := "https://app.sendgrid.com/sso/partner/login?code=" + testLoginCode
	login := SSOLogin{URL: mustParse(t, raw), ExpiresAt: time.Now().Add(LoginValidity)}
	rec := httptest.NewRecorder()
	if err := login.Redirect(rec, httptest.NewRequest(http.MethodPost, "/support/login", nil)); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusSeeOther {
		t.Errorf("status %d, want 303", rec.Code)
	}
	for k, want := range map[string]string{"Location": raw, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// The code is in the Location and nowhere else.
	for k, vs := range rec.Header() {
		if k != "Location" && strings.Contains(strings.Join(vs, " "), testLoginCode) {
			t.Errorf("header %s carries the code", k)
		}
	}
	if rec.Body.Len() != 0 {
		t.Errorf("body %q, want none", rec.Body)
	}
}

func TestRedirectRefusesAnExpiredLogin(t *testing.T) {
	now := time.Now()
	for name, expires := range map[string]time.Time{
		"expired a minute ago":  now.Add(-time.Minute),
		"expiring this instant": now,
	} {
		login := SSOLogin{URL: mustParse(t, "https://app.sendgrid.com/l?code="+testLoginCode), ExpiresAt: expires}
		rec := httptest.NewRecorder()
		err := login.redirectAt(rec, httptest.NewRequest(http.MethodPost, "/", nil), now)
		if !errors.Is(err, ErrLoginExpired) {
			t.Errorf("%s: err = %v, want ErrLoginExpired", name, err)
		}
		if strings.Contains(err.Error(), testLoginCode) {
			t.Errorf("%s: err %q shows the code", name, err)
		}
		if len(rec.Header()) != 0 || rec.Body.Len() != 0 || rec.Code != http.StatusOK {
			t.Errorf("%s: wrote headers %v, body %q, status %d: want nothing written", name, rec.Header(), rec.Body, rec.Code)
		}
	}
	if err := (SSOLogin{}).Redirect(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil)); err == nil {
		t.Error("a login without a URL redirected")
	}
}

// A nanosecond before it expires, the login is still handed over.
func TestRedirectJustBeforeExpiry(t *testing.T) {
	now := time.Now()
	login := SSOLogin{URL: mustParse(t, "https://app.sendgrid.com/l?code="+testLoginCode), ExpiresAt: now.Add(time.Nanosecond)}
	rec := httptest.NewRecorder()
	if err := login.redirectAt(rec, httptest.NewRequest(http.MethodPost, "/", nil), now); err != nil || rec.Code != http.StatusSeeOther {
		t.Errorf("err %v, status %d: want the 303", err, rec.Code)
	}
}

// Minting a login is not a safe method: link scanners and prefetchers send GET and
// HEAD. Only a POST gets the 303; any other method gets 405 with Allow: POST, no
// Location, and an error.
func TestRedirectAnswersOnlyPOST(t *testing.T) {
	login := SSOLogin{URL: mustParse(t, "https://app.sendgrid.com/l?code="+testLoginCode), ExpiresAt: time.Now().Add(LoginValidity)}
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, "PROPFIND"} {
		rec := httptest.NewRecorder()
		err := login.Redirect(rec, httptest.NewRequest(method, "/support/login", nil))
		if err == nil {
			t.Errorf("%s: no error", method)
		} else if !strings.Contains(err.Error(), method) || strings.Contains(err.Error(), testLoginCode) {
			t.Errorf("%s: err = %q: want it to name the method, and not the code", method, err)
		}
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != http.MethodPost {
			t.Errorf("%s: status %d, Allow %q: want 405, Allow: POST", method, rec.Code, rec.Header().Get("Allow"))
		}
		if loc := rec.Header().Get("Location"); loc != "" || strings.Contains(rec.Body.String(), testLoginCode) {
			t.Errorf("%s: Location %q, body %q: want the code nowhere", method, loc, rec.Body)
		}
	}
}
