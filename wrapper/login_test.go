package wrapper

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestAuthenticateAccountLogin(t *testing.T) {
	srv := serve(t, redirectTo("https://app.sendgrid.com/sso/partner/login?code="+testLoginCode))
	c := newTestClient(t, srv.URL)
	before := time.Now()
	login, err := c.AuthenticateAccount(context.Background(), "acct")
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if got := login.URL.String(); got != "https://app.sendgrid.com/sso/partner/login?code="+testLoginCode {
		t.Errorf("URL = %q", got)
	}
	if login.ExpiresAt.Before(before.Add(LoginValidity)) || login.ExpiresAt.After(after.Add(LoginValidity)) {
		t.Errorf("ExpiresAt = %v, want the response time + 60s (between %v and %v)", login.ExpiresAt, before.Add(LoginValidity), after.Add(LoginValidity))
	}
}

func TestAuthenticateAccountResolvesRelativeLocation(t *testing.T) {
	srv := serve(t, redirectTo("../../login?code="+testLoginCode))
	c := newTestClient(t, srv.URL+"/base")
	login, err := c.AuthenticateAccount(context.Background(), "acct")
	if err != nil {
		t.Fatal(err)
	}
	// Request URL: /base/v3/partners/accounts/acct/sso; "../../login" resolves against it.
	if got, want := login.URL.String(), srv.URL+"/base/v3/partners/login?code="+testLoginCode; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if !login.URL.IsAbs() {
		t.Error("the login URL is not absolute")
	}
}

func TestSSOLoginPrintsNoCode(t *testing.T) {
	srv := serve(t, redirectTo("https://app.sendgrid.com/login/"+testLoginCode+"?code="+testLoginCode+"#"+testLoginCode))
	login, err := newTestClient(t, srv.URL).AuthenticateAccount(context.Background(), "acct")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("minted", "login", login, "value", *login)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("minted", "login", login)
	outs := []string{
		login.String(), logs.String(),
		sprintf("%v", login), sprintf("%+v", login), sprintf("%#v", login), sprintf("%s", login), sprintf("%q", login),
		sprintf("%v", *login), sprintf("%+v", *login), sprintf("%#v", *login), sprintf("%x", *login), sprintf("%d", *login),
		sprintf("%v", []*SSOLogin{login}), sprintf("%+v", struct{ L SSOLogin }{*login}),
	}
	for _, s := range outs {
		if strings.Contains(s, testLoginCode) {
			t.Errorf("output shows the code: %s", s)
		}
	}
	if !strings.Contains(login.String(), "https://app.sendgrid.com/") {
		t.Errorf("String() %q should still name the host", login.String())
	}
}

func TestSSOLoginLogsStructured(t *testing.T) {
	var out bytes.Buffer
	login := SSOLogin{URL: mustParse(t, "https://app.sendgrid.com/l?code="+testLoginCode), ExpiresAt: time.Unix(1893456000, 0).UTC()}
	slog.New(slog.NewTextHandler(&out, nil)).Info("minted", "login", login)
	want := `login.url=https://app.sendgrid.com/[REDACTED] login.expires_at=2030-01-01T00:00:00.000Z`
	if !strings.Contains(out.String(), want) {
		t.Errorf("slog line %q lacks %q", out.String(), want)
	}
}
