package wrapper

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

func TestAuthenticateAccountRefusesUntrustedLocation(t *testing.T) {
	cases := []struct {
		location string
		want     string // in the error
	}{
		{"", "no Location header"},
		{"https://evil.example/login?code=" + testLoginCode, `https://evil.example`},
		{"https://sendgrid.com.evil.example/x?code=" + testLoginCode, "sendgrid.com.evil.example"},
		{"https://evilsendgrid.com/x?code=" + testLoginCode, "evilsendgrid.com"},
		{"http://app.sendgrid.com/login?code=" + testLoginCode, "http://app.sendgrid.com"},
		{"javascript:alert(1)//" + testLoginCode, `scheme "javascript"`},
		{"https://user@app.sendgrid.com/?code=" + testLoginCode, "user info"},
		{"https://app.sendgrid.com/%zz?code=" + testLoginCode, "does not parse"},
		{"//evil.example/login?code=" + testLoginCode, "evil.example"},
		{"https://app.sendgrid.com:0/login?code=" + testLoginCode, "port outside 1-65535"},
		{"https://app.sendgrid.com:65536/login?code=" + testLoginCode, "port outside 1-65535"},
		{"https://app.sendgrid.com:99999999999999999999/login?code=" + testLoginCode, "port outside 1-65535"},
		{"https://" + testLoginCode + ".evil.example/login?code=" + testLoginCode, "host carries the login code or the API key"},
	}
	for _, tc := range cases {
		t.Run(tc.location, func(t *testing.T) {
			srv := serve(t, redirectTo(tc.location))
			c := newTestClient(t, srv.URL)
			login, err := c.AuthenticateAccount(context.Background(), "acct")
			if err == nil {
				t.Fatalf("accepted %q as %v", tc.location, login)
			}
			if !errors.Is(err, ErrInvalidResponse) {
				t.Errorf("err %q does not wrap ErrInvalidResponse", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %q does not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testLoginCode) {
				t.Errorf("err %q shows the one-time code", err)
			}
			if n := strings.Count(err.Error(), "sendgrid:"); n != 1 {
				t.Errorf("err %q says \"sendgrid:\" %d times, want once", err, n)
			}
		})
	}
}

// Two Location headers that differ leave no way to tell which is the login: refuse,
// as browsers do. The same value twice is one Location.
func TestAuthenticateAccountRefusesTwoLocations(t *testing.T) {
	login := "https://app.sendgrid.com/login?code=" + testLoginCode
	for _, tc := range []struct {
		second string
		ok     bool
	}{{login, true}, {"https://app.sendgrid.com/login?code=other", false}, {"https://evil.example/", false}} {
		srv := serve(t, reply(http.StatusSeeOther, "", "Location", login, "Location", tc.second))
		l, err := newTestClient(t, srv.URL).AuthenticateAccount(context.Background(), "a")
		if tc.ok && err != nil {
			t.Errorf("the same Location twice: %v", err)
		}
		if !tc.ok && (!errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), "2 different Location headers")) {
			t.Errorf("second Location %q: login %v, err %v; want ErrInvalidResponse", tc.second, l, err)
		}
	}
}

func TestAuthenticateAccountAcceptsSendGridHosts(t *testing.T) {
	for _, loc := range []string{
		"https://app.sendgrid.com/login?code=" + testLoginCode,
		"https://sendgrid.com/login?code=" + testLoginCode,
		"https://APP.SendGrid.com/login?code=" + testLoginCode,
		"https://eu.app.sendgrid.com:443/login?code=" + testLoginCode,
		"https://app.sendgrid.com:65535/login?code=" + testLoginCode,
	} {
		srv := serve(t, redirectTo(loc))
		if _, err := newTestClient(t, srv.URL).AuthenticateAccount(context.Background(), "a"); err != nil {
			t.Errorf("refused %q: %v", loc, err)
		}
	}
}

func TestLoginHostMatchesTheBaseURLExactly(t *testing.T) {
	c := newTestClient(t, "https://proxy.example")
	cases := map[string]bool{
		"https://proxy.example/login?code=c":     true,
		"https://proxy.example:443/login?code=c": true,
		"https://PROXY.example/login?code=c":     true,
		"http://proxy.example/login?code=c":      false, // same host, weaker scheme
		"https://proxy.example:8443/login":       false,
		"https://other.example/login":            false,
	}
	for loc, ok := range cases {
		_, err := c.loginLocation([]string{loc}, nil)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want accepted=%v", loc, err, ok)
		}
	}
}

// hideQueryValues reads the query in place; it must find the values u.Query() finds,
// no fewer.
func TestHideQueryValuesMatchesQuery(t *testing.T) {
	reference := func(s string, u *url.URL) string {
		var values []string
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 8 {
					values = append(values, v)
				}
			}
		}
		return redact.Hide(s, false, values...)
	}
	host := "https://secret12.abcdefgh%zz+sp ace;semi=eq.sendgrid.com"
	for _, q := range []string{
		"", "code=secret12", "a=b&code=secret12", "code=secret12&code=abcdefgh", "code=secret1", "=secret12",
		"secret12", "code=secr%65t12", "code=%zz%zzabcd", "code=secret12;x=1", "x=1;y=2&code=abcdefgh",
		"code=sp+ace;semi", "code=sp%20ace;semi", "k%zz=secret12", "&&code=secret12&&", "code=eq.sendgrid.com",
		"code=semi=eq.sendgrid", "code=" + strings.Repeat("s", 40), "code=secret12#frag",
	} {
		u := &url.URL{Scheme: "https", Host: "app.sendgrid.com", RawQuery: q}
		if got, want := hideQueryValues(host, u), reference(host, u); got != want {
			t.Errorf("query %q: hideQueryValues = %q, want %q (as u.Query() has it)", q, got, want)
		}
	}
}
