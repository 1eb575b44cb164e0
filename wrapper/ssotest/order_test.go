package ssotest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// A request without the fake's key is answered 401 before anything it asks for, and
// before anything the test arranged: a Prefer code, a queued fault, a spent budget, a
// Host or a body the fake would refuse. It uses up nothing: the fault and the budget
// are still there for the call with the key.
func TestAuthenticationComesFirst(t *testing.T) {
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	for _, tc := range []struct {
		name, method, path, body, prefer, host string
		fault                                  *ssotest.Fault
		spend                                  bool // spend the budget (of 1) first
		keyed                                  int  // what the call with the key gets then
	}{
		{name: "Prefer", method: "GET", path: cert, prefer: "code=500", keyed: 500},
		{name: "undeclared Prefer", method: "POST", path: account, prefer: "code=200", keyed: 400},
		{name: "fault", method: "GET", path: cert, fault: &ssotest.Fault{Status: 503}, keyed: 503},
		{name: "dropping fault", method: "POST", path: account, fault: &ssotest.Fault{Drop: true}, keyed: -1},
		{name: "spent budget", method: "GET", path: cert, spend: true, keyed: 429},
		{name: "body where none is declared", method: "POST", path: account, body: "{}", keyed: 400},
		{name: "Host that makes no login URL", method: "POST", path: account, host: "a@b", keyed: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, ssotest.WithRateLimit(1, time.Minute), ssotest.WithClock(clock.now))
			if tc.spend {
				if resp, body := send(t, srv, tc.method, tc.path, bearer(srv.APIKey), ""); resp.StatusCode != 200 {
					t.Fatalf("spending the budget: %d %s", resp.StatusCode, body)
				}
			}
			if tc.fault != nil {
				srv.FailNext(1, *tc.fault)
			}
			call := func(auth string) (*http.Response, error) {
				req := newRequest(t, srv, tc.method, tc.path, auth, tc.body)
				if tc.prefer != "" {
					req.Header.Set("Prefer", tc.prefer)
				}
				if tc.host != "" {
					req.Host = tc.host
				}
				// A fresh connection each time: the transport resends no request it
				// sent on one, so a dropped call is one call.
				c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, CheckRedirect: noRedirects.CheckRedirect}
				resp, err := c.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				return resp, err
			}
			for _, auth := range []string{"", "Bearer SG.wrong", bearer(srv.APIKey + "x")} {
				resp, err := call(auth)
				if err != nil {
					t.Fatalf("Authorization %q: %v, want a 401", auth, err)
				}
				if resp.StatusCode != 401 || resp.Header.Get("X-RateLimit-Limit") != "" {
					t.Errorf("Authorization %q: %d, X-RateLimit-Limit %q; want 401 and no budget", auth, resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"))
				}
			}
			resp, err := call(bearer(srv.APIKey))
			switch {
			case tc.keyed == -1 && err == nil:
				t.Errorf("with the key: %d, want the queued drop", resp.StatusCode)
			case tc.keyed != -1 && err != nil:
				t.Errorf("with the key: %v, want %d", err, tc.keyed)
			case tc.keyed != -1 && resp.StatusCode != tc.keyed:
				t.Errorf("with the key: %d, want %d: the requests without it used up what was arranged", resp.StatusCode, tc.keyed)
			}
			if n, others := srv.Requests(), srv.RequestsWithoutKey(); n != 1+btoi(tc.spend) || others != 3 {
				t.Errorf("Requests() = %d, RequestsWithoutKey() = %d; want %d and 3", n, others, 1+btoi(tc.spend))
			}
		})
	}
}

// btoi is 1 for true.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// With the key, the budget comes before the rest of the spec: a spent budget answers
// 429 to a request with a body where none is declared, as the API's rate limit comes
// before it reads the call; and neither uses up a queued fault.
func TestRateLimitBeforeTheRestOfTheSpec(t *testing.T) {
	srv := newServer(t, ssotest.WithRateLimit(1, time.Minute), ssotest.WithClock(newClock().now))
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	srv.FailNext(1, ssotest.Fault{Status: 502})
	for i, want := range []int{400, 429} {
		if resp, body := send(t, srv, "POST", account, bearer(srv.APIKey), "{}"); resp.StatusCode != want {
			t.Errorf("call %d with a body: %d, want %d: %s", i+1, resp.StatusCode, want, body)
		}
	}
	if v := srv.InvalidRequests(); len(v) != 1 {
		t.Errorf("InvalidRequests() = %v, want the first call's body alone", v)
	}
}

// Each fake has its own key unless WithAPIKey gives one: a call meant for one fake
// that reaches another, such as a stray request to a port the other now holds, is
// refused with 401 and does not count in Requests.
func TestEachFakeHasItsOwnKey(t *testing.T) {
	a, b := newServer(t), newServer(t)
	if a.APIKey == b.APIKey || !strings.HasPrefix(a.APIKey, "SG.") {
		t.Fatalf("keys %q and %q, want two different SendGrid-like keys", a.APIKey, b.APIKey)
	}
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	if resp, body := send(t, b, "GET", cert, bearer(a.APIKey), ""); resp.StatusCode != 401 {
		t.Errorf("a's key at b: %d %s, want 401", resp.StatusCode, body)
	}
	if n, others := b.Requests(), b.RequestsWithoutKey(); n != 0 || others != 1 {
		t.Errorf("b: Requests() = %d, RequestsWithoutKey() = %d; want 0 and 1", n, others)
	}
	const fixed = "SG.a-key-of-the-tests-own"
	c := newServer(t, ssotest.WithAPIKey(fixed))
	if resp, body := send(t, c, "GET", cert, bearer(fixed), ""); resp.StatusCode != 200 || c.Requests() != 1 || c.APIKey != fixed {
		t.Errorf("WithAPIKey(%q): %d %s with %d requests, APIKey %q; want 200, 1 and the key", fixed, resp.StatusCode, body, c.Requests(), c.APIKey)
	}
}
