package wrapper

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Shared by every test file of this package. Add helpers here rather than in a test
// file of your own, so that two files never define the same name.

// testKey is a key that a leak check would spot anywhere.
const testKey = "SG.test-key-NEVER-PRINT-ME.0123456789abcdef"

// serve starts an httptest server running h, closed when the test ends.
func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newTestClient builds a client for baseURL with testKey and a 1ms backoff step;
// opts come after and override.
func newTestClient(t testing.TB, baseURL string, opts ...Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]Option{WithBaseURL(baseURL), withBackoffBase(time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// sprintf is fmt.Sprintf, named so that vet's printf check leaves the verbs under test
// alone.
var sprintf = fmt.Sprintf
