package idpmetadata

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Shared by every test file of this package. Certificates and metadata documents come
// from internal/testcert.

// serve starts an httptest server running h, closed when the test ends.
func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// roundTripFn is an http.RoundTripper made of a function: a transport that answers
// without a network.
type roundTripFn func(*http.Request) (*http.Response, error)

func (f roundTripFn) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// mustParse parses doc, failing the test on error.
func mustParse(t *testing.T, doc string) *Metadata {
	t.Helper()
	md, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return md
}
