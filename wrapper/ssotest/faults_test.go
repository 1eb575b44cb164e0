package ssotest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestFailNextStatuses(t *testing.T) {
	srv := newServer(t)
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	account := accountPath + ssotest.DefaultAccountID + "/sso"
	srv.FailNext(2, ssotest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond,
		Header: http.Header{"x-ratelimit-reset": {"1700000000"}}})
	srv.FailNext(1, ssotest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailNext(1, ssotest.Fault{Status: http.StatusBadGateway, HTML: true})
	srv.FailNext(1, ssotest.Fault{Status: http.StatusOK, Body: `{"id":1}`})

	for i := range 2 {
		resp, body := send(t, srv, "GET", cert, bearer(srv.APIKey), "")
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || resp.Header.Get("X-RateLimit-Reset") != "1700000000" {
			t.Errorf("call %d: %d Retry-After %q reset %q, want 429, \"2\" and the reset", i+1, resp.StatusCode,
				resp.Header.Get("Retry-After"), resp.Header.Get("X-RateLimit-Reset"))
		}
		if shape, msgs := errorMessages(t, body); shape != "array" || msgs[0] != "Too Many Requests" {
			t.Errorf("call %d: %s %q, want the GET's bare array", i+1, shape, msgs)
		}
	}
	resp, body := send(t, srv, "POST", account, bearer(srv.APIKey), "")
	if shape, _ := errorMessages(t, body); resp.StatusCode != 503 || shape != "object" || resp.Header.Get("Retry-After") != "" {
		t.Errorf("503 fault: %d %s Retry-After %q", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	resp, body = send(t, srv, "GET", cert, bearer(srv.APIKey), "")
	if resp.StatusCode != 502 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "<h1>502 Bad Gateway</h1>") {
		t.Errorf("HTML fault: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, body = send(t, srv, "GET", cert, bearer(srv.APIKey), "")
	if resp.StatusCode != 200 || string(body) != `{"id":1}` {
		t.Errorf("body fault: %d %s", resp.StatusCode, body)
	}
	resp, _ = send(t, srv, "GET", cert, bearer(srv.APIKey), "")
	if resp.StatusCode != 200 {
		t.Errorf("after the faults: %d, want 200", resp.StatusCode)
	}
	if v := append(srv.InvalidRequests(), srv.InvalidResponses()...); len(v) != 0 {
		t.Errorf("faults were recorded as violations: %v", v)
	}
}

// An invalid request is refused and does not use up a fault.
func TestInvalidRequestKeepsTheFault(t *testing.T) {
	srv := newServer(t)
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	srv.FailNext(1, ssotest.Fault{Status: 500})
	if resp, _ := send(t, srv, "GET", cert, "", ""); resp.StatusCode != 401 {
		t.Fatalf("no key: %d, want 401", resp.StatusCode)
	}
	if resp, _ := send(t, srv, "GET", cert, bearer(srv.APIKey), ""); resp.StatusCode != 500 {
		t.Fatalf("first valid call: %d, want the fault's 500", resp.StatusCode)
	}
}

func TestDropFault(t *testing.T) {
	srv := newServer(t)
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	srv.FailNext(1, ssotest.Fault{Drop: true})
	// A fresh connection per request: the transport does not resend a request it
	// sent on a new connection.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest("GET", srv.URL+cert, nil)
	req.Header.Set("Authorization", bearer(srv.APIKey))
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped call answered %d", resp.StatusCode)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || srv.Requests() != 2 {
		t.Errorf("after the drop: %d with %d requests, want 200 and 2", resp.StatusCode, srv.Requests())
	}
}

// A delayed call is held back until the client gives up; then the fault ends.
func TestDelayFault(t *testing.T) {
	srv := newServer(t)
	cert := certPath + fmt.Sprint(ssotest.DefaultCertificateID)
	srv.FailNext(1, ssotest.Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+cert, nil)
	req.Header.Set("Authorization", bearer(srv.APIKey))
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("delayed call answered %d before the client's deadline", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the client's deadline", err)
	}
	// The delayed handler returns once the client is gone, so Close (in Cleanup) does
	// not wait an hour; a delay that ends serves the call normally.
	srv.FailNext(1, ssotest.Fault{Delay: time.Millisecond})
	if resp, _ := send(t, srv, "GET", cert, bearer(srv.APIKey), ""); resp.StatusCode != 200 {
		t.Errorf("after a short delay: %d, want 200", resp.StatusCode)
	}
}
