package wrapper

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

// An integration ID that cannot name one, and a nil certificate, are refused before
// any request.
func TestLifecycleRefusesBeforeSending(t *testing.T) {
	var requests atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	c := newTestClient(t, srv.URL)
	cert := testcert.New(t, testcert.Spec{}).X
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.ListSSOCertificates(context.Background(), id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("ListSSOCertificates(%q) err = %v, want ErrInvalidID", id, err)
		}
		if _, err := c.CreateSSOCertificate(context.Background(), id, cert); !errors.Is(err, ErrInvalidID) {
			t.Errorf("CreateSSOCertificate(%q) err = %v, want ErrInvalidID", id, err)
		}
	}
	if _, err := c.CreateSSOCertificate(context.Background(), "int-1", nil); !errors.Is(err, errNoCertificate) {
		t.Errorf("CreateSSOCertificate(nil) err = %v, want errNoCertificate", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

// CreateSSOCertificate sends the certificate as PEM of its DER, for the integration,
// enabled, as JSON; the API's answer comes back as a Certificate, either spelling of
// the integration ID read.
func TestCreateSSOCertificateSends(t *testing.T) {
	cert := testcert.New(t, testcert.Spec{}).X
	type sent struct {
		method, path, contentType string
		body                      map[string]any
	}
	got := make(chan sent, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		got <- sent{r.Method, r.URL.Path, r.Header.Get("Content-Type"), m}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":9007199254740993,"not_before":1700000000,"not_after":1800000000,"intergration_id":"int-1"}`))
	})
	created, err := newTestClient(t, srv.URL).CreateSSOCertificate(context.Background(), "int-1", cert)
	if err != nil {
		t.Fatal(err)
	}
	want := Certificate{ID: 9007199254740993, NotBefore: time.Unix(1700000000, 0), NotAfter: time.Unix(1800000000, 0), IntegrationID: "int-1"}
	if *created != want {
		t.Errorf("created %+v, want %+v", *created, want)
	}
	s := <-got
	if s.method != http.MethodPost || s.path != "/v3/sso/certificates" || s.contentType != "application/json" {
		t.Errorf("sent %s %s as %q", s.method, s.path, s.contentType)
	}
	pemText, _ := s.body["public_certificate"].(string)
	block, rest := pem.Decode([]byte(pemText))
	if block == nil || block.Type != "CERTIFICATE" || string(block.Bytes) != string(cert.Raw) || len(rest) != 0 {
		t.Errorf("public_certificate %q is not the PEM of the certificate", pemText)
	}
	if s.body["integration_id"] != "int-1" || s.body["enabled"] != true || len(s.body) != 3 {
		t.Errorf("body %v, want public_certificate, integration_id int-1 and enabled true", s.body)
	}
}

// ListSSOIntegrations asks for completed_integration (si=true) and reads every field;
// a last_updated of 0 or none is the zero Time.
func TestListSSOIntegrationsDecodes(t *testing.T) {
	query := make(chan string, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		query <- r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"a","name":"A","enabled":true,"signin_url":"https://in","signout_url":"https://out",
			"entity_id":"urn:idp","completed_integration":true,"last_updated":4102444799,
			"single_signon_url":"https://sso","audience_url":"https://aud"},
			{"id":"b","name":"B","enabled":false,"signin_url":"","signout_url":"","entity_id":"","last_updated":0}]`))
	})
	got, err := newTestClient(t, srv.URL).ListSSOIntegrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Integration{
		{ID: "a", Name: "A", Enabled: true, SigninURL: "https://in", SignoutURL: "https://out", EntityID: "urn:idp",
			Completed: true, LastUpdated: time.Unix(4102444799, 0), SingleSignOnURL: "https://sso", AudienceURL: "https://aud"},
		{ID: "b", Name: "B"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if q := <-query; q != "si=true" {
		t.Errorf("query %q, want si=true", q)
	}
}

// A 200 whose body is not the list the operation returns is ErrInvalidResponse, not
// retried.
func TestListsRefuseAnotherBody(t *testing.T) {
	var requests atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"not a list"}`))
	})
	c := newTestClient(t, srv.URL)
	if _, err := c.ListSSOIntegrations(context.Background()); !errors.Is(err, ErrInvalidResponse) {
		t.Errorf("ListSSOIntegrations err = %v, want ErrInvalidResponse", err)
	}
	if _, err := c.ListSSOCertificates(context.Background(), "int-1"); !errors.Is(err, ErrInvalidResponse) {
		t.Errorf("ListSSOCertificates err = %v, want ErrInvalidResponse", err)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (no retries)", n)
	}
}

// Any other integration ID travels as exactly one escaped path segment.
func TestIntegrationIDIsOneSegment(t *testing.T) {
	paths := make(chan string, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.EscapedPath()
		_, _ = w.Write([]byte(`[]`))
	})
	c := newTestClient(t, srv.URL)
	for id, want := range map[string]string{
		"a/b":      "/v3/sso/integrations/a%2Fb/certificates",
		"../admin": "/v3/sso/integrations/..%2Fadmin/certificates",
		"x?y#z":    "/v3/sso/integrations/x%3Fy%23z/certificates",
	} {
		if _, err := c.ListSSOCertificates(context.Background(), id); err != nil {
			t.Fatalf("ListSSOCertificates(%q): %v", id, err)
		}
		if got := <-paths; got != want {
			t.Errorf("ID %q went as %q, want %q", id, got, want)
		}
	}
}
