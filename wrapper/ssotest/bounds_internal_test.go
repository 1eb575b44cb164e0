package ssotest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// Whatever credentials clients send, the fake's own key stays limited: 65,536
// requests, each with an Authorization header of its own, within one window (they
// once filled the limiter's table of budgets for good, and every key after them went
// unlimited), then the key's budget of 1 holds.
func TestRateLimitHoldsAfterAFloodOfKeys(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := NewServer(WithRateLimit(1, time.Minute), WithClock(func() time.Time { return now }))
	defer s.Close()
	// Served in process, without a connection each, and refused early (malformed
	// credentials, a Host that makes no login URL), to keep the flood cheap.
	stray := httptest.NewRequest("GET", "/v3/sso/certificates/66138975", nil)
	stray.Host = "%zz"
	for i := range 1 << 16 {
		stray.Header["Authorization"] = []string{"Basic stray-" + strconv.Itoa(i)}
		s.serveHTTP(discard{http.Header{}}, stray)
	}
	for i, want := range []int{http.StatusOK, http.StatusTooManyRequests} {
		r := httptest.NewRequest("GET", "/v3/sso/certificates/66138975", nil)
		r.Header.Set("Authorization", "Bearer "+s.APIKey)
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		if w.Code != want {
			t.Errorf("call %d with the key after the flood: %d, want %d", i+1, w.Code, want)
		}
	}
}

// discard is a ResponseWriter that keeps nothing but its header map.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// The fake keeps at most maxCodes unspent codes, however fast they are minted: one
// more forgets the oldest. Expired codes are forgotten as new ones are minted.
func TestCodesKeptAreBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := NewServer(WithClock(func() time.Time { return now }))
	defer s.Close()
	first := s.mint()
	var last string
	for range maxCodes {
		last = s.mint()
	}
	if n, q := len(s.codes.expiry), len(s.codes.queue); n > maxCodes || q > maxCodes {
		t.Errorf("%d codes minted at once: %d kept, %d queued; want at most %d", maxCodes+1, n, q, maxCodes)
	}
	if gotFirst, gotLast := s.redeem(first), s.redeem(last); gotFirst || !gotLast {
		t.Errorf("redeemed the first: %v, the last: %v; want the oldest forgotten, the newest kept", gotFirst, gotLast)
	}
	now = now.Add(codeValidity)
	s.mint()
	if n, q := len(s.codes.expiry), len(s.codes.queue); n != 1 || q != 1 {
		t.Errorf("after every code expired, one minted: %d kept, %d queued; want 1", n, q)
	}
}

// A kept violation holds copies, never slices of the request's strings: a method of 3
// bytes sliced from a request line of 256 KiB would keep the whole line alive.
func TestClipCopies(t *testing.T) {
	line := "GET /" + strings.Repeat("9", 1000) + " HTTP/1.1"
	for _, s := range []string{line[:3], line[4:1005], line} {
		for _, n := range []int{3, 32, 256} {
			got := clip(s, n)
			if len(got) > 0 && unsafe.StringData(got) == unsafe.StringData(s) {
				t.Errorf("clip(%d bytes, %d) shares its input's memory", len(s), n)
			}
			if len(got) > max(n, 0) || !strings.HasPrefix(s, strings.TrimSuffix(got, clipMark)) {
				t.Errorf("clip(%d bytes, %d) = %d bytes %.20q…, want a prefix of at most %d bytes", len(s), n, len(got), got, n)
			}
		}
	}
	if got := clip("a€bcd", 5); got != "a"+clipMark {
		t.Errorf("clip cuts inside a rune: %q", got)
	}
}

// A request body is read up to maxRequestBytes and no further: a larger one, with
// the key (the published one, say, of a fake listening off loopback), is answered 413
// and never held whole in memory. A body of 400 MB once took the fake to 1.7 GB.
func TestRequestBodyIsBounded(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, chunked := range []bool{false, true} {
		body := &countingReader{left: 16 << 20}
		r := httptest.NewRequest("POST", "/v3/sso/certificates", body)
		r.Header.Set("Authorization", "Bearer "+s.APIKey)
		r.Header.Set("Content-Type", "application/json")
		r.ContentLength = body.left
		if chunked {
			r.ContentLength = -1
		}
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked %v: a body of 16 MiB: %d, want 413", chunked, w.Code)
		}
		if body.read > maxRequestBytes+1 {
			t.Errorf("chunked %v: a body of 16 MiB: %d bytes read, want at most %d", chunked, body.read, maxRequestBytes+1)
		}
	}
}

// countingReader yields left bytes of JSON-ish filler, counting those read.
type countingReader struct{ left, read int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), c.left)
	for i := range n {
		p[i] = ' '
	}
	c.left -= n
	c.read += n
	return int(n), nil
}
