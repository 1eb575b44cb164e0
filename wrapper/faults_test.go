package wrapper

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testnet"
)

// The fault matrix: what the Client does when the network or the server misbehaves.
// One line per case; each is a (sub)test below that fails when the behaviour breaks.
// "Requests" is what the server sees with the default two retries.
//
//	| Fault                                  | Op   | Outcome                                                    | Requests | Test
//	|----------------------------------------|------|------------------------------------------------------------|----------|-----------------------------------------------
//	| connection refused                     | GET  | error wrapping ECONNREFUSED, "(gave up after 3 attempts)"  | -        | TestFaultConnectionRefused
//	| connection refused                     | POST | error wrapping ECONNREFUSED, not retried                   | -        | TestFaultConnectionRefused
//	| reset in the middle of the headers     | GET  | connection error, retried                                  | 3        | TestFaultResets/headers/GET
//	| reset in the middle of the headers     | POST | connection error, not retried (a code may be minted)       | 1        | TestFaultResets/headers/POST
//	| reset in the middle of the body        | GET  | read error, retried                                        | 3        | TestFaultResets/body/GET
//	| reset in the middle of the body        | POST | read error, not retried                                    | 1        | TestFaultResets/body/POST
//	| server never answers                   | both | context.DeadlineExceeded soon after the caller's deadline  | 1        | TestFaultNeverAnswers
//	| slow trickling body that completes     | GET  | success: a slow body is not an error                       | 1        | TestFaultTrickle/completes
//	| slow trickling body that never ends    | GET  | context.DeadlineExceeded soon after the caller's deadline  | 1        | TestFaultTrickle/endless
//	| truncated JSON (200)                   | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/truncated_200
//	| truncated JSON (error body)            | GET  | *APIError 400 keeping a body excerpt                       | 1        | TestFaultBadBodies/truncated_400
//	| JSON of the wrong types (200)          | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/wrong_types_200
//	| JSON of the wrong types (error body)   | GET  | *APIError 400 keeping a body excerpt                       | 1        | TestFaultBadBodies/wrong_types_400
//	| HTML error page (502)                  | GET  | *APIError 502 (ErrServer) with excerpt, retried            | 3        | TestFaultBadBodies/html_502_GET
//	| empty 200                              | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/empty_200
//	| empty 404                              | GET  | *APIError 404 (ErrNotFound), no body excerpt               | 1        | TestFaultBadBodies/empty_404
//	| 256 MiB body, declared or chunked      | GET  | ErrInvalidResponse, < 8 MiB allocated, not retried         | 1        | TestFaultHugeBody
//	| 9 MiB of response headers              | GET  | refused after 64 KiB, < 2 MiB allocated                    | 1        | TestFaultHugeHeaders
//	| unasked 101 Switching Protocols        | both | ErrInvalidResponse at once, the raw connection unread      | 1        | TestFaultUnaskedUpgrade
//	| 303 whose body never ends or is cut off| POST | the login, as soon as the headers are in; the background   | 1        | TestFaultRedirectBody
//	|                                        |      | read of the body ends after drainWait or with the body     |          |
//	| 303 with a short body, 30 logins       | POST | drained in the background: one connection; over 2 KiB,     | 30       | TestFaultRedirectBodyConnections
//	|                                        |      | one per login                                              |          |
//	| caller cancels as the login returns    | POST | the body's read goes on: the connection is kept            | 5        | TestFaultRedirectBodyOutlivesCallersContext
//	| 303 body that ignores its context      | POST | closed at drainWait, so the background read still ends     | 1        | TestFaultRedirectBodyIgnoringContextIsClosed
//	| caller's transport returns (nil, nil)  | both | ErrInvalidConfig, no panic, not retried                    | 1        | TestFaultCallerTransportReturnsNothing
//	| 303 Location missing, foreign, not     | POST | ErrInvalidResponse naming scheme and host, never the code  | 1        | TestAuthenticateAccountRefusesUntrustedLocation
//	|  https, user info, bad port, unparsable| POST | (same row)                                                 |          |
//	| 303 with two different Locations      | POST | ErrInvalidResponse                                         | 1        | TestAuthenticateAccountRefusesTwoLocations
//	| 429 Retry-After in seconds             | GET  | waits that long: past the deadline it returns at once      | 1        | TestFaultRateLimits/retry-after_seconds
//	| 429 Retry-After as an HTTP date        | GET  | waits until then: past the deadline it returns at once     | 1        | TestFaultRateLimits/retry-after_date
//	| 429 Retry-After beyond int64           | GET  | capped by WithMaxRetryWait (default 30s), no overflow      | 1        | TestFaultRateLimits/retry-after_absurd
//	| 429 Retry-After beyond int64, cap 1ms  | GET  | retried after the cap, succeeds                            | 2        | TestFaultRateLimits/retry-after_absurd_capped
//	| 429 X-RateLimit-Reset beyond int64     | GET  | capped like any other wait                                 | 1        | TestFaultRateLimits/ratelimit-reset_absurd
//	| 429 Retry-After negative               | GET  | ignored: backoff, retried, succeeds                        | 2        | TestFaultRateLimits/retry-after_negative
//	| 429 with only X-RateLimit-Reset        | GET  | waits until the reset: past the deadline returns at once   | 1        | TestFaultRateLimits/ratelimit-reset_only
//	| 429 with X-RateLimit-Reset in the past | GET  | backoff, retried, succeeds                                 | 2        | TestFaultRateLimits/ratelimit-reset_past
//	| 429 on POST                            | POST | retried (no code minted on 429), succeeds                  | 2        | TestFaultRateLimits/post
//	| 500 + X-RateLimit-Reset an hour ahead  | GET  | backoff, never the rate-limit window: retried, succeeds    | 2        | TestRetry5xxIgnoresRateLimitWindow
//	| 5xx storm outlasting the retries       | GET  | last *APIError, "(gave up after N attempts)"               | N=1, 3, 6| TestFault5xxStorm
//	| 5xx storm                              | POST | the first *APIError, not retried                           | 1        | TestFault5xxStorm
//	| 32 goroutines sharing one client       | both | every result right, no data race (-race)                   | 320      | TestFaultConcurrentCallers
//	| 300 sequential mixed calls             | both | 200s, 303s with a body, 4xx and 5xx all drained: one conn. | 300      | TestFaultOneConnection

func TestFaultConnectionRefused(t *testing.T) {
	// A port that stays bound and never listens: one that was closed could be taken
	// by another test's server before the call.
	c := newTestClient(t, "http://"+testnet.RefusedAddr(t))
	for method, gaveUp := range map[string]bool{opGET: true, opPOST: false} {
		err := call(context.Background(), c, method)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("%s: err = %v, want ECONNREFUSED", method, err)
		}
		if got := strings.Contains(err.Error(), "(gave up after 3 attempts)"); got != gaveUp {
			t.Errorf("%s: retried = %v, want %v: %v", method, got, gaveUp, err)
		}
	}
}

func TestFaultResets(t *testing.T) {
	faults := map[string]func(net.Conn){
		"headers": func(conn net.Conn) {
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/js")
			resetConn(conn)
		},
		"body": func(conn net.Conn) {
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"id\":661")
			resetConn(conn)
		},
	}
	for name, fault := range faults {
		for method, want := range map[string]int64{opGET: 3, opPOST: 1} {
			t.Run(name+"/"+method, func(t *testing.T) {
				url, accepts := rawServer(t, func(conn net.Conn, _ *http.Request) { fault(conn) })
				err := call(context.Background(), newTestClient(t, url), method)
				if err == nil {
					t.Fatal("no error from a reset connection")
				}
				if errors.Is(err, ErrInvalidResponse) {
					t.Errorf("a reset is a connection error, not an invalid response: %v", err)
				}
				if got := accepts.Load(); got != want {
					t.Errorf("server saw %d connections, want %d: %v", got, want, err)
				}
			})
		}
	}
}

func TestFaultNeverAnswers(t *testing.T) {
	url, accepts := rawServer(t, func(conn net.Conn, _ *http.Request) {
		_, _ = io.Copy(io.Discard, conn) // hold the connection until the client gives up
	})
	c := newTestClient(t, url)
	for _, method := range []string{opGET, opPOST} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		err := call(ctx, c, method)
		cancel()
		assertDeadline(t, err, start)
	}
	if got := accepts.Load(); got != 2 {
		t.Errorf("server saw %d connections, want 2 (no retry once the deadline passed)", got)
	}
}

// trickle writes the certificate body start, then fill one byte at a time, n bytes,
// then end; n < 0 trickles forever (until the client goes away).
func trickle(start, fill, end string, n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, start)
		for i := 0; n < 0 || i < n; i++ {
			if _, err := io.WriteString(w, fill); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
		_, _ = io.WriteString(w, end)
	}
}

func TestFaultTrickle(t *testing.T) {
	t.Run("completes", func(t *testing.T) {
		srv := serve(t, trickle(`{"id":66138975,"intergration_id":"`, "x", `"}`, 40))
		cert, err := newTestClient(t, srv.URL).GetSSOCertificate(context.Background(), "66138975")
		if err != nil {
			t.Fatalf("a slow but complete body failed: %v", err)
		}
		if cert.ID != 66138975 || cert.IntegrationID != strings.Repeat("x", 40) {
			t.Errorf("cert = %+v", cert)
		}
	})
	t.Run("endless", func(t *testing.T) {
		srv := serve(t, trickle(`{"id":66138975,"intergration_id":"`, "x", "", -1))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := newTestClient(t, srv.URL).GetSSOCertificate(ctx, "66138975")
		assertDeadline(t, err, start)
	})
}

const nginx502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>
</html>`

func TestFaultBadBodies(t *testing.T) {
	invalid := func(t *testing.T, err error) {
		if !errors.Is(err, ErrInvalidResponse) {
			t.Fatalf("err = %v, want ErrInvalidResponse", err)
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			t.Errorf("a bad 200 body is not an *APIError: %v", err)
		}
	}
	excerptOf := func(status int, want string) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			apiErr := wantAPIError(t, err, status)
			if len(apiErr.Errors) != 0 || !strings.Contains(apiErr.Body, want) {
				t.Errorf("Errors = %v, Body = %q: want no details and an excerpt with %q", apiErr.Errors, apiErr.Body, want)
			}
			if !strings.Contains(err.Error(), strconv.Quote(apiErr.Body)) {
				t.Errorf("error text %q lacks the excerpt %q", err, apiErr.Body)
			}
		}
	}
	cases := []struct {
		name   string
		method string
		h      http.HandlerFunc
		want   int64
		check  func(*testing.T, error)
	}{
		{"truncated 200", opGET, reply(200, `{"id":66138975,"public_certificate":"MIIB`), 1, invalid},
		{"truncated 400", opGET, reply(400, `{"errors":[{"message":"invalid certif`), 1, excerptOf(400, `{"errors":[{"message":"invalid certif`)},
		{"wrong types 200", opGET, reply(200, `{"id":"66138975","not_before":"yesterday"}`), 1, invalid},
		{"wrong types 400", opGET, reply(400, `{"errors":[{"message":42,"field":["x"]}]}`), 1, excerptOf(400, `"message":42`)},
		{"html 502 GET", opGET, reply(502, nginx502, "Content-Type", "text/html"), 3, func(t *testing.T, err error) {
			excerptOf(502, "502 Bad Gateway")(t, err)
			if !errors.Is(err, ErrServer) || !strings.Contains(err.Error(), "(gave up after 3 attempts)") {
				t.Errorf("err = %v, want ErrServer after 3 attempts", err)
			}
		}},
		{"empty 200", opGET, reply(200, ""), 1, invalid},
		{"empty 404", opGET, reply(404, ""), 1, func(t *testing.T, err error) {
			apiErr := wantAPIError(t, err, 404)
			if !errors.Is(err, ErrNotFound) || apiErr.Body != "" || len(apiErr.Errors) != 0 {
				t.Errorf("err = %#v", apiErr)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, n := script(tc.h)
			srv := serve(t, h)
			err := call(context.Background(), newTestClient(t, srv.URL), tc.method)
			if err == nil {
				t.Fatal("no error")
			}
			tc.check(t, err)
			if got := n.Load(); got != tc.want {
				t.Errorf("server saw %d requests, want %d", got, tc.want)
			}
		})
	}
}

// TestFaultHugeBody serves 256 MiB, streamed without buffering, with its length
// declared (refused on the header) and chunked (no length: the streaming bound must
// stop it), and checks that the bounded read neither allocates anywhere near it nor
// reads it to the end.
func TestFaultHugeBody(t *testing.T) {
	const size = 256 << 20
	chunk := []byte(strings.Repeat("A", 64<<10))
	for _, declared := range []bool{true, false} {
		for _, status := range []int{200, 500} {
			t.Run(fmt.Sprintf("%d/declared=%v", status, declared), func(t *testing.T) {
				var written atomic.Int64
				done := make(chan struct{})
				h, n := script(func(w http.ResponseWriter, r *http.Request) {
					defer close(done)
					w.Header().Set("Content-Type", "application/json")
					if declared {
						w.Header().Set("Content-Length", strconv.Itoa(size))
					}
					w.WriteHeader(status)
					for written.Load() < size {
						m, err := w.Write(chunk)
						written.Add(int64(m))
						if err != nil {
							return
						}
					}
				})
				srv := serve(t, h)
				c := newTestClient(t, srv.URL)

				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				_, err := c.GetSSOCertificate(context.Background(), "66138975")
				runtime.ReadMemStats(&after)

				if !errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), "larger than") {
					t.Fatalf("err = %v, want ErrInvalidResponse for a body over the limit", err)
				}
				if declared != strings.Contains(err.Error(), "it declares") {
					t.Errorf("err = %v: refused on the declared length = %v, want %v", err, !declared, declared)
				}
				got := after.TotalAlloc - before.TotalAlloc
				if got > 8<<20 {
					t.Errorf("reading a %d MiB body allocated %d MiB", size>>20, got>>20)
				}
				t.Logf("a %d MiB body: %d KiB allocated during the call", size>>20, got>>10)
				<-done
				if got := written.Load(); got >= size {
					t.Errorf("the server wrote the whole body (%d bytes): the client read it all", got)
				}
				if got := n.Load(); got != 1 {
					t.Errorf("server saw %d requests, want 1: an oversized body is not fetched again", got)
				}
			})
		}
	}
}

// An unasked 101 Switching Protocols makes net/http hand back the raw connection as
// the body, which no deadline bounds: it is refused unread, at once.
func TestFaultUnaskedUpgrade(t *testing.T) {
	for _, method := range []string{opGET, opPOST} {
		t.Run(method, func(t *testing.T) {
			url, accepts := rawServer(t, func(conn net.Conn, _ *http.Request) {
				_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: evil\r\n\r\n")
				_, _ = io.Copy(io.Discard, conn) // hold the connection open
			})
			// The deadline only turns a regression into a failure instead of a hang.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := call(ctx, newTestClient(t, url), method)
			if !errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), "101 Switching Protocols") {
				t.Fatalf("err = %v, want ErrInvalidResponse naming the 101", err)
			}
			if got := accepts.Load(); got != 1 {
				t.Errorf("server saw %d connections, want 1: an unusable answer is not retried", got)
			}
		})
	}
}

// The login is complete when the 303's headers are in: a body that trickles forever,
// or is cut off, must not hold it (the code's 60 seconds run meanwhile). The body is
// drained in the background, and that read ends too: with the body, or after
// drainWait.
func TestFaultRedirectBody(t *testing.T) {
	location := "https://app.sendgrid.com/login?code=" + testLoginCode
	cases := map[string]struct {
		// drainWait is the client's bound on the background read.
		drainWait time.Duration
		// end finishes the response, once the test has its login (release).
		end func(w http.ResponseWriter, r *http.Request)
	}{
		// Only the drain's time bound can end it: the server waits for the client to
		// hang up.
		"never ends": {10 * time.Millisecond, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		// The drain is not bounded by time here, so that nothing but the server can
		// end it: it ends only after the test got its login.
		"cut off": {time.Hour, func(w http.ResponseWriter, r *http.Request) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			releaseOnce := sync.OnceFunc(func() { close(release) })
			hungUp := make(chan struct{})
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				defer close(hungUp)
				w.Header().Set("Location", location)
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(http.StatusSeeOther)
				_, _ = io.WriteString(w, "<a href=")
				w.(http.Flusher).Flush()
				<-release
				tc.end(w, r)
			})
			t.Cleanup(releaseOnce) // before srv.Close, which waits for the handler
			c := newTestClient(t, srv.URL)
			c.drainWait = tc.drainWait
			drains := watchDrains(t, c)
			// The deadline only turns a regression into a failure instead of a hang.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			login, err := c.AuthenticateAccount(ctx, "acct")
			if err != nil {
				t.Fatalf("err = %v, want the login as soon as the headers arrived", err)
			}
			if login.URL.String() != location {
				t.Errorf("login = %s", login.URL)
			}
			if name == "cut off" && drains.ended() {
				t.Fatal("the body's read ended before the server ended it: the login waited for its body")
			}
			releaseOnce()
			if drains.next() {
				t.Error("the drain reports a body it cannot have read to its end")
			}
			<-hungUp // the server saw the connection end
		})
	}
}

// A login's connection serves the next call: the 303's body is drained in the
// background (net/http reuses a connection only after its body was read to the end),
// unless it is over maxDrainBytes. The test waits for each drain to end before the
// next login, so that the count depends on the drain alone; the server counts the
// connections.
func TestFaultRedirectBodyConnections(t *testing.T) {
	const logins = 30
	short := `<a href="https://app.sendgrid.com/login?code=` + testLoginCode + `">See Other</a>.` + "\n"
	long := strings.Repeat("x", 4*maxDrainBytes)
	cases := []struct {
		name    string
		body    string
		chunked bool
		// drained: the background read runs, and reaches the body's end or not.
		drained, reachedEnd bool
		// conns is how many connections the logins open; slack how many more a loaded
		// machine may add.
		conns, slack int64
	}{
		// One connection; a loaded machine may add one or two: net/http reuses a
		// connection only when its write goroutine reports back within 50 ms
		// (maxWriteWaitBeforeConnReuse), as TestFaultOneConnection says.
		{"short", short, false, true, true, 1, 2},
		{"short chunked", short, true, true, true, 1, 2},
		// Not read to the end: a new connection for every login.
		{"over the bound", long, false, false, false, logins, 0},
		{"over the bound chunked", long, true, true, false, logins, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var conns atomic.Int64
			srv := serveUnstarted(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "https://app.sendgrid.com/login?code="+testLoginCode)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				if !tc.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				}
				w.WriteHeader(http.StatusSeeOther)
				if tc.chunked {
					w.(http.Flusher).Flush()
				}
				_, _ = io.WriteString(w, tc.body)
			})
			startCountingConns(srv, &conns)
			c := newTestClient(t, srv.URL)
			drains := watchDrains(t, c)
			for range logins {
				if _, err := c.AuthenticateAccount(context.Background(), "acct"); err != nil {
					t.Fatal(err)
				}
				if tc.drained {
					if got := drains.next(); got != tc.reachedEnd {
						t.Fatalf("the drain reached the body's end: %v, want %v", got, tc.reachedEnd)
					}
				}
			}
			if drains.ended() {
				t.Error("a body declared over the bound was read")
			}
			if got := conns.Load(); got < tc.conns || got > tc.conns+tc.slack {
				t.Errorf("%d logins opened %d connections, want %d (up to %d more on a loaded machine)", logins, got, tc.conns, tc.slack)
			}
		})
	}
}

// The drain of a 303's body outlives the caller's context: a caller who cancels it as
// soon as the login is back (defer cancel(), the usual way) must not cost the
// connection. The server sends the body only once the caller has cancelled.
func TestFaultRedirectBodyOutlivesCallersContext(t *testing.T) {
	var conns atomic.Int64
	release := make(chan struct{}, 1)
	body := `<a href="https://app.sendgrid.com/login?code=` + testLoginCode + `">See Other</a>.`
	srv := serveUnstarted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://app.sendgrid.com/login?code="+testLoginCode)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusSeeOther)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, body)
	})
	startCountingConns(srv, &conns)
	c := newTestClient(t, srv.URL)
	drains := watchDrains(t, c)
	const logins = 5
	for range logins {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := c.AuthenticateAccount(ctx, "acct")
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		release <- struct{}{}
		if !drains.next() {
			t.Fatal("the body's read did not reach its end: the caller's cancel cut it short")
		}
	}
	// As in TestFaultRedirectBodyConnections, a loaded machine may add one or two.
	if got := conns.Load(); got > 3 {
		t.Errorf("%d logins opened %d connections, want 1 (3 at most on a loaded machine)", logins, got)
	}
}

// Response headers are bounded: 9 MiB of them are refused after 64 KiB, without
// allocating anywhere near their size.
func TestFaultHugeHeaders(t *testing.T) {
	// One []byte written over and over: io.WriteString would convert the line on
	// every write, and the server's own allocations, which grow with how far it got
	// before the client hung up (a matter of timing), would count as the client's.
	line := []byte("X-Pad: " + strings.Repeat("p", 1000) + "\r\n")
	url, _ := rawServer(t, func(conn net.Conn, _ *http.Request) {
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\n")
		for range 9 << 10 {
			if _, err := conn.Write(line); err != nil {
				return
			}
		}
		_, _ = io.WriteString(conn, "Content-Length: 2\r\n\r\n{}")
	})
	c := newTestClient(t, url, WithMaxRetries(0))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := call(context.Background(), c, opGET)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "headers exceeded") {
		t.Fatalf("err = %v, want the header limit", err)
	}
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("9 MiB of headers: %d KiB allocated during the call", got>>10)
	if got > 2<<20 {
		t.Errorf("9 MiB of headers allocated %d KiB, want well under 2 MiB", got>>10)
	}
}

// A caller's transport that returns neither a response nor an error is a mistake in
// the caller's code: a clear error, no panic, no retry.
func TestFaultCallerTransportReturnsNothing(t *testing.T) {
	for _, method := range []string{opGET, opPOST} {
		var calls atomic.Int64
		rt := roundTripFn(func(*http.Request) (*http.Response, error) { calls.Add(1); return nil, nil })
		c := newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(&http.Client{Transport: rt}))
		err := call(context.Background(), c, method)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "returned neither a response nor an error") {
			t.Errorf("%s: err = %v, want ErrInvalidConfig naming the transport's mistake", method, err)
		}
		if got := calls.Load(); got != 1 {
			t.Errorf("%s: the transport was called %d times, want 1", method, got)
		}
	}
}

// A transport may return a response with a nil Body (http.Client accepts one as
// empty): no panic, whether or not the Client goes through http.Client (a cookie jar
// makes it), and a nil Body that claims a length is the transport's mistake.
func TestFaultCallerTransportReturnsNilBody(t *testing.T) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status int
		length int64
		want   error
	}{
		{http.StatusOK, -1, ErrInvalidResponse},      // an empty 200 is no certificate
		{http.StatusSeeOther, 0, ErrInvalidResponse}, // a 303 without a Location
		{http.StatusNotFound, 0, ErrNotFound},        // an *APIError without messages
		{http.StatusOK, 10, ErrInvalidConfig},        // the length says a body is missing
		{http.StatusSeeOther, 10, ErrInvalidConfig},  // the same for the login
	} {
		for _, hc := range []*http.Client{{}, {Jar: jar}} {
			hc.Transport = roundTripFn(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tc.status, ContentLength: tc.length, Header: http.Header{}, Request: r}, nil
			})
			method := opGET
			if tc.status == http.StatusSeeOther {
				method = opPOST
			}
			err := call(context.Background(), newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(hc), WithMaxRetries(0)), method)
			if !errors.Is(err, tc.want) {
				t.Errorf("%d with %d bytes and no body (jar %v): err = %v, want %v", tc.status, tc.length, hc.Jar != nil, err, tc.want)
			}
		}
	}
}

func TestFaultRateLimits(t *testing.T) {
	now := time.Now()
	inAnHour := now.Add(time.Hour)
	tooMany := `{"errors":[{"field":null,"message":"too many requests"}]}`
	// notRetried: the wait is past a 10s deadline, so the call returns at once.
	notRetried := func(wantWait string, checkErr func(*testing.T, *APIError)) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			apiErr := wantAPIError(t, err, 429)
			if !strings.Contains(err.Error(), "not retrying") || !strings.Contains(err.Error(), "would start in "+wantWait) {
				t.Errorf("err = %v, want a refusal to wait %s past the deadline", err, wantWait)
			}
			checkErr(t, apiErr)
		}
	}
	succeeded := func(t *testing.T, err error) {
		if err != nil {
			t.Fatalf("err = %v, want success on the second attempt", err)
		}
	}
	cases := []struct {
		name    string
		method  string
		headers []string
		opts    []Option
		want    int64
		check   func(*testing.T, error)
	}{
		{"retry-after seconds", opGET, []string{"Retry-After", "20"}, nil, 1,
			notRetried("20s", func(t *testing.T, e *APIError) {
				if e.RetryAfter != 20*time.Second {
					t.Errorf("RetryAfter = %v, want 20s", e.RetryAfter)
				}
			})},
		{"retry-after date", opGET, []string{"Retry-After", inAnHour.UTC().Format(http.TimeFormat)}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RetryAfter < 59*time.Minute || e.RetryAfter > time.Hour {
					t.Errorf("RetryAfter = %v, want about an hour", e.RetryAfter)
				}
			})},
		{"retry-after absurd", opGET, []string{"Retry-After", "99999999999999999999"}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RetryAfter <= 0 {
					t.Errorf("RetryAfter = %v: overflowed", e.RetryAfter)
				}
			})},
		{"retry-after absurd capped", opGET, []string{"Retry-After", "99999999999999999999"}, []Option{WithMaxRetryWait(time.Millisecond)}, 2, succeeded},
		{"retry-after negative", opGET, []string{"Retry-After", "-5"}, nil, 2, succeeded},
		{"ratelimit-reset only", opGET, []string{"X-RateLimit-Reset", strconv.FormatInt(inAnHour.Unix(), 10)}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RetryAfter != 0 || !e.RateLimit.Reset.Equal(time.Unix(inAnHour.Unix(), 0)) {
					t.Errorf("RetryAfter = %v, RateLimit = %+v: want 0 and the reset", e.RetryAfter, e.RateLimit)
				}
			})},
		{"ratelimit-reset absurd", opGET, []string{"X-RateLimit-Reset", "99999999999999999999"}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RateLimit.Reset.Before(inAnHour) {
					t.Errorf("RateLimit.Reset = %v, want far in the future", e.RateLimit.Reset)
				}
			})},
		{"ratelimit-reset past", opGET, []string{"X-RateLimit-Reset", strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)}, nil, 2, succeeded},
		{"post", opPOST, []string{"Retry-After", "-1"}, nil, 2, succeeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					reply(429, tooMany, tc.headers...)(w, r)
					return
				}
				if r.Method == http.MethodPost {
					w.Header().Set("Location", "https://app.sendgrid.com/sso?code="+testLoginCode)
					w.WriteHeader(http.StatusSeeOther)
					return
				}
				_, _ = io.WriteString(w, `{"id":66138975}`)
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			tc.check(t, call(ctx, newTestClient(t, srv.URL, tc.opts...), tc.method))
			if got := n.Load(); got != tc.want {
				t.Errorf("server saw %d requests, want %d", got, tc.want)
			}
		})
	}
}

func TestFault5xxStorm(t *testing.T) {
	cases := []struct {
		method  string
		retries int
		want    int64
	}{
		{opGET, 0, 1},
		{opGET, 2, 3},
		{opGET, 5, 6},
		{opPOST, 2, 1},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%d", tc.method, tc.retries), func(t *testing.T) {
			var n atomic.Int64
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				reply(503, fmt.Sprintf(`{"errors":[{"message":"storm, answer %d"}]}`, n.Add(1)))(w, r)
			})
			err := call(context.Background(), newTestClient(t, srv.URL, WithMaxRetries(tc.retries)), tc.method)
			apiErr := wantAPIError(t, err, 503)
			if got := n.Load(); got != tc.want {
				t.Fatalf("server saw %d requests, want %d", got, tc.want)
			}
			if want := fmt.Sprintf("storm, answer %d", tc.want); apiErr.Errors[0].Message != want {
				t.Errorf("returned %q, want the last answer %q", apiErr.Errors[0].Message, want)
			}
			gaveUp := fmt.Sprintf("(gave up after %d attempts)", tc.want)
			if got := strings.Contains(err.Error(), gaveUp); got != (tc.want > 1) {
				t.Errorf("error %q: mentions %q = %v, want %v", err, gaveUp, got, tc.want > 1)
			}
		})
	}
}

// mixedServer answers GET /v3/sso/certificates/{id} with the certificate id (404 for
// "missing"), and POST /v3/partners/accounts/{id}/sso with a 303 to a login for id
// (with a short body linking to it, as http.Redirect writes for a GET), or 403 for
// "forbidden".
func mixedServer(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(r.URL.Path, "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 5:
		id := parts[4]
		if id == "missing" {
			reply(404, `{"errors":[{"message":"not found","field":null}]}`)(w, r)
			return
		}
		// Pad the body past the transport's buffers, so an undrained body would show.
		_, _ = fmt.Fprintf(w, `{"id":%s,"integration_id":"%s","public_certificate":"%s"}`, id, id, strings.Repeat("Q", 16<<10))
	case r.Method == http.MethodPost && len(parts) == 6:
		id := parts[4]
		switch id {
		case "forbidden":
			reply(403, `[{"message":"forbidden","error_id":"10-40300"}]`)(w, r)
		case "broken":
			reply(500, nginx502)(w, r)
		default:
			location := "/sso/partner/login?account=" + id + "&code=" + testLoginCode
			w.Header().Set("Location", location)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusSeeOther)
			_, _ = fmt.Fprintf(w, "<a href=\"%s\">See Other</a>.\n", html.EscapeString(location))
		}
	default:
		http.NotFound(w, r)
	}
}

// mixedCall makes the i-th call of a mixed sequence and checks its result.
func mixedCall(ctx context.Context, c *Client, i int) error {
	id := strconv.Itoa(1000 + i)
	switch i % 5 {
	case 0, 1:
		cert, err := c.GetSSOCertificate(ctx, id)
		if err != nil {
			return err
		}
		if strconv.FormatInt(cert.ID, 10) != id || cert.IntegrationID != id {
			return fmt.Errorf("call %d: got certificate %d/%s", i, cert.ID, cert.IntegrationID)
		}
	case 2:
		l, err := c.AuthenticateAccount(ctx, id)
		if err != nil {
			return err
		}
		if l.URL.Query().Get("account") != id {
			return fmt.Errorf("call %d: got login for %q", i, l.URL.Query().Get("account"))
		}
	case 3:
		_, err := c.GetSSOCertificate(ctx, "missing")
		if !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("call %d: err = %v, want ErrNotFound", i, err)
		}
	case 4:
		id := "forbidden"
		if i%10 == 9 {
			id = "broken"
		}
		_, err := c.AuthenticateAccount(ctx, id)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || (apiErr.StatusCode != 403 && apiErr.StatusCode != 500) {
			return fmt.Errorf("call %d: err = %v, want a 403 or 500 *APIError", i, err)
		}
	}
	return nil
}

func TestFaultConcurrentCallers(t *testing.T) {
	h, n := script(mixedServer)
	srv := serve(t, h)
	c := newTestClient(t, srv.URL, WithMaxRetries(0))
	const goroutines, calls = 32, 10
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				if err := mixedCall(context.Background(), c, g*calls+i); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := n.Load(); got != goroutines*calls {
		t.Errorf("server saw %d requests, want %d", got, goroutines*calls)
	}
}

func TestFaultOneConnection(t *testing.T) {
	var conns atomic.Int64
	h, n := script(mixedServer)
	srv := serveUnstarted(t, h)
	startCountingConns(srv, &conns)
	c := newTestClient(t, srv.URL, WithMaxRetries(0))
	// A login's body is drained in the background: the next call waits for that, so
	// that it finds the connection free.
	drains := watchDrains(t, c)
	const calls = 300
	for i := range calls {
		if err := mixedCall(context.Background(), c, i); err != nil {
			t.Fatal(err)
		}
		if i%5 == 2 && !drains.next() {
			t.Fatalf("call %d: the 303's body was not read to its end", i)
		}
	}
	if got := n.Load(); got != calls {
		t.Errorf("server saw %d requests, want %d", got, calls)
	}
	// One connection serves them all; an undrained body would cost one per call. A
	// loaded machine may add one or two: net/http reuses a connection only when its
	// write goroutine reports back within 50 ms (maxWriteWaitBeforeConnReuse): the
	// transport's reader waits that long at most for its writer to confirm the request
	// went out whole, and closes the connection rather than wait longer.
	if got := conns.Load(); got > 3 {
		t.Errorf("%d sequential calls used %d connections, want 1 (3 at most on a loaded machine): a body was not drained", calls, got)
	}
}

// stuckBody is a response body whose Read ignores every context and returns only once
// Close is called, as a body from a caller's own transport may.
type stuckBody struct {
	once   sync.Once
	closed chan struct{}
}

func (b *stuckBody) Read([]byte) (int, error) { <-b.closed; return 0, io.EOF }

func (b *stuckBody) Close() error { b.once.Do(func() { close(b.closed) }); return nil }

// The background read of a 303's body ends at its time bound even when the body
// ignores the request's context (a caller's transport): the body is closed (found by
// a review: the read stayed blocked for good).
func TestFaultRedirectBodyIgnoringContextIsClosed(t *testing.T) {
	body := &stuckBody{closed: make(chan struct{})}
	rt := roundTripFn(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusSeeOther, Header: http.Header{"Location": {"https://app.sendgrid.com/login?code=" + testLoginCode}},
			Body: body, ContentLength: -1, Request: r}, nil
	})
	c := newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(&http.Client{Transport: rt}))
	c.drainWait = 10 * time.Millisecond
	drains := watchDrains(t, c)
	if _, err := c.AuthenticateAccount(context.Background(), "acct"); err != nil {
		t.Fatal(err)
	}
	drains.next() // fails the test if the read never ends
	select {
	case <-body.closed:
	default:
		t.Error("the read ended, but the body is still open")
	}
}
