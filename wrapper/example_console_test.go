package wrapper_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// supportLogin is a partner console's "log into this customer" handler. It answers
// POST only (a GET link would be fetched by browser prefetch and link scanners, each
// fetch minting a login), takes the account ID from the form, writes an audit record
// of who minted a login into which account and until when (never the code), and
// hands the login to the browser with SSOLogin.Redirect.
func supportLogin(client *wrapper.Client, audit *slog.Logger, engineerOf func(*http.Request) string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /support/login", func(w http.ResponseWriter, r *http.Request) {
		account := r.PostFormValue("account")
		login, err := client.AuthenticateAccount(r.Context(), account)
		if err != nil {
			audit.Warn("support login failed", "engineer", engineerOf(r), "account", account, "error", err)
			http.Error(w, "could not log in to that account", http.StatusBadGateway)
			return
		}
		audit.Info("support login minted", "engineer", engineerOf(r), "account", account, "expires_at", login.ExpiresAt)
		if err := login.Redirect(w, r); errors.Is(err, wrapper.ErrLoginExpired) {
			http.Error(w, "the login expired before it could be used: try again", http.StatusServiceUnavailable)
		}
	})
	// Refuse cross-site POSTs: another site must not make an engineer's browser mint
	// logins (Go 1.25's protection, from Sec-Fetch-Site and Origin).
	return http.NewCrossOriginProtection().Handler(mux)
}

// A partner console's handler that logs a support engineer into a customer account:
// POST only, protected against cross-site requests, audited, and the login handed to
// the browser with a 303 that no cache keeps.
func ExampleSSOLogin_Redirect() {
	api := ssotest.NewServer()
	defer api.Close()
	client, err := wrapper.New(api.APIKey, wrapper.WithBaseURL(api.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	var audit bytes.Buffer
	// Your console knows who is signed in; this one always says alice.
	engineer := func(*http.Request) string { return "alice@partner.example" }
	console := httptest.NewServer(supportLogin(client, slog.New(slog.NewTextHandler(&audit, nil)), engineer))
	defer console.Close()

	// The browser is not allowed to follow the redirect here: that is the engineer's
	// browser's job, and following it would spend the code.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, site string) *http.Response {
		form := url.Values{"account": {ssotest.DefaultAccountID}}.Encode()
		req, _ := http.NewRequest(method, console.URL+"/support/login", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := browser.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		return resp
	}

	resp := send(http.MethodPost, "same-origin")
	fmt.Println("same-origin POST:", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Referrer-Policy"))
	fmt.Println("to the login page:", strings.HasPrefix(resp.Header.Get("Location"), api.URL+"/login?code="))
	fmt.Println("cross-site POST:", send(http.MethodPost, "cross-site").StatusCode)
	fmt.Println("GET:", send(http.MethodGet, "same-origin").StatusCode)
	fmt.Println("codes spent by the console:", api.LoginsFollowed())
	fmt.Println("audited:", strings.Contains(audit.String(), `msg="support login minted" engineer=alice@partner.example account=`+ssotest.DefaultAccountID+" expires_at="))
	fmt.Println("code in the audit:", strings.Contains(audit.String(), "code"))
	// Output:
	// same-origin POST: 303 no-store no-referrer
	// to the login page: true
	// cross-site POST: 403
	// GET: 405
	// codes spent by the console: 0
	// audited: true
	// code in the audit: false
}
