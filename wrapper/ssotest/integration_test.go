package ssotest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

const integrationsPath = "/v3/sso/integrations"

// createBody is a CreateSsoCertificate body.
func createBody(t testing.TB, integrationID, pemText string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"public_certificate": pemText, "integration_id": integrationID, "enabled": true})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// create sends a CreateSsoCertificate call with the fake's key.
func create(t testing.TB, srv *ssotest.Server, integrationID, pemText string) (*http.Response, []byte) {
	t.Helper()
	req := newRequest(t, srv, "POST", "/v3/sso/certificates", bearer(srv.APIKey), createBody(t, integrationID, pemText))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// listCertificates lists the certificates of integrationID, failing unless 200.
func listCertificates(t testing.TB, srv *ssotest.Server, integrationID string) []map[string]any {
	t.Helper()
	resp, body := send(t, srv, "GET", integrationsPath+"/"+integrationID+"/certificates", bearer(srv.APIKey), "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("listing the certificates of %s: %d: %s", integrationID, resp.StatusCode, body)
	}
	var out []map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkNoViolations fails t when the fake recorded a spec violation either way.
func checkNoViolations(t *testing.T, srv *ssotest.Server) {
	t.Helper()
	if v := append(srv.InvalidRequests(), srv.InvalidResponses()...); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// WithIntegration replaces the default integration, and a repeated ID the integration
// in its place; integrations are listed in the order given, completed_integration only
// with si=true.
func TestIntegrationsServed(t *testing.T) {
	a := ssotest.Integration{ID: "int-a", Name: "A", Enabled: true, EntityID: "https://idp.a/", SigninURL: "https://idp.a/in",
		SignoutURL: "https://idp.a/out", Completed: true, LastUpdated: time.Unix(1700000000, 0)}
	b := ssotest.Integration{ID: "int-b", Name: "B", LastUpdated: time.Unix(1700000001, 0)}
	renamed := a
	renamed.Name = "A, renamed"
	srv := newServer(t, ssotest.WithIntegration(a), ssotest.WithIntegration(b), ssotest.WithIntegration(renamed))
	for _, tc := range []struct {
		query     string
		completed bool
	}{{"", false}, {"?si=false", false}, {"?si=true", true}} {
		resp, body := send(t, srv, "GET", integrationsPath+tc.query, bearer(srv.APIKey), "")
		var got []map[string]any
		if err := json.Unmarshal(body, &got); resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %v: %s", tc.query, resp.StatusCode, err, body)
		}
		if len(got) != 2 || got[0]["id"] != "int-a" || got[1]["id"] != "int-b" || got[0]["last_updated"] != 1700000000.0 ||
			got[0]["entity_id"] != "https://idp.a/" || got[0]["name"] != "A, renamed" {
			t.Errorf("%s: got %v, want int-a then int-b", tc.query, got)
		}
		if _, has := got[0]["completed_integration"]; has != tc.completed {
			t.Errorf("%s: completed_integration present %v, want %v", tc.query, has, tc.completed)
		}
	}
	checkNoViolations(t, srv)
}

// Certificates belong to an integration by IntegrationID; an unknown integration is a
// 400 in the SSO error shape.
func TestIntegrationCertificates(t *testing.T) {
	other := ssotest.DefaultCertificate()
	other.ID, other.IntegrationID = 7, "int-b"
	srv := newServer(t, ssotest.WithIntegration(ssotest.DefaultIntegration()), ssotest.WithIntegration(ssotest.Integration{ID: "int-b"}),
		ssotest.WithCertificate(ssotest.DefaultCertificate()), ssotest.WithCertificate(other))
	if got := listCertificates(t, srv, ssotest.DefaultIntegrationID); len(got) != 1 || got[0]["id"] != float64(ssotest.DefaultCertificateID) {
		t.Errorf("default integration: %v", got)
	}
	if got := listCertificates(t, srv, "int-b"); len(got) != 1 || got[0]["id"] != 7.0 || got[0]["intergration_id"] != "int-b" {
		t.Errorf("int-b: %v", got)
	}
	resp, body := send(t, srv, "GET", integrationsPath+"/int-c/certificates", bearer(srv.APIKey), "")
	if shape, msgs := errorMessages(t, body); resp.StatusCode != 400 || shape != "array" || len(msgs) != 1 || msgs[0] != "invalid integration id" {
		t.Errorf("unknown integration: %d %s %v", resp.StatusCode, shape, msgs)
	}
	checkNoViolations(t, srv)
}

// A certificate created through the API gets a new ID and the validity window of the
// certificate itself, and is listed and served by ID afterwards.
func TestCreatedCertificateIsListedAndFetched(t *testing.T) {
	srv := newServer(t)
	c := testcert.New(t, testcert.Spec{NotBefore: time.Unix(1750000000, 0), NotAfter: time.Unix(1850000000, 0)})
	resp, body := create(t, srv, ssotest.DefaultIntegrationID, testcert.PEM(c.X))
	var created map[string]any
	if err := json.Unmarshal(body, &created); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("create: %d %v: %s", resp.StatusCode, err, body)
	}
	if created["id"] == float64(ssotest.DefaultCertificateID) || created["not_before"] != 1750000000.0 ||
		created["not_after"] != 1850000000.0 || created["intergration_id"] != ssotest.DefaultIntegrationID {
		t.Errorf("created %v", created)
	}
	listed := listCertificates(t, srv, ssotest.DefaultIntegrationID)
	if len(listed) != 2 || listed[1]["id"] != created["id"] {
		t.Errorf("listed %v, want the default certificate and %v", listed, created["id"])
	}
	resp, body = send(t, srv, "GET", fmt.Sprintf("%s%.0f", certPath, created["id"]), bearer(srv.APIKey), "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"not_after":1850000000`) {
		t.Errorf("GET by ID: %d %s", resp.StatusCode, body)
	}
	checkNoViolations(t, srv)
}

// An unknown integration and a certificate that does not parse are refused with 400,
// and nothing is kept.
func TestCreateCertificateRefusals(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ integration, cert, want string }{
		{"no-such-integration", ssotest.DefaultCertificate().PublicCertificate, "invalid integration id"},
		{ssotest.DefaultIntegrationID, "not a certificate", "invalid public certificate"},
	} {
		resp, body := create(t, srv, tc.integration, tc.cert)
		if shape, msgs := errorMessages(t, body); resp.StatusCode != 400 || shape != "array" || len(msgs) != 1 || msgs[0] != tc.want {
			t.Errorf("%s: %d %s %v, want 400 %q", tc.integration, resp.StatusCode, shape, msgs, tc.want)
		}
	}
	if got := listCertificates(t, srv, ssotest.DefaultIntegrationID); len(got) != 1 {
		t.Errorf("after refusals: %d certificates, want the default alone", len(got))
	}
	checkNoViolations(t, srv)
}

// A server creates at most MaxCreatedCertificates through the API; the next is a 400
// that says so, and is not kept.
func TestCreateCertificateBounded(t *testing.T) {
	srv := newServer(t)
	pemText := ssotest.DefaultCertificate().PublicCertificate
	for i := range ssotest.MaxCreatedCertificates {
		if resp, body := create(t, srv, ssotest.DefaultIntegrationID, pemText); resp.StatusCode != http.StatusOK {
			t.Fatalf("certificate %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := create(t, srv, ssotest.DefaultIntegrationID, pemText)
	if _, msgs := errorMessages(t, body); resp.StatusCode != 400 || len(msgs) != 1 || !strings.Contains(msgs[0], "limit") {
		t.Errorf("certificate %d: %d %v, want a 400 naming the limit", ssotest.MaxCreatedCertificates+1, resp.StatusCode, msgs)
	}
	if got := listCertificates(t, srv, ssotest.DefaultIntegrationID); len(got) != 1+ssotest.MaxCreatedCertificates {
		t.Errorf("%d certificates listed, want %d", len(got), 1+ssotest.MaxCreatedCertificates)
	}
	checkNoViolations(t, srv)
}
