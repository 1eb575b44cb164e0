package ssotest_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// preferRequest is a valid call of operation on srv asking for code with Prefer.
func preferRequest(t *testing.T, srv *ssotest.Server, operation, prefer string) *http.Request {
	t.Helper()
	method, path, body := "GET", certPath+fmt.Sprint(ssotest.DefaultCertificateID), ""
	switch operation {
	case "AuthenticateAccount":
		method, path = "POST", accountPath+ssotest.DefaultAccountID+"/sso"
	case "ListSsoIntegration":
		path = "/v3/sso/integrations?si=true"
	case "ListSsoIntegrationCertificate":
		path = "/v3/sso/integrations/" + ssotest.DefaultIntegrationID + "/certificates"
	case "CreateSsoCertificate":
		method, path, body = "POST", "/v3/sso/certificates", createBody(t, ssotest.DefaultIntegrationID, ssotest.DefaultCertificate().PublicCertificate)
	}
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", bearer(srv.APIKey))
	req.Header.Set("Prefer", prefer)
	return req
}

// Every declared (operation, status) pair is reachable with "Prefer: code=N", error
// statuses in the operation's error shape, with Retry-After on 429, and each answer
// passes the fake's own check against the spec.
func TestPreferReachesEveryDeclaredPair(t *testing.T) {
	srv := newServer(t)
	c, err := contract.New(api.Spec(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	pairs := c.Pairs()
	if len(pairs) != 32 {
		t.Fatalf("the spec declares %d pairs; this test was written for 32", len(pairs))
	}
	for _, p := range pairs {
		t.Run(p.String(), func(t *testing.T) {
			resp, body := do(t, preferRequest(t, srv, p.Operation, "code="+p.Status))
			if got := strconv.Itoa(resp.StatusCode); got != p.Status {
				t.Fatalf("status %s, want %s: %s", got, p.Status, body)
			}
			if resp.StatusCode >= 400 {
				checkOfficialErrorShape(t, p.Operation, body)
			}
			if ra := resp.Header.Get("Retry-After"); (resp.StatusCode == 429) != (ra != "") {
				t.Errorf("Retry-After %q on a %d", ra, resp.StatusCode)
			}
			if resp.StatusCode == 429 {
				if _, r, _ := rateHeaders(t, resp.Header); r != 0 || resp.Header.Get("Retry-After") != "1" {
					t.Errorf("429: remaining %d, Retry-After %q; want 0 and \"1\"", r, resp.Header.Get("Retry-After"))
				}
			}
		})
	}
	if v := append(srv.InvalidRequests(), srv.InvalidResponses()...); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// Prefer is parsed as RFC 7240 has it: several preferences, parameters, quotes.
func TestPreferSyntax(t *testing.T) {
	srv := newServer(t)
	for prefer, want := range map[string]int{
		"respond-async, code=500; x=y":      500,
		`CODE="403"`:                        403,
		"example=official":                  200,
		"wait=10,code=429":                  429,
		" code = 401 ":                      401,
		"dynamic=true, code=400, code=500 ": 400,
	} {
		resp, body := do(t, preferRequest(t, srv, "GetSsoCertificate", prefer))
		if resp.StatusCode != want {
			t.Errorf("Prefer %q: %d, want %d: %s", prefer, resp.StatusCode, want, body)
		}
	}
}

// A code the operation does not declare, or no status at all, gets a 400 that says
// which codes the operation declares; it is recorded.
func TestPreferUndeclaredCode(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ operation, prefer, want string }{
		{"GetSsoCertificate", "code=404", "GetSsoCertificate declares only 200, 400, 401, 403, 429, 500"},
		{"AuthenticateAccount", "code=200", "AuthenticateAccount declares only 303, 401, 403, 404, 500, 502, 503, 504"},
		{"AuthenticateAccount", "code=429", "AuthenticateAccount declares only 303, 401,"},
		{"GetSsoCertificate", "code=abc", `Prefer: code="abc" is not an HTTP status`},
		{"GetSsoCertificate", "code=4290", `Prefer: code="4290" is not an HTTP status`},
		{"GetSsoCertificate", "code=", `Prefer: code="" is not an HTTP status`},
	} {
		before := len(srv.InvalidRequests())
		resp, body := do(t, preferRequest(t, srv, tc.operation, tc.prefer))
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s Prefer %s: %d, want 400: %s", tc.operation, tc.prefer, resp.StatusCode, body)
			continue
		}
		if _, msgs := errorMessages(t, body); len(msgs) != 1 || !strings.Contains(msgs[0], tc.want) {
			t.Errorf("%s Prefer %s: message %q, want it to say %q", tc.operation, tc.prefer, msgs, tc.want)
		}
		if v := srv.InvalidRequests(); len(v) != before+1 || v[before].Status != 400 {
			t.Errorf("%s Prefer %s: not recorded: %v", tc.operation, tc.prefer, v)
		}
	}
}

// A queued fault goes first; the Prefer header of a call a fault answers is unused.
func TestPreferAfterFaults(t *testing.T) {
	srv := newServer(t)
	srv.FailNext(1, ssotest.Fault{Status: 502})
	for _, want := range []int{502, 500} {
		if resp, _ := do(t, preferRequest(t, srv, "GetSsoCertificate", "code=500")); resp.StatusCode != want {
			t.Errorf("status %d, want %d", resp.StatusCode, want)
		}
	}
}
