package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// noRedirects hands back redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// call sends method path to the fake at base with the key, the Prefer header (none
// when prefer is "") and body as JSON (none when ""), and returns the response with
// its body read.
func call(t *testing.T, base, key, method, path, body, prefer string) (*http.Response, string) {
	t.Helper()
	return callVia(t, noRedirects, base, key, method, path, body, prefer)
}

// callVia is call through the client hc, which must not follow redirects.
func callVia(t *testing.T, hc *http.Client, base, key, method, path, body, prefer string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if prefer != "" {
		req.Header.Set("Prefer", prefer)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// operationPath is a method, path and request body of operation that the fake serves.
func operationPath(t *testing.T, operation string) (method, path, body string) {
	switch operation {
	case "AuthenticateAccount":
		return "POST", "/v3/partners/accounts/" + ssotest.DefaultAccountID + "/sso", ""
	case "GetSsoCertificate":
		return "GET", fmt.Sprintf("/v3/sso/certificates/%d", ssotest.DefaultCertificateID), ""
	case "ListSsoIntegration":
		return "GET", "/v3/sso/integrations?si=true", ""
	case "ListSsoIntegrationCertificate":
		return "GET", "/v3/sso/integrations/" + ssotest.DefaultIntegrationID + "/certificates", ""
	case "CreateSsoCertificate":
		b, err := json.Marshal(map[string]any{"public_certificate": ssotest.DefaultCertificate().PublicCertificate,
			"integration_id": ssotest.DefaultIntegrationID, "enabled": true})
		if err != nil {
			t.Fatal(err)
		}
		return "POST", "/v3/sso/certificates", string(b)
	}
	t.Fatalf("no request for operation %s: add one", operation)
	return "", "", ""
}

// Every (operation, status) pair the spec declares, reached over HTTP through the fake
// binary with "Prefer: code=N"; an undeclared code gets a 400 naming the declared
// ones. The count on Ctrl-C holds only the code that was redeemed.
func TestPreferOverHTTP(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0")
	base, key := f.URL, f.APIKey
	c, err := contract.New(api.Spec(), base)
	if err != nil {
		t.Fatal(err)
	}
	pairs := c.Pairs()
	for _, p := range pairs {
		method, path, reqBody := operationPath(t, p.Operation)
		resp, body := call(t, base, key, method, path, reqBody, "code="+p.Status)
		if strconv.Itoa(resp.StatusCode) != p.Status {
			t.Errorf("%s: status %d: %s", p, resp.StatusCode, body)
		}
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", p)
		}
		if resp.Header.Get("X-RateLimit-Limit") == "" {
			t.Errorf("%s: no X-RateLimit-Limit", p)
		}
	}
	resp, body := call(t, base, key, "GET", "/v3/sso/certificates/1", "", "code=404")
	if want := "GetSsoCertificate declares only 200, 400, 401, 403, 429, 500"; resp.StatusCode != 400 || !strings.Contains(body, want) {
		t.Errorf("undeclared code: %d %s, want 400 saying %q", resp.StatusCode, body, want)
	}

	// One code redeemed, one made up: one login URL opened.
	resp, _ = call(t, base, key, "POST", "/v3/partners/accounts/"+ssotest.DefaultAccountID+"/sso", "", "")
	for _, u := range []string{resp.Header.Get("Location"), base + "/login?code=made-up"} {
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}

	status, stderr := f.Interrupt(t)
	if status != 0 {
		t.Errorf("exit status %d after Ctrl-C, want 0; stderr:\n%s", status, stderr)
	}
	want := fmt.Sprintf("fake stopped after %d API requests with its key and 0 without; login URLs opened: 1; requests that broke the spec: 1; answers that broke the spec: 0\n"+
		"  request: GET /v3/sso/certificates/1: 400: ssotest: the fake cannot serve this request: Prefer: code=404, but GetSsoCertificate declares only", len(pairs)+2)
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

// Ctrl-C stops the fake though a client has sent its headers and stalls its body.
func TestInterruptWithAStalledClient(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0")
	c, err := net.Dial("tcp", strings.TrimPrefix(f.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v3/partners/accounts/a/sso HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 10\r\n\r\n", f.APIKey)
	if status, stderr := f.Interrupt(t); status != 0 {
		t.Errorf("exit status %d, want 0; stderr:\n%s", status, stderr)
	}
}

// --rate-limit gives each key its budget; beyond it, 429 with Retry-After.
func TestRateLimitFlag(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--rate-limit", "2/1h")
	method, path, _ := operationPath(t, "GetSsoCertificate")
	for i, want := range []int{200, 200, 429} {
		resp, body := call(t, f.URL, f.APIKey, method, path, "", "")
		if resp.StatusCode != want || resp.Header.Get("X-RateLimit-Limit") != "2" {
			t.Fatalf("call %d: %d limit %q, want %d and 2: %s", i+1, resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"), want, body)
		}
		if want == 429 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
	}
}

// A second interrupt while the fake closes quits at once, leaving Close running.
func TestSecondInterruptQuits(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 1)
	release := make(chan struct{})
	defer close(release)
	stuck := func() { <-release } // a Close that never ends by itself
	sigs <- os.Interrupt
	done := make(chan error, 1)
	go func() { done <- closeUnlessInterrupted(stuck, sigs) }()
	select {
	case err := <-done:
		if !errors.Is(err, errQuit) {
			t.Errorf("err = %v, want errQuit", err)
		}
	case <-time.After(30 * time.Second): // a guard against hanging the suite, not a speed check
		t.Fatal("a second interrupt did not end the wait for Close")
	}
	if err := closeUnlessInterrupted(func() {}, make(chan os.Signal)); err != nil {
		t.Errorf("a Close that returns: err = %v, want nil", err)
	}
}
