package main

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// closeDeadline bounds how long a test waits for the server to close a connection:
// far above the short limit under test, far under defaultLimits' others (30 s and
// more), so that only the limit under test can close it in time.
const closeDeadline = 10 * time.Second

// startServer serves a handler answering "OK" with newServer within l, on a loopback
// port, until the test ends, and returns a connection to it.
func startServer(t *testing.T, l serverLimits) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "OK\n") })
	srv := newServer(ok, log.New(io.Discard, "", 0), l)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// send writes s to conn.
func send(t *testing.T, conn net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(conn, s); err != nil {
		t.Fatalf("writing the request: %v", err)
	}
}

// waitClosed reads from r (conn's reader) until the server closes conn, and fails
// the test when closeDeadline passes first.
func waitClosed(t *testing.T, conn net.Conn, r io.Reader, what string) {
	t.Helper()
	if err := conn.SetReadDeadline(time.Now().Add(closeDeadline)); err != nil {
		t.Fatal(err)
	}
	_, err := io.Copy(io.Discard, r)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the server kept the connection open for %v", what, closeDeadline)
	}
}

// TestServerLimitsDefault: serve's server has every limit, and the timeouts leave a
// scrape the time Prometheus gives it (its default scrape_timeout, 10 s).
func TestServerLimitsDefault(t *testing.T) {
	srv := newServer(http.NotFoundHandler(), nil, defaultLimits)
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 64<<10 {
		t.Errorf("MaxHeaderBytes %d, want a few KiB", srv.MaxHeaderBytes)
	}
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": srv.ReadHeaderTimeout,
		"ReadTimeout": srv.ReadTimeout, "WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout} {
		if d < 10*time.Second || d > 5*time.Minute {
			t.Errorf("%s %v, want between a scrape timeout (10s) and a few minutes", name, d)
		}
	}
}

// TestServerCutsPartialHeader: a client that sends part of a request header and
// waits is cut after readHeader.
func TestServerCutsPartialHeader(t *testing.T) {
	l := defaultLimits
	l.readHeader = 100 * time.Millisecond
	conn := startServer(t, l)
	send(t, conn, "GET /metrics HTTP/1.1\r\nHost: exporter\r\n")
	waitClosed(t, conn, conn, "a partial header")
}

// TestServerCutsSlowBody: a client that announces a body and sends it too slowly is
// cut after read, the whole request's bound, not only its header's.
func TestServerCutsSlowBody(t *testing.T) {
	l := defaultLimits
	l.read = 100 * time.Millisecond
	conn := startServer(t, l)
	send(t, conn, "POST /metrics HTTP/1.1\r\nHost: exporter\r\nContent-Length: 100\r\n\r\nx")
	waitClosed(t, conn, conn, "a slow body")
}

// TestServerCutsIdleConnection: a kept-alive connection that sends no next request
// is closed after idle.
func TestServerCutsIdleConnection(t *testing.T) {
	l := defaultLimits
	l.idle = 100 * time.Millisecond
	conn := startServer(t, l)
	send(t, conn, "GET /metrics HTTP/1.1\r\nHost: exporter\r\n\r\n")
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("got %d %q (close %v), %v; want 200 on a kept-alive connection", resp.StatusCode, body, resp.Close, err)
	}
	waitClosed(t, conn, r, "an idle connection")
}

// TestServerRefusesLargeHeader: with defaultLimits, a header beyond maxHeaderBytes
// (and the 4 KiB net/http adds) is answered 431, not read into memory up to 1 MB.
func TestServerRefusesLargeHeader(t *testing.T) {
	conn := startServer(t, defaultLimits)
	send(t, conn, "GET /metrics HTTP/1.1\r\nHost: exporter\r\nX-Big: "+strings.Repeat("a", defaultLimits.maxHeaderBytes+8<<10)+"\r\n\r\n")
	if err := conn.SetReadDeadline(time.Now().Add(closeDeadline)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want %d", resp.StatusCode, http.StatusRequestHeaderFieldsTooLarge)
	}
}
