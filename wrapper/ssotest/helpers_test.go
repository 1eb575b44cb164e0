package ssotest_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Shared by the test files of this package.

// newServer starts a fake closed when the test ends.
func newServer(t testing.TB, opts ...ssotest.Option) *ssotest.Server {
	t.Helper()
	srv := ssotest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// noRedirects is a client that hands back redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send sends method path to srv with "Authorization: <auth>" (none when auth is "")
// and body, and returns the response with its body read.
func send(t testing.TB, srv *ssotest.Server, method, path, auth, body string) (*http.Response, []byte) {
	t.Helper()
	return do(t, newRequest(t, srv, method, path, auth, body))
}

// newRequest is the request send sends, for a test to add to.
func newRequest(t testing.TB, srv *ssotest.Server, method, path, auth, body string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// do sends req without following redirects and returns the response with its body
// read.
func do(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL.Path, err)
	}
	return resp, b
}

// dialRaw opens a connection to srv, closed when the test ends, and writes s on it.
func dialRaw(t testing.TB, srv *ssotest.Server, s string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	return c
}

// rawRequest sends lines as one request on a new connection and reads the answer.
func rawRequest(t testing.TB, srv *ssotest.Server, lines ...string) *http.Response {
	t.Helper()
	c := dialRaw(t, srv, strings.Join(lines, "\r\n")+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// bearer is the Authorization header value for key.
func bearer(key string) string { return "Bearer " + key }

// errorMessages decodes either error shape and returns its messages, failing the
// test when the body is neither; shape is "array" or "object".
func errorMessages(t testing.TB, body []byte) (shape string, msgs []string) {
	t.Helper()
	type detail struct {
		Message string  `json:"message"`
		Field   *string `json:"field"`
		ErrorID string  `json:"error_id"`
	}
	var list []detail
	if err := json.Unmarshal(body, &list); err == nil {
		shape = "array"
	} else {
		var env struct {
			Errors []detail `json:"errors"`
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Errors == nil {
			t.Fatalf("body is neither error shape: %s", body)
		}
		shape, list = "object", env.Errors
	}
	for _, d := range list {
		msgs = append(msgs, d.Message)
	}
	return shape, msgs
}

// clock is a fake time source for ssotest.WithClock, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts a clock at a fixed time with a fraction of a second, so that
// roundings show.
func newClock() *clock { return &clock{t: time.Unix(1_800_000_000, 250_000_000)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
