package ssotest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Tests that the fake sends what the real API sends, where our spec is more lenient.

// checkOfficialErrorShape fails the test unless body is an error body of operation in
// the shape Twilio's official descriptions give it (sendgrid-oai, MIT):
// tsg_sso_v3.yaml's SsoErrorResponse for GetSsoCertificate, a bare array of
// {message, field, error_id} with field a string or null; and
// tsg_account_provisioning_v3.yaml's ErrorResponse for AuthenticateAccount,
// {"errors": [...]} whose items require message, field and error_id, all strings.
func checkOfficialErrorShape(t *testing.T, operation string, body []byte) {
	t.Helper()
	var items []map[string]any
	sso := operation != "AuthenticateAccount" // the official SSO description's operations
	if sso {
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatalf("%s error body is not a bare array: %v: %s", operation, err, body)
		}
	} else {
		var env struct {
			Errors []map[string]any `json:"errors"`
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Errors == nil {
			t.Fatalf("%s error body is not {\"errors\": [...]}: %v: %s", operation, err, body)
		}
		items = env.Errors
	}
	if len(items) == 0 {
		t.Fatalf("%s error body holds no error: %s", operation, body)
	}
	for _, item := range items {
		for _, name := range []string{"message", "field", "error_id"} {
			v, present := item[name]
			_, isString := v.(string)
			nullOK := sso && name == "field"
			if !present || !isString && !(nullOK && v == nil) {
				t.Errorf("%s error %s = %#v (present %v), want a string: %s", operation, name, v, present, body)
			}
		}
	}
}

// Every error answer of the fake, for each operation, in the official shape.
func TestErrorsInTheOfficialShape(t *testing.T) {
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	const withKey = "the fake's key"
	for _, tc := range []struct {
		name, operation, method, path, auth, body string
		prefer                                    string
		fault                                     *ssotest.Fault
		spendFirst                                int // calls with the key before this one
	}{
		{name: "wrong key", operation: "AuthenticateAccount", method: "POST", path: account, auth: "Bearer SG.wrong"},
		{name: "unknown account", operation: "AuthenticateAccount", method: "POST", path: accountPath + "nobody/sso", auth: withKey},
		{name: "no key", operation: "AuthenticateAccount", method: "POST", path: account},
		{name: "body on the POST", operation: "AuthenticateAccount", method: "POST", path: account, auth: withKey, body: "{}"},
		{name: "Prefer 504", operation: "AuthenticateAccount", method: "POST", path: account, auth: withKey, prefer: "code=504"},
		{name: "Prefer 403", operation: "AuthenticateAccount", method: "POST", path: account, auth: withKey, prefer: "code=403"},
		{name: "fault 503", operation: "AuthenticateAccount", method: "POST", path: account, auth: withKey, fault: &ssotest.Fault{Status: 503}},
		{name: "rate limited", operation: "AuthenticateAccount", method: "POST", path: account, auth: withKey, spendFirst: 2},
		{name: "wrong key", operation: "GetSsoCertificate", method: "GET", path: cert, auth: "Bearer SG.wrong"},
		{name: "unknown certificate", operation: "GetSsoCertificate", method: "GET", path: certPath + "1", auth: withKey},
		{name: "Prefer 500", operation: "GetSsoCertificate", method: "GET", path: cert, auth: withKey, prefer: "code=500"},
		{name: "rate limited", operation: "GetSsoCertificate", method: "GET", path: cert, auth: withKey, spendFirst: 2},
	} {
		t.Run(tc.operation+"/"+tc.name, func(t *testing.T) {
			srv := newServer(t, ssotest.WithRateLimit(2, time.Hour))
			auth := tc.auth
			if auth == withKey {
				auth = bearer(srv.APIKey)
			}
			for range tc.spendFirst {
				send(t, srv, tc.method, tc.path, auth, "")
			}
			if tc.fault != nil {
				srv.FailNext(1, *tc.fault)
			}
			req := newRequest(t, srv, tc.method, tc.path, auth, tc.body)
			if tc.prefer != "" {
				req.Header.Set("Prefer", tc.prefer)
			}
			resp, body := do(t, req)
			if resp.StatusCode < 400 {
				t.Fatalf("status %d, want an error: %s", resp.StatusCode, body)
			}
			checkOfficialErrorShape(t, tc.operation, body)
		})
	}
}

// rateHeaders returns an answer's X-RateLimit-Limit, -Remaining and -Reset, failing
// the test when one is missing or not an integer.
func rateHeaders(t *testing.T, h http.Header) (limit, remaining, reset int64) {
	t.Helper()
	var got [3]int64
	for i, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		n, err := strconv.ParseInt(h.Get(name), 10, 64)
		if err != nil {
			t.Fatalf("%s = %q, want an integer", name, h.Get(name))
		}
		got[i] = n
	}
	return got[0], got[1], got[2]
}

// A per-key budget: the headers count down, a spent budget answers 429 with
// Retry-After and the reset until the window ends, and each key has its own.
func TestRateLimit(t *testing.T) {
	clock := newClock() // 1_800_000_000.25 s
	srv := newServer(t, ssotest.WithRateLimit(3, time.Minute), ssotest.WithClock(clock.now))
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	const reset = 1_800_000_061 // the window's end, 1_800_000_060.25, rounded up

	// Requests without the key spend nothing: the key's first call starts its window
	// with its whole budget.
	for _, auth := range []string{"", "Basic x", bearer("SG.another"), bearer(srv.APIKey + "x")} {
		if resp, body := send(t, srv, "GET", cert, auth, ""); resp.StatusCode != 401 {
			t.Fatalf("Authorization %q: %d %s, want 401", auth, resp.StatusCode, body)
		}
	}
	for i, path := range []string{cert, account, cert} {
		method := map[string]string{cert: "GET", account: "POST"}[path]
		resp, body := send(t, srv, method, path, bearer(srv.APIKey), "")
		if resp.StatusCode >= 400 {
			t.Fatalf("call %d: %d %s", i+1, resp.StatusCode, body)
		}
		if l, r, rs := rateHeaders(t, resp.Header); l != 3 || r != int64(2-i) || rs != reset {
			t.Errorf("call %d: limit %d remaining %d reset %d, want 3 %d %d", i+1, l, r, rs, 2-i, reset)
		}
		clock.advance(10 * time.Second)
	}
	for _, tc := range []struct{ method, path, shape string }{{"GET", cert, "array"}, {"POST", account, "object"}} {
		resp, body := send(t, srv, tc.method, tc.path, bearer(srv.APIKey), "")
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s over the budget: %d %s, want 429", tc.method, resp.StatusCode, body)
		}
		if l, r, rs := rateHeaders(t, resp.Header); l != 3 || r != 0 || rs != reset {
			t.Errorf("%s 429: limit %d remaining %d reset %d, want 3 0 %d", tc.method, l, r, rs, reset)
		}
		// 30 s into the window: 30 s to its end.
		if ra := resp.Header.Get("Retry-After"); ra != "30" {
			t.Errorf("%s 429: Retry-After %q, want \"30\"", tc.method, ra)
		}
		if shape, msgs := errorMessages(t, body); shape != tc.shape || msgs[0] != "too many requests" {
			t.Errorf("%s 429: %s %q, want %s shape", tc.method, shape, msgs, tc.shape)
		}
	}
	// Another key is answered 401 before the budget is looked at: not 429.
	resp, _ := send(t, srv, "GET", cert, bearer("SG.another"), "")
	if resp.StatusCode != 401 || resp.Header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("another key on a spent budget: %d, X-RateLimit-Limit %q; want 401 and none", resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"))
	}
	// The window ends: a new one begins with the next call.
	clock.advance(30 * time.Second)
	resp, _ = send(t, srv, "GET", cert, bearer(srv.APIKey), "")
	if l, r, rs := rateHeaders(t, resp.Header); resp.StatusCode != 200 || l != 3 || r != 2 || rs != reset+60 {
		t.Errorf("next window: %d limit %d remaining %d reset %d, want 200 3 2 %d", resp.StatusCode, l, r, rs, reset+60)
	}
	if v := srv.InvalidResponses(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// Every answer to a call with the fake's key carries the rate-limit headers: served,
// refused, faulted; the default budget is one no test meets by accident. Answers to
// requests without the key, or naming no operation, carry none: they spend no budget.
func TestRateLimitHeaders(t *testing.T) {
	srv := newServer(t)
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	key := bearer(srv.APIKey)
	srv.FailNext(1, ssotest.Fault{Status: 502, HTML: true})
	for _, tc := range []struct {
		name, method, path, auth, body, prefer string
		headers                                bool
	}{
		{"fault", "GET", cert, key, "", "", true},
		{"200", "GET", cert, key, "", "", true},
		{"303", "POST", account, key, "", "", true},
		{"body where none is declared", "POST", account, key, "{}", "", true},
		{"Prefer 500", "GET", cert, key, "", "code=500", true},
		{"Prefer undeclared", "GET", cert, key, "", "code=404", true},
		{"no key", "GET", cert, "", "", "", false},
		{"wrong key", "POST", account, bearer("SG.wrong"), "", "", false},
		{"unknown path", "GET", "/v3/nothing", key, "", "", false},
		{"wrong method", "PUT", cert, key, "", "", false},
	} {
		req := newRequest(t, srv, tc.method, tc.path, tc.auth, tc.body)
		if tc.prefer != "" {
			req.Header.Set("Prefer", tc.prefer)
		}
		resp, _ := do(t, req)
		if !tc.headers {
			if h := resp.Header.Get("X-RateLimit-Limit"); h != "" {
				t.Errorf("%s: %d with X-RateLimit-Limit %q, want none", tc.name, resp.StatusCode, h)
			}
			continue
		}
		if l, _, _ := rateHeaders(t, resp.Header); l != ssotest.DefaultRateLimit {
			t.Errorf("%s: X-RateLimit-Limit %d, want %d", tc.name, l, ssotest.DefaultRateLimit)
		}
	}
}

func TestWithRateLimitPanicsOnNonsense(t *testing.T) {
	for _, tc := range []struct {
		limit  int
		window time.Duration
	}{{0, time.Minute}, {10, 0}, {-1, time.Second}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "WithRateLimit") {
					t.Errorf("WithRateLimit(%d, %v): recovered %v, want a panic naming it", tc.limit, tc.window, r)
				}
			}()
			ssotest.NewServer(ssotest.WithRateLimit(tc.limit, tc.window)).Close()
		}()
	}
}

// Neither path has a trailing slash in the spec, and SendGrid serves none.
func TestTrailingSlashIsNotFound(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", certPath + fmt.Sprint(ssotest.DefaultCertificateID) + "/"},
		{"POST", accountPath + ssotest.DefaultAccountID + "/sso/"},
	} {
		resp, body := send(t, srv, tc.method, tc.path, bearer(srv.APIKey), "")
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Location") != "" {
			t.Errorf("%s %s: %d %s, want 404", tc.method, tc.path, resp.StatusCode, body)
		}
	}
	if v := srv.InvalidRequests(); len(v) != 2 || !strings.Contains(v[0].Reason, "trailing slash") {
		t.Errorf("InvalidRequests() = %v, want both, naming the slash", v)
	}
}

// The 303's Location is always an absolute URI: a Host header that cannot make one is
// refused, and recorded, before a code is minted.
func TestHostThatCannotMakeALoginURL(t *testing.T) {
	srv := newServer(t)
	post := "POST " + accountPath + ssotest.DefaultAccountID + "/sso HTTP/1.1"
	auth := "Authorization: " + bearer(srv.APIKey)
	for _, host := range []string{"%zz", "a%2", "127.0.0.1:0", "127.0.0.1:65536", "[::1]:x", "a@b"} {
		resp := rawRequest(t, srv, post, "Host: "+host, auth, "Content-Length: 0")
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("Host %q: %d Location %q, want 400 and none", host, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if v := srv.InvalidRequests(); len(v) == 0 || !strings.Contains(v[0].Reason, "does not make an absolute URL") {
		t.Errorf("InvalidRequests() = %v, want the Host refusals", v)
	}
	resp := rawRequest(t, srv, post, "Host: localhost:8025", auth, "Content-Length: 0")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "http://localhost:8025/login?code=") {
		t.Errorf("Host localhost:8025: %d Location %q", resp.StatusCode, loc)
	}
}
