package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
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
//	| 303 whose body is reset mid-way        | POST | the login is returned (Location arrived whole)             | 1        | TestAuthenticateAccountSurvivesACutOffRedirectBody
//	| server never answers                   | both | context.DeadlineExceeded soon after the caller's deadline  | 1        | TestFaultNeverAnswers
//	| slow trickling body that completes     | GET  | success: a slow body is not an error                       | 1        | TestFaultTrickle/completes
//	| slow trickling body that never ends    | GET  | context.DeadlineExceeded soon after the caller's deadline  | 1        | TestFaultTrickle/endless
//	| truncated JSON (200)                   | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/truncated_200
//	| truncated JSON (error body)            | GET  | *APIError 400 keeping a body excerpt                       | 1        | TestFaultBadBodies/truncated_400
//	| JSON of the wrong types (200)          | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/wrong_types_200
//	| JSON of the wrong types (error body)   | GET  | *APIError 400 keeping a body excerpt                       | 1        | TestFaultBadBodies/wrong_types_400
//	| HTML error page (502)                  | GET  | *APIError 502 (ErrServer) with excerpt, retried            | 3        | TestFaultBadBodies/html_502_GET
//	| HTML error page (502)                  | POST | *APIError 502, not retried                                 | 1        | TestFaultBadBodies/html_502_POST
//	| empty 200                              | GET  | ErrInvalidResponse                                         | 1        | TestFaultBadBodies/empty_200
//	| empty 404                              | GET  | *APIError 404 (ErrNotFound), no body excerpt               | 1        | TestFaultBadBodies/empty_404
//	| 256 MiB body (200 and 500)             | GET  | ErrInvalidResponse, < 8 MiB allocated, not retried         | 1        | TestFaultHugeBody
//	| 303 without Location                   | POST | ErrInvalidResponse                                         | 1        | TestFaultLocations/missing
//	| 303 with a relative Location           | POST | resolved against the request URL                           | 1        | TestFaultLocations/relative
//	| 303 to a foreign host                  | POST | ErrInvalidResponse naming the host, not the code           | 1        | TestFaultLocations/foreign_host
//	| 303 to javascript:                     | POST | ErrInvalidResponse naming the scheme, not the code         | 1        | TestFaultLocations/javascript
//	| 303 to plain http on sendgrid.com      | POST | ErrInvalidResponse naming http://app.sendgrid.com          | 1        | TestFaultLocations/plain_http
//	| 429 Retry-After in seconds             | GET  | waits that long: past the deadline it returns at once      | 1        | TestFaultRateLimits/retry-after_seconds
//	| 429 Retry-After as an HTTP date        | GET  | waits until then: past the deadline it returns at once     | 1        | TestFaultRateLimits/retry-after_date
//	| 429 Retry-After absurdly large         | GET  | capped by WithMaxRetryWait (default 30s), no overflow      | 1        | TestFaultRateLimits/retry-after_absurd
//	| 429 Retry-After absurdly large, cap 1ms| GET  | retried after the cap, succeeds                            | 2        | TestFaultRateLimits/retry-after_absurd_capped
//	| 429 Retry-After negative               | GET  | ignored: backoff, retried, succeeds                        | 2        | TestFaultRateLimits/retry-after_negative
//	| 429 with only X-RateLimit-Reset        | GET  | waits until the reset: past the deadline returns at once   | 1        | TestFaultRateLimits/ratelimit-reset_only
//	| 429 with X-RateLimit-Reset in the past | GET  | backoff, retried, succeeds                                 | 2        | TestFaultRateLimits/ratelimit-reset_past
//	| 429 on POST                            | POST | retried (no code minted on 429), succeeds                  | 2        | TestFaultRateLimits/post
//	| 5xx storm outlasting the retries       | GET  | last *APIError, "(gave up after N attempts)"               | N=3, 6   | TestFault5xxStorm
//	| 5xx storm                              | POST | the first *APIError, not retried                           | 1        | TestFault5xxStorm
//	| 32 goroutines sharing one client       | both | every result right, no data race (-race)                   | 320      | TestFaultConcurrentCallers
//	| 300 sequential mixed calls             | both | 200s, 303s, 4xx and 5xx all drained: one connection        | 300      | TestFaultOneConnection

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

func TestFaultConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens on addr now
	c := newTestClient(t, "http://"+addr)
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

// counted wraps h and counts the requests it serves.
func counted(h http.HandlerFunc) (http.HandlerFunc, *atomic.Int64) {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}, &n
}

// reply answers with code, the header pairs kv and body.
func reply(code int, body string, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
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
		{"html 502 POST", opPOST, reply(502, nginx502, "Content-Type", "text/html"), 1, excerptOf(502, "502 Bad Gateway")},
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
			h, n := counted(tc.h)
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

// TestFaultHugeBody serves 256 MiB, streamed without buffering, and checks that the
// bounded read neither allocates anywhere near it nor reads it to the end.
func TestFaultHugeBody(t *testing.T) {
	const size = 256 << 20
	chunk := []byte(strings.Repeat("A", 64<<10))
	for _, status := range []int{200, 500} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var written atomic.Int64
			done := make(chan struct{})
			h, n := counted(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(size))
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

func TestFaultLocations(t *testing.T) {
	code := "?code=" + testLoginCode
	refused := func(wantInError string) func(*testing.T, *SSOLogin, error) {
		return func(t *testing.T, l *SSOLogin, err error) {
			if !errors.Is(err, ErrInvalidResponse) {
				t.Fatalf("login = %v, err = %v: want ErrInvalidResponse", l, err)
			}
			if !strings.Contains(err.Error(), wantInError) {
				t.Errorf("error %q does not say %q", err, wantInError)
			}
			if strings.Contains(err.Error(), testLoginCode) {
				t.Errorf("error %q shows the code", err)
			}
		}
	}
	cases := []struct {
		name     string
		location string // "" sends none
		check    func(*testing.T, *SSOLogin, error)
	}{
		{"missing", "", refused("no Location")},
		{"relative", "/sso/partner/login" + code, func(t *testing.T, l *SSOLogin, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if !l.URL.IsAbs() || l.URL.Path != "/sso/partner/login" || l.URL.Query().Get("code") != testLoginCode {
				t.Errorf("URL = %s, want the absolute URL on the API's host", l.URL)
			}
		}},
		{"foreign host", "https://evil.example/sso/partner/login" + code, refused("evil.example")},
		{"javascript", "javascript:alert('" + testLoginCode + "')", refused(`"javascript"`)},
		{"plain http", "http://app.sendgrid.com/sso/partner/login" + code, refused("http://app.sendgrid.com")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, n := counted(func(w http.ResponseWriter, r *http.Request) {
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.WriteHeader(http.StatusSeeOther)
			})
			srv := serve(t, h)
			c := newTestClient(t, srv.URL)
			l, err := c.AuthenticateAccount(context.Background(), "acct-1")
			tc.check(t, l, err)
			if got := n.Load(); got != 1 {
				t.Errorf("server saw %d requests, want 1 (the redirect is never followed)", got)
			}
			if tc.name == "relative" && err == nil && l.URL.Host != srv.Listener.Addr().String() {
				t.Errorf("relative Location resolved to host %q, want %q", l.URL.Host, srv.Listener.Addr())
			}
		})
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
		{"retry-after absurd", opGET, []string{"Retry-After", "99999999999999"}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RetryAfter <= 0 {
					t.Errorf("RetryAfter = %v: overflowed", e.RetryAfter)
				}
			})},
		{"retry-after absurd capped", opGET, []string{"Retry-After", "99999999999999"}, []Option{WithMaxRetryWait(time.Millisecond)}, 2, succeeded},
		{"retry-after negative", opGET, []string{"Retry-After", "-5"}, nil, 2, succeeded},
		{"ratelimit-reset only", opGET, []string{"X-RateLimit-Reset", strconv.FormatInt(inAnHour.Unix(), 10)}, nil, 1,
			notRetried("30s", func(t *testing.T, e *APIError) {
				if e.RetryAfter != 0 || !e.RateLimit.Reset.Equal(time.Unix(inAnHour.Unix(), 0)) {
					t.Errorf("RetryAfter = %v, RateLimit = %+v: want 0 and the reset", e.RetryAfter, e.RateLimit)
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
// (with a body, as http.Redirect writes one), or 403 for "forbidden".
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
			http.Redirect(w, r, "/sso/partner/login?account="+id+"&code="+testLoginCode, http.StatusSeeOther)
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
	h, n := counted(mixedServer)
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
	h, n := counted(mixedServer)
	srv := serveUnstarted(t, h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	c := newTestClient(t, srv.URL, WithMaxRetries(0))
	const calls = 300
	for i := range calls {
		if err := mixedCall(context.Background(), c, i); err != nil {
			t.Fatal(err)
		}
	}
	if got := n.Load(); got != calls {
		t.Errorf("server saw %d requests, want %d", got, calls)
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("%d sequential calls used %d connections, want 1: a body was not drained", calls, got)
	}
}
