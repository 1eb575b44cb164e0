package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The retry policy as unit tests: what is retried, and how long it waits. The fault
// matrix (faults_test.go) shows the same rules end to end against servers.

func TestRetryable(t *testing.T) {
	apiErr := func(status int) error { return &APIError{StatusCode: status} }
	wrapped := func(err error) error { return fmt.Errorf("sendgrid: op: %w", err) }
	cases := []struct {
		name      string
		err       error
		get, post bool
	}{
		{"429", apiErr(429), true, true},
		{"429 after attempts", exhausted(apiErr(429), 2), true, true},
		{"500", apiErr(500), true, false},
		{"502", apiErr(502), true, false},
		{"503", apiErr(503), true, false},
		{"504", apiErr(504), true, false},
		{"599", apiErr(599), true, false},
		{"400", apiErr(400), false, false},
		{"401", apiErr(401), false, false},
		{"403", apiErr(403), false, false},
		{"404", apiErr(404), false, false},
		{"302", apiErr(302), false, false},
		{"connection error", wrapped(errors.New("connection reset by peer")), true, false},
		{"body cut off", wrapped(errors.New("reading the 200 response body: unexpected EOF")), true, false},
		{"invalid response", wrapped(invalidResponse("the 200 body is not a certificate")), false, false},
		{"caller's transport mistake", wrapped(&kindError{ErrInvalidConfig, errors.New("nil response")}), false, false},
	}
	var p retryPolicy
	for _, tc := range cases {
		for _, op := range []operation{opGetCertificate, opListIntegrations, opListCertificates} {
			if got := p.retryable(op, tc.err); got != tc.get {
				t.Errorf("%s: %s retryable = %v, want %v", tc.name, op.name, got, tc.get)
			}
		}
		// After a 5xx or a lost answer a code may be minted, a certificate created.
		for _, op := range []operation{opAuthenticate, opCreateCertificate} {
			if got := p.retryable(op, tc.err); got != tc.post {
				t.Errorf("%s: %s retryable = %v, want %v", tc.name, op.name, got, tc.post)
			}
		}
	}
}

// TestRetryWait holds the rule of the wait: Retry-After where the response has one,
// whatever its status; for a 429 without it, the time to X-RateLimit-Reset; for a 5xx
// and a connection error, the backoff, never the rate-limit window.
func TestRetryWait(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := retryPolicy{maxWait: 50 * time.Second, backoffBase: time.Second}
	answer := func(status int, kv ...string) error {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		c := newTestClient(t, "https://api.sendgrid.com")
		return c.newAPIError("op", &http.Response{StatusCode: status, Header: h}, nil, now)
	}
	tooMany := func(kv ...string) error { return answer(http.StatusTooManyRequests, kv...) }
	unix := func(d time.Duration) string { return fmt.Sprint(now.Add(d).Unix()) }
	backoff := [2]time.Duration{500 * time.Millisecond, time.Second}
	cases := []struct {
		name     string
		err      error
		min, max time.Duration
	}{
		{"Retry-After seconds", tooMany("Retry-After", "3"), 3 * time.Second, 3 * time.Second},
		{"Retry-After date", tooMany("Retry-After", now.Add(40*time.Second).Format(http.TimeFormat)), 40 * time.Second, 40 * time.Second},
		{"Retry-After past date", tooMany("Retry-After", now.Add(-time.Hour).Format(http.TimeFormat)), backoff[0], backoff[1]},
		{"Retry-After above the cap", tooMany("Retry-After", "999999999"), 50 * time.Second, 50 * time.Second},
		{"Retry-After beyond int64", tooMany("Retry-After", "99999999999999999999"), 50 * time.Second, 50 * time.Second},
		{"Retry-After negative", tooMany("Retry-After", "-3"), backoff[0], backoff[1]},
		{"Retry-After garbage", tooMany("Retry-After", "soon"), backoff[0], backoff[1]},
		{"X-RateLimit-Reset", tooMany("X-RateLimit-Reset", unix(20*time.Second)), 20 * time.Second, 20 * time.Second},
		{"X-RateLimit-Reset beyond int64", tooMany("X-RateLimit-Reset", "99999999999999999999"), 50 * time.Second, 50 * time.Second},
		{"X-RateLimit-Reset past", tooMany("X-RateLimit-Reset", unix(-time.Hour)), backoff[0], backoff[1]},
		{"Retry-After wins over the reset", tooMany("Retry-After", "2", "X-RateLimit-Reset", unix(20*time.Second)), 2 * time.Second, 2 * time.Second},
		{"500 with X-RateLimit-Reset: backoff", answer(500, "X-RateLimit-Reset", unix(20*time.Second)), backoff[0], backoff[1]},
		{"503 with X-RateLimit-Reset beyond int64: backoff", answer(503, "X-RateLimit-Reset", "99999999999999999999"), backoff[0], backoff[1]},
		{"503 with Retry-After", answer(503, "Retry-After", "7", "X-RateLimit-Reset", unix(20*time.Second)), 7 * time.Second, 7 * time.Second},
		{"502 with Retry-After 0: backoff", answer(502, "Retry-After", "0", "X-RateLimit-Reset", unix(20*time.Second)), backoff[0], backoff[1]},
		{"connection error: backoff", errors.New("reset"), backoff[0], backoff[1]},
	}
	for _, tc := range cases {
		if got := p.wait(1, tc.err, now); got < tc.min || got > tc.max {
			t.Errorf("%s: wait = %v, want within [%v, %v]", tc.name, got, tc.min, tc.max)
		}
	}
}

// A 500 that carries X-RateLimit-Reset an hour ahead, as every SendGrid answer does,
// is retried after the backoff, under a deadline far shorter than the reset (or the
// 30s cap on a wait): the rate-limit window is no reason to wait or to give up.
func TestRetry5xxIgnoresRateLimitWindow(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	h, n := script(reply(500, `[{"message":"internal error"}]`, "X-RateLimit-Reset", reset, "X-RateLimit-Remaining", "599"), certOK)
	c := newTestClient(t, serve(t, h).URL, withBackoffBase(100*time.Millisecond))
	waits := recordSleeps(c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cert, err := c.GetSSOCertificate(ctx, "5")
	if err != nil {
		t.Fatalf("err = %v, want the certificate of the retry", err)
	}
	if cert.ID != 5 || n.Load() != 2 {
		t.Errorf("certificate %d after %d requests, want 5 after 2", cert.ID, n.Load())
	}
	if len(*waits) != 1 || (*waits)[0] < 50*time.Millisecond || (*waits)[0] > 100*time.Millisecond {
		t.Errorf("waited %v, want one backoff within [50ms, 100ms]", *waits)
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

// The send loop: a wait that would end past the deadline is not started.
func TestRetryWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	h, n := script(reply(429, `{"errors":[{"message":"m"}]}`, "Retry-After", "10"), certOK)
	c := newTestClient(t, serve(t, h).URL)
	waits := recordSleeps(c)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.GetSSOCertificate(ctx, "5")
	wantAPIError(t, err, 429)
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

// The send loop: a cancellation during the wait ends the call with the last answer
// kept. The test cancels from inside the wait (the sleep hook), so it does not depend
// on how fast the machine is.
func TestRetryWaitHonoursCancellation(t *testing.T) {
	h, n := script(reply(429, `{"errors":[{"message":"m"}]}`, "Retry-After", "30"), certOK)
	c := newTestClient(t, serve(t, h).URL)
	ctx, cancel := context.WithCancel(context.Background())
	real := c.sleep
	c.sleep = func(ctx context.Context, d time.Duration) error {
		if d != 30*time.Second {
			t.Errorf("waiting %v, want Retry-After's 30s", d)
		}
		cancel()
		return real(ctx, d)
	}
	_, err := c.GetSSOCertificate(ctx, "5")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	wantAPIError(t, err, 429)
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
}
