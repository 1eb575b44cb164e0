package ssotest_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The fake under clients that stall, hog or flood it.

// guard is how long a test waits for something that must happen: a bound against
// hanging the suite, never a speed check (the awaited event comes much sooner, or,
// when the behaviour is broken, never).
const guard = 30 * time.Second

// closedByServer reads c until the server closes it (EOF or a reset), failing the
// test if the guard runs out first.
func closedByServer(t *testing.T, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(guard))
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server held the connection open for %v", guard)
	}
}

// closeWithin closes srv, failing the test if Close has not returned after the guard;
// with names what holds it.
func closeWithin(t *testing.T, srv *ssotest.Server, with string) {
	t.Helper()
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(guard):
		t.Fatalf("Close did not return in %v with %s", guard, with)
	}
}

// Close returns with a client stalled in its request body, another stalled in its
// headers and an idle keep-alive connection open; the timeouts are an hour, so only
// Close itself can end them.
func TestCloseWithStalledClients(t *testing.T) {
	reached := make(chan struct{}, 1)
	srv := ssotest.NewServer(ssotest.WithTimeouts(time.Hour, time.Hour, time.Hour),
		ssotest.WithRequestHook(func(*http.Request) { reached <- struct{}{} }))
	stalledBody := dialRaw(t, srv, "POST "+accountPath+ssotest.DefaultAccountID+"/sso HTTP/1.1\r\nHost: x\r\n"+
		"Authorization: "+bearer(srv.APIKey)+"\r\nContent-Length: 10\r\n\r\n")
	<-reached // its handler runs, and waits for the 10 bytes
	stalledHeaders := dialRaw(t, srv, "GET / HTTP/1.1\r\nHost: x\r\n")
	idle := dialRaw(t, srv, "GET "+certPath+"66138975 HTTP/1.1\r\nHost: x\r\nAuthorization: "+bearer(srv.APIKey)+"\r\n\r\n")
	<-reached
	if _, err := http.ReadResponse(bufio.NewReader(idle), nil); err != nil {
		t.Fatal(err)
	}

	closeWithin(t, srv, "stalled clients")
	for _, c := range []net.Conn{stalledBody, stalledHeaders, idle} {
		closedByServer(t, c)
	}
	srv.Close() // again: nothing to do
}

// A delayed call ends when the server closes, though its client waits on.
func TestCloseEndsADelay(t *testing.T) {
	reached := make(chan struct{}, 1)
	srv := ssotest.NewServer(ssotest.WithRequestHook(func(*http.Request) { reached <- struct{}{} }))
	srv.FailNext(1, ssotest.Fault{Delay: time.Hour})
	c := dialRaw(t, srv, "GET "+certPath+"66138975 HTTP/1.1\r\nHost: x\r\nAuthorization: "+bearer(srv.APIKey)+"\r\n\r\n")
	<-reached
	closeWithin(t, srv, "a delayed call")
	closedByServer(t, c)
}

// A client that never finishes its headers, one that idles between requests, and one
// that never finishes its body, are cut off by the server's timeouts (short here;
// NewServer's are below). Each server has one short timeout, the others an hour: a
// request the test wants answered is never raced against a short timeout, however
// late a loaded machine runs the client.
func TestTimeoutsCutOffStalledConnections(t *testing.T) {
	srv := newServer(t, ssotest.WithTimeouts(20*time.Millisecond, time.Hour, time.Hour))
	closedByServer(t, dialRaw(t, srv, "GET / HTTP/1.1\r\nHost: x\r\n"))

	srv = newServer(t, ssotest.WithTimeouts(time.Hour, time.Hour, 20*time.Millisecond))
	idle := dialRaw(t, srv, "GET "+certPath+"66138975 HTTP/1.1\r\nHost: x\r\nAuthorization: "+bearer(srv.APIKey)+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %d %v", resp.StatusCode, err)
	}
	closedByServer(t, idle)

	srv = newServer(t, ssotest.WithTimeouts(time.Hour, 20*time.Millisecond, time.Hour))
	closedByServer(t, dialRaw(t, srv, "POST "+accountPath+"a/sso HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"))
}

func TestDefaultTimeouts(t *testing.T) {
	header, read, idle := newServer(t).Timeouts()
	if header <= 0 || read <= 0 || idle <= 0 || header > time.Minute || idle > 5*time.Minute {
		t.Errorf("timeouts: header %v, request %v, idle %v; want each set, header and idle short", header, read, idle)
	}
}

// A fault queued for a million calls costs what one does.
func TestFailNextHugeCount(t *testing.T) {
	srv := newServer(t)
	f := ssotest.Fault{Status: 500, Header: http.Header{"X-Fault": {"one"}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	srv.FailNext(1<<20, f)
	srv.FailNext(1<<30, f)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("FailNext(1<<20) and FailNext(1<<30) allocated %d bytes", grew)
	}
	for range 3 {
		if resp, _ := send(t, srv, "GET", certPath+"66138975", bearer(srv.APIKey), ""); resp.StatusCode != 500 {
			t.Fatalf("status %d, want the fault's 500", resp.StatusCode)
		}
	}
}
