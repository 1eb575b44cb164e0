package wrapper

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
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

// sourceFiles parses the package's own source files, tests left out, with comments.
func sourceFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
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

// startCountingConns starts srv (from serveUnstarted), counting in conns each
// connection it accepts.
func startCountingConns(srv *httptest.Server, conns *atomic.Int64) {
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
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

// Operations under test, by method.
const (
	opGET  = "GET"
	opPOST = "POST"
)

// call runs the operation named by method against c and returns the error.
func call(ctx context.Context, c *Client, method string) error {
	if method == opPOST {
		_, err := c.AuthenticateAccount(ctx, "acct-1")
		return err
	}
	_, err := c.GetSSOCertificate(ctx, "66138975")
	return err
}

// script answers the n-th request (from 0) with steps[n], the last step repeating,
// and counts the requests. A nil step hangs up without answering.
func script(steps ...http.HandlerFunc) (http.HandlerFunc, *atomic.Int64) {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1) - 1)
		step := steps[min(i, len(steps)-1)]
		if step == nil {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		step(w, r)
	}, &n
}

// reply answers with code, the header pairs kv and body.
func reply(code int, body string, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Add(kv[i], kv[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// certOK answers with a certificate whose ID is 5.
func certOK(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"id":5}`)) }

// redirectTo serves every request a 303 to location (no Location header when empty).
func redirectTo(location string) http.HandlerFunc {
	if location == "" {
		return reply(http.StatusSeeOther, "")
	}
	return reply(http.StatusSeeOther, "", "Location", location)
}

// recordSleeps replaces c's sleep with one that records the waits and returns at
// once (with the context's error, as the real one does when it ends first).
func recordSleeps(c *Client) *[]time.Duration {
	var mu sync.Mutex
	waits := &[]time.Duration{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		*waits = append(*waits, d)
		return ctx.Err()
	}
	return waits
}

// wantAPIError returns err as an *APIError with the given status, or fails.
func wantAPIError(t *testing.T, err error, status int) *APIError {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v (%T), want an *APIError", err, err)
	}
	if apiErr.StatusCode != status {
		t.Fatalf("status = %d, want %d: %v", apiErr.StatusCode, status, err)
	}
	return apiErr
}

// assertDeadline checks that err is the caller's deadline and came promptly: within a
// bound far above the deadline that only a hang would pass (a correctness bound, not a
// speed target).
func assertDeadline(t *testing.T, err error, start time.Time) {
	t.Helper()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the call returned %v after a 100ms deadline", took)
	}
}

// selfSigned returns a fresh certificate's DER bytes (testcert's defaults: CN
// "idp.test", serial 4242).
func selfSigned(t testing.TB) []byte { return testcert.New(t, testcert.Spec{}).X.Raw }

// drainWatch follows a Client's background reads of bodies it does not need
// (drainBody).
type drainWatch struct {
	t    testing.TB
	ends chan bool
}

// watchDrains makes c report to the returned watch the end of each background read.
func watchDrains(t testing.TB, c *Client) *drainWatch {
	w := &drainWatch{t: t, ends: make(chan bool, 1)}
	c.drained = func(reachedEnd bool) { w.ends <- reachedEnd }
	return w
}

// next waits for the next read to end and reports whether it reached the body's end.
// It fails the test when none ends within 10 seconds: a hang, far beyond drainWait.
func (w *drainWatch) next() bool {
	w.t.Helper()
	select {
	case reachedEnd := <-w.ends:
		return reachedEnd
	case <-time.After(10 * time.Second):
		w.t.Fatal("the background read of a body did not end")
		return false
	}
}

// ended reports, without waiting, whether a read has ended that next has not taken
// (and takes it).
func (w *drainWatch) ended() bool {
	select {
	case <-w.ends:
		return true
	default:
		return false
	}
}
