package ssotest_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestServesItsSpec: GET /openapi.yaml serves the document the fake checks against,
// to anyone (no key), as application/yaml; such visits are not API requests, so no
// count moves and nothing is recorded as a violation.
func TestServesItsSpec(t *testing.T) {
	t.Parallel()
	mutated := mutate(t, "title: ", "title: mutated ")
	for name, tc := range map[string]struct {
		opts []ssotest.Option
		want []byte
	}{
		"embedded": {nil, api.Spec()},
		"WithSpec": {[]ssotest.Option{ssotest.WithSpec(mutated)}, mutated},
	} {
		srv := newServer(t, tc.opts...)
		for _, auth := range []string{"", bearer(srv.APIKey), "Bearer SG.another"} {
			resp, body := send(t, srv, "GET", ssotest.SpecPath, auth, "")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/yaml" || !bytes.Equal(body, tc.want) {
				t.Errorf("%s, auth %q: %d %q, %d bytes; want 200 application/yaml and the %d bytes of the document",
					name, auth, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(tc.want))
			}
		}
		resp, body := send(t, srv, "HEAD", ssotest.SpecPath, "", "")
		if resp.StatusCode != 200 || len(body) != 0 || resp.ContentLength != int64(len(tc.want)) {
			t.Errorf("%s: HEAD: %d, %d bytes, Content-Length %d", name, resp.StatusCode, len(body), resp.ContentLength)
		}
		resp, _ = send(t, srv, "POST", ssotest.SpecPath, "", "x")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: POST: %d, Allow %q; want 405 and GET, HEAD", name, resp.StatusCode, resp.Header.Get("Allow"))
		}
		badReqs, badResps := srv.InvalidCounts()
		if srv.Requests() != 0 || srv.RequestsWithoutKey() != 0 || badReqs != 0 || badResps != 0 {
			t.Errorf("%s: fetching the document counted: %d requests, %d without the key, %d and %d violations",
				name, srv.Requests(), srv.RequestsWithoutKey(), badReqs, badResps)
		}
	}
}

// TestTLS: with WithTLS the fake serves HTTPS, its URL and the 303's login URL are
// https, and a client trusting only the fake's certificate gets the certificate, a
// login URL it can open (counted by LoginsFollowed), a Prefer status and the
// rate limit, as over plain http.
func TestTLS(t *testing.T) {
	t.Parallel()
	leaf := testcert.New(t, testcert.Spec{CN: "localhost", NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.X.Raw}, PrivateKey: leaf.Key}}}
	srv := newServer(t, ssotest.WithTLS(cfg), ssotest.WithRateLimit(3, time.Hour))
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %q, want https://127.0.0.1:port", srv.URL)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf.X)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL), wrapper.WithHTTPClient(hc), wrapper.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetSSOCertificate(t.Context(), "66138975"); err != nil {
		t.Fatal(err)
	}
	login, err := client.AuthenticateAccount(t.Context(), ssotest.DefaultAccountID)
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/login?code="; !strings.HasPrefix(login.URL.String(), want) {
		t.Fatalf("login URL %s, want %s…", login.URL, want)
	}
	resp, err := hc.Get(login.URL.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || srv.LoginsFollowed() != 1 {
		t.Errorf("opening the login URL: %d, LoginsFollowed %d; want 200 and 1", resp.StatusCode, srv.LoginsFollowed())
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v3/sso/certificates/66138975", nil)
	req.Header.Set("Authorization", bearer(srv.APIKey))
	req.Header.Set("Prefer", "code=403")
	if resp, err := hc.Do(req); err != nil || resp.StatusCode != 403 || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("Prefer: code=403 as the third call: %v %v; want 403 and none of the budget left", resp, err)
	}
	if _, err := client.GetSSOCertificate(t.Context(), "66138975"); err == nil || !strings.Contains(err.Error(), "429") {
		t.Errorf("the fourth call of a budget of 3: %v, want a 429", err)
	}
}
