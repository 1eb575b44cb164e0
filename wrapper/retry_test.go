package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// script answers the n-th request (from 0) with steps[n], the last step repeating.
// A nil step hangs up without answering.
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

func status(code int, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"errors":[{"message":"m"}]}`))
	}
}

func certOK(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"id":5}`)) }

// recordSleeps replaces c's sleep with one that records the waits and returns at once.
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

func TestGetIsRetriedOn429And5xxAndConnectionErrors(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"429":              status(429),
		"500":              status(500),
		"502":              status(502),
		"503":              status(503),
		"504":              status(504),
		"connection reset": nil,
	}
	for name, fail := range cases {
		t.Run(name, func(t *testing.T) {
			h, n := script(fail, fail, certOK)
			c := newTestClient(t, serve(t, h).URL)
			recordSleeps(c)
			cert, err := c.GetSSOCertificate(context.Background(), "5")
			if err != nil {
				t.Fatal(err)
			}
			if cert.ID != 5 || n.Load() != 3 {
				t.Errorf("cert %d after %d requests, want 5 after 3", cert.ID, n.Load())
			}
		})
	}
}

func TestGetIsNotRetriedOnOther4xx(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404} {
		h, n := script(status(code))
		_, err := newTestClient(t, serve(t, h).URL).GetSSOCertificate(context.Background(), "5")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != code || n.Load() != 1 {
			t.Errorf("%d: err %v after %d requests, want one APIError", code, err, n.Load())
		}
	}
}

func TestPostIsRetriedOn429Only(t *testing.T) {
	h, n := script(status(429), redirectTo("https://app.sendgrid.com/l?code=c"))
	c := newTestClient(t, serve(t, h).URL)
	recordSleeps(c)
	if _, err := c.AuthenticateAccount(context.Background(), "a"); err != nil || n.Load() != 2 {
		t.Fatalf("err %v after %d requests, want success after 2", err, n.Load())
	}
	h, n = script(nil, redirectTo("https://app.sendgrid.com/l?code=c"))
	c = newTestClient(t, serve(t, h).URL)
	if _, err := c.AuthenticateAccount(context.Background(), "a"); err == nil || n.Load() != 1 {
		t.Fatalf("a POST cut off mid-request: err %v after %d requests, want an error after 1", err, n.Load())
	}
}

func TestRetriesRunOut(t *testing.T) {
	h, n := script(status(503))
	c := newTestClient(t, serve(t, h).URL, WithMaxRetries(3))
	recordSleeps(c)
	_, err := c.GetSSOCertificate(context.Background(), "5")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want the last APIError", err)
	}
	if n.Load() != 4 || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("err %q after %d requests, want 4 attempts counted", err, n.Load())
	}

	h, n = script(status(503))
	_, err = newTestClient(t, serve(t, h).URL, WithMaxRetries(0)).GetSSOCertificate(context.Background(), "5")
	if n.Load() != 1 || strings.Contains(err.Error(), "gave up") {
		t.Errorf("WithMaxRetries(0): err %q after %d requests, want 1 plain attempt", err, n.Load())
	}
}

func TestRetryWaits(t *testing.T) {
	reset := time.Now().Add(20 * time.Second).Unix()
	date := time.Now().Add(40 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name     string
		fail     http.HandlerFunc
		min, max time.Duration
	}{
		{"Retry-After seconds", status(429, "Retry-After", "3"), 3 * time.Second, 3 * time.Second},
		{"Retry-After date", status(429, "Retry-After", date), 38 * time.Second, 40 * time.Second},
		{"Retry-After absurd", status(429, "Retry-After", "999999999"), 50 * time.Second, 50 * time.Second},
		{"Retry-After negative falls back to backoff", status(429, "Retry-After", "-3"), 500 * time.Microsecond, time.Millisecond},
		{"X-RateLimit-Reset", status(429, "X-RateLimit-Reset", itoa64(reset)), 18 * time.Second, 20 * time.Second},
		{"backoff", status(500), 500 * time.Microsecond, time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := script(tc.fail, certOK)
			c := newTestClient(t, serve(t, h).URL, WithMaxRetryWait(50*time.Second))
			waits := recordSleeps(c)
			if _, err := c.GetSSOCertificate(context.Background(), "5"); err != nil {
				t.Fatal(err)
			}
			if len(*waits) != 1 || (*waits)[0] < tc.min || (*waits)[0] > tc.max {
				t.Errorf("waits = %v, want one in [%v, %v]", *waits, tc.min, tc.max)
			}
		})
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	p := retryPolicy{maxRetries: 5, maxWait: time.Second, backoffBase: 100 * time.Millisecond}
	for attempt, hi := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 40: time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := p.backoff(attempt)
			if d < hi/2 || d > hi {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, hi/2, hi)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d) has no jitter: %v", attempt, seen)
		}
	}
}

func TestRetryWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	h, n := script(status(429, "Retry-After", "10"), certOK)
	c := newTestClient(t, serve(t, h).URL)
	waits := recordSleeps(c)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.GetSSOCertificate(ctx, "5")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Fatalf("err = %v, want the 429 APIError", err)
	}
	if !strings.Contains(err.Error(), "after the context's deadline") {
		t.Errorf("err %q does not say why it did not retry", err)
	}
	if n := strings.Count(err.Error(), "sendgrid:"); n != 1 {
		t.Errorf("err %q says \"sendgrid:\" %d times, want once", err, n)
	}
	if len(*waits) != 0 || n.Load() != 1 {
		t.Errorf("waited %v and sent %d requests, want no wait and 1 request", *waits, n.Load())
	}
}

func TestRetryWaitHonoursCancellation(t *testing.T) {
	h, n := script(status(429, "Retry-After", "30"), certOK)
	c := newTestClient(t, serve(t, h).URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.GetSSOCertificate(ctx, "5")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || n.Load() != 1 {
		t.Errorf("err %v after %d requests, want the last APIError kept and 1 request", err, n.Load())
	}
}

func itoa64(n int64) string { return sprintf("%d", n) }

func TestGetIsRetriedWhenTheBodyIsCutOff(t *testing.T) {
	cutOff := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"id":`))
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
	h, n := script(cutOff, certOK)
	c := newTestClient(t, serve(t, h).URL)
	recordSleeps(c)
	cert, err := c.GetSSOCertificate(context.Background(), "5")
	if err != nil || cert.ID != 5 || n.Load() != 2 {
		t.Fatalf("cert %v, err %v after %d requests, want success after 2", cert, err, n.Load())
	}
}
