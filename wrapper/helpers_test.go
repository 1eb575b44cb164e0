package wrapper

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
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

// testLoginCode is a one-time login code that a leak check would spot anywhere.
const testLoginCode = "OTC-one-time-code-NEVER-PRINT-ME-7f3a9c"

// roundTripFn is an http.RoundTripper made of a function: a transport that answers
// without a network, for fuzzing and for inspecting the requests the Client builds.
type roundTripFn func(*http.Request) (*http.Response, error)

func (f roundTripFn) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// rawServer listens on loopback and hands each connection, after reading one request
// from it, to handle: for faults that net/http's server will not produce, such as a
// reset in the middle of the headers. It returns the base URL and a count of accepted
// connections. Connections still open when the test ends are closed.
func rawServer(t testing.TB, handle func(conn net.Conn, req *http.Request)) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var (
		accepts atomic.Int64
		mu      sync.Mutex
		conns   = map[net.Conn]bool{}
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			mu.Lock()
			conns[conn] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				handle(conn, req)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String(), &accepts
}

// resetConn closes conn with a TCP reset rather than an orderly FIN.
func resetConn(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// serveUnstarted is serve for a server the test configures before it calls Start.
func serveUnstarted(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// sprintf is fmt.Sprintf, named so that vet's printf check leaves the verbs under test
// alone.
var sprintf = fmt.Sprintf

// mustParse parses a URL or fails the test.
func mustParse(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// testCert is a certificate generated for a test, with its key so that it can sign
// others.
type testCert struct {
	x   *x509.Certificate
	key *ecdsa.PrivateKey
}

// certSpec describes a certificate for newTestCert. Zero fields take defaults: serial
// 4242, CN "idp.test", valid from unix 1700000000 to 1800000000, self-signed.
type certSpec struct {
	cn                  string
	serial              int64
	notBefore, notAfter time.Time
	parent              *testCert // signs the certificate; nil: self-signed
	ca                  bool      // may sign others
}

// newTestCert generates a P-256 certificate as spec says.
func newTestCert(t testing.TB, spec certSpec) *testCert {
	t.Helper()
	if spec.cn == "" {
		spec.cn = "idp.test"
	}
	if spec.serial == 0 {
		spec.serial = 4242
	}
	if spec.notBefore.IsZero() {
		spec.notBefore = time.Unix(1700000000, 0)
	}
	if spec.notAfter.IsZero() {
		spec.notAfter = time.Unix(1800000000, 0)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(spec.serial),
		Subject:               pkix.Name{CommonName: spec.cn},
		NotBefore:             spec.notBefore,
		NotAfter:              spec.notAfter,
		BasicConstraintsValid: spec.ca,
		IsCA:                  spec.ca,
	}
	parent, signer := tmpl, key
	if spec.parent != nil {
		parent, signer = spec.parent.x, spec.parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{x: x, key: key}
}

// selfSigned returns a fresh certificate's DER bytes (the defaults of certSpec).
func selfSigned(t testing.TB) []byte { return newTestCert(t, certSpec{}).x.Raw }
