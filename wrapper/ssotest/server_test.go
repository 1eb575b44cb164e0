package ssotest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

const (
	certPath    = "/v3/sso/certificates/"
	accountPath = "/v3/partners/accounts/"
)

func TestServesWhatItKnows(t *testing.T) {
	srv := newServer(t)
	cert := ssotest.DefaultCertificate()

	resp, body := send(t, srv, http.MethodGet, certPath+fmt.Sprint(ssotest.DefaultCertificateID), bearer(srv.APIKey), "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET known certificate: %d %s", resp.StatusCode, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id":                 float64(cert.ID),
		"public_certificate": cert.PublicCertificate,
		"not_before":         float64(cert.NotBefore.Unix()),
		"not_after":          float64(cert.NotAfter.Unix()),
		"intergration_id":    cert.IntegrationID,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("certificate %s = %v, want %v", k, got[k], v)
		}
	}

	resp, body = send(t, srv, http.MethodPost, accountPath+ssotest.DefaultAccountID+"/sso", bearer(srv.APIKey), "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST known account: %d %s", resp.StatusCode, body)
	}
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, srv.URL+"/login?code=") {
		t.Errorf("Location = %q, want a login URL on the fake", loc)
	}
	if n := len(srv.InvalidRequests()) + len(srv.InvalidResponses()); n != 0 {
		t.Errorf("violations: %v %v", srv.InvalidRequests(), srv.InvalidResponses())
	}
	if srv.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2", srv.Requests())
	}
}

// The errors the spec declares come in the status and shape it declares, and none of
// them counts as a violation.
func TestDeclaredErrors(t *testing.T) {
	const customKey = "SG.custom-key"
	srv := newServer(t, ssotest.WithAPIKey(customKey), ssotest.WithAccount("acc-1"),
		ssotest.WithCertificate(ssotest.Certificate{ID: 7}))
	for _, tc := range []struct {
		name, method, path, auth string
		status                   int
		shape, msg               string
	}{
		{"unknown certificate", "GET", certPath + "8", bearer(customKey), 400, "array", "invalid certificate id"},
		{"replaced default certificate", "GET", certPath + fmt.Sprint(ssotest.DefaultCertificateID), bearer(customKey), 400, "array", "invalid certificate id"},
		{"certificate ID not in canonical form", "GET", certPath + "07", bearer(customKey), 400, "array", "invalid certificate id"},
		{"certificate ID with an escaped slash", "GET", certPath + "7%2F..", bearer(customKey), 400, "array", "invalid certificate id"},
		{"account ID with an escaped slash", "POST", accountPath + "acc-1%2Fsso/sso", bearer(customKey), 404, "object", "account not found"},
		{"wrong key, certificate", "GET", certPath + "7", bearer("SG.ssotest-fake-api-key"), 401, "array", "Failed to authenticate user"},
		{"unknown account", "POST", accountPath + "acc-2/sso", bearer(customKey), 404, "object", "account not found"},
		{"replaced default account", "POST", accountPath + ssotest.DefaultAccountID + "/sso", bearer(customKey), 404, "object", "account not found"},
		{"wrong key, account", "POST", accountPath + "acc-1/sso", bearer("SG.other"), 401, "object", "Failed to authenticate user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := send(t, srv, tc.method, tc.path, tc.auth, "")
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			shape, msgs := errorMessages(t, body)
			if shape != tc.shape || len(msgs) != 1 || msgs[0] != tc.msg {
				t.Errorf("body %s: got %s %q, want %s [%q]", body, shape, msgs, tc.shape, tc.msg)
			}
		})
	}
	if v := append(srv.InvalidRequests(), srv.InvalidResponses()...); len(v) != 0 {
		t.Errorf("declared errors were recorded as violations: %v", v)
	}
	resp, _ := send(t, srv, "GET", certPath+"7", bearer(customKey), "")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET the added certificate: %d", resp.StatusCode)
	}
}

// Requests the spec does not allow are refused with a body that says why, and
// recorded.
func TestInvalidRequests(t *testing.T) {
	srv := newServer(t)
	key := bearer(srv.APIKey)
	certURL := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	for _, tc := range []struct {
		name, method, path, auth, body string
		status                         int
		operation, reason              string
	}{
		{"no Authorization", "GET", certURL, "", "", 401, "GetSsoCertificate", "no Authorization header"},
		{"not a bearer", "POST", accountPath + ssotest.DefaultAccountID + "/sso", "Basic " + srv.APIKey, "", 401, "AuthenticateAccount", `not "Bearer <API key>"`},
		{"empty bearer", "GET", certURL, "Bearer ", "", 401, "GetSsoCertificate", `not "Bearer <API key>"`},
		{"unknown path", "GET", "/v3/sso/certificate/1", key, "", 404, "", contract.ErrNoOperation.Error()},
		{"path split by an unescaped slash", "GET", certPath + "a/b", key, "", 404, "", contract.ErrNoOperation.Error()},
		{"wrong method", "DELETE", certURL, key, "", 405, "", contract.ErrMethodNotAllowed.Error()},
		{"body where none is declared", "POST", accountPath + ssotest.DefaultAccountID + "/sso", key, `{"x":1}`, 400, "AuthenticateAccount", contract.ErrBodyNotAllowed.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.InvalidRequests())
			resp, body := send(t, srv, tc.method, tc.path, tc.auth, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			_, msgs := errorMessages(t, body)
			if len(msgs) != 1 || !strings.Contains(msgs[0], tc.reason) || !strings.Contains(msgs[0], "breaks the spec") {
				t.Errorf("message %q does not say %q", msgs, tc.reason)
			}
			if strings.Contains(string(body), srv.APIKey) {
				t.Errorf("the body repeats the API key: %s", body)
			}
			got := srv.InvalidRequests()
			if len(got) != before+1 {
				t.Fatalf("recorded %d invalid requests, want %d", len(got), before+1)
			}
			v := got[before]
			if v.Method != tc.method || v.Status != tc.status || v.Operation != tc.operation || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("recorded %+v", v)
			}
		})
	}
	if srv.Requests() != 4 || srv.RequestsWithoutKey() != 3 {
		t.Errorf("Requests() = %d, RequestsWithoutKey() = %d; want 4 with the key and 3 without", srv.Requests(), srv.RequestsWithoutKey())
	}
}

// A fake whose answer drifts from the spec answers 500 naming the violation, and
// records it. (The spec's one change is the maxLength; internal/contract's tests show
// what a body that breaks a schema gives.)
func TestDriftFailsLoudly(t *testing.T) {
	spec := mutate(t, "          description: The IdP's X.509 certificate, PEM or bare base64 DER.\n",
		"          description: The IdP's X.509 certificate, PEM or bare base64 DER.\n          maxLength: 100\n")
	srv := newServer(t, ssotest.WithSpec(spec))
	resp, body := send(t, srv, "GET", certPath+fmt.Sprint(ssotest.DefaultCertificateID), bearer(srv.APIKey), "")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500: %s", resp.StatusCode, body)
	}
	got := srv.InvalidResponses()
	if len(got) != 1 || got[0].Status != 200 || got[0].Operation != "GetSsoCertificate" ||
		!strings.HasPrefix(got[0].Reason, "the 200 response to GetSsoCertificate (GET) breaks the spec: ") {
		t.Fatalf("InvalidResponses() = %v, want the 200 of GetSsoCertificate", got)
	}
	_, msgs := errorMessages(t, body)
	if want := "ssotest: the fake's answer breaks the spec: " + got[0].Reason; len(msgs) != 1 || msgs[0] != want {
		t.Errorf("message %q, want %q: the violation recorded", msgs, want)
	}
	if len(srv.InvalidRequests()) != 0 {
		t.Errorf("InvalidRequests() = %v", srv.InvalidRequests())
	}
}

func TestNewServerPanicsOnABadSpec(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "spec") {
			t.Errorf("recovered %v, want a panic about the spec", r)
		}
	}()
	ssotest.NewServer(ssotest.WithSpec([]byte("openapi: 3.0.3\npaths: 7\n")))
}

// Only redemptions of codes the fake minted count as logins followed: not made-up
// codes, not a second visit, not a code past its 60 seconds.
func TestLoginsFollowed(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ssotest.WithClock(clock.now))
	mint := func() string {
		t.Helper()
		resp, body := send(t, srv, "POST", accountPath+ssotest.DefaultAccountID+"/sso", bearer(srv.APIKey), "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST: %d %s", resp.StatusCode, body)
		}
		return resp.Header.Get("Location")
	}
	visit := func(u string, want int) {
		t.Helper()
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("visit %s: status %d, want %d", u, r.StatusCode, want)
		}
	}
	loc := mint()
	if srv.LoginsFollowed() != 0 {
		t.Fatalf("LoginsFollowed() = %d before anyone followed", srv.LoginsFollowed())
	}
	visit(srv.URL+"/login?code=made-up", http.StatusForbidden)
	visit(srv.URL+"/login", http.StatusForbidden)
	visit(loc, http.StatusOK)
	visit(loc, http.StatusForbidden) // a code is good once
	stale := mint()
	clock.advance(60 * time.Second)
	visit(stale, http.StatusForbidden) // and for 60 seconds
	if srv.LoginsFollowed() != 1 || srv.Requests() != 2 {
		t.Errorf("LoginsFollowed() = %d, Requests() = %d, want 1 and 2", srv.LoginsFollowed(), srv.Requests())
	}
}

// Fakes share the parsed spec: starting and using several at once is safe (run under
// -race).
func TestConcurrentServers(t *testing.T) {
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			srv := ssotest.NewServer()
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+certPath+fmt.Sprint(ssotest.DefaultCertificateID), nil)
			req.Header.Set("Authorization", bearer(srv.APIKey))
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// The 303 points at the host the client addressed, so a client configured with
// "localhost" trusts it as its own base URL's host (and does not lose the code).
func TestLoginLocationFollowsTheAddressedHost(t *testing.T) {
	srv := newServer(t)
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(base))
	if err != nil {
		t.Fatal(err)
	}
	login, err := client.AuthenticateAccount(context.Background(), ssotest.DefaultAccountID)
	if err != nil {
		t.Fatal(err)
	}
	if login.URL.Hostname() != "localhost" || !strings.HasPrefix(login.URL.String(), base+"/login?code=") {
		t.Errorf("login on %v, want on %s", login, base)
	}
}
