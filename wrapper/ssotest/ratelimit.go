package ssotest

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The rate limit of a server built without WithRateLimit: SendGrid's v3 endpoints
// allow a few hundred calls a minute per key; the fake's default is far above what a
// test makes, so that none meets it by accident, while every answer to a call with the
// key still carries the X-RateLimit-* headers a client reads.
const (
	DefaultRateLimit       = 10000
	DefaultRateLimitWindow = time.Minute
)

// WithRateLimit gives the fake's API key a budget of limit API calls per window, as
// SendGrid gives each key. A window starts with the key's first call; once its budget
// is spent, calls are answered 429 in the operation's error shape, with Retry-After
// (seconds to the window's end, rounded up) and X-RateLimit-Remaining: 0, until the
// window ends.
//
// Every call with the fake's key to one of its operations spends from the budget,
// whatever its answer, and every answer to such a call carries X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (unix seconds, when the window ends).
// A request without the fake's key is answered 401 before the budget is looked at
// (see Server for the order of checks): it spends nothing, and its answer carries no
// X-RateLimit-* header, since the fake cannot tell whose budget it would be. So the
// fake keeps one budget, whatever keys clients send.
//
// NewServer panics if limit is below 1 or window below a millisecond.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(s *Server) {
		if limit < 1 || window < time.Millisecond {
			panic(fmt.Sprintf("ssotest: WithRateLimit(%d, %v): give at least 1 call per window of at least 1ms", limit, window))
		}
		s.limits = newRateLimiter(limit, window)
	}
}

// rateLimiter holds the budget of the fake's key: when its window began and how many
// calls it has had. It is the only budget: requests without the key never reach it.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu    sync.Mutex
	start time.Time
	used  int // 0 before the first call
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window}
}

// take spends one call of the budget at now and returns the quota after it.
func (l *rateLimiter) take(now time.Time) quota {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.used == 0 || !now.Before(l.start.Add(l.window)) {
		l.start, l.used = now, 0
	}
	l.used++
	return quota{limit: l.limit, used: l.used, reset: l.start.Add(l.window), now: now}
}

// quota is the budget's state as one call left it.
type quota struct {
	limit, used int
	reset, now  time.Time
}

// spent reports whether the call was over the budget.
func (q quota) spent() bool { return q.used > q.limit }

// setHeaders sets the X-RateLimit-* headers every API answer carries.
func (q quota) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(q.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(q.limit-q.used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(q.reset), 10))
}

// tooMany answers a call of operation 429, with the quota's headers, Retry-After in
// whole seconds to the window's end, rounded up (at least 1), and the message the API
// sends.
func (q quota) tooMany(w http.ResponseWriter, operation string) {
	q.setHeaders(w.Header())
	wait := max((q.reset.Sub(q.now)+time.Second-1)/time.Second, 1)
	w.Header().Set("Retry-After", strconv.FormatInt(int64(wait), 10))
	writeErrors(w, http.StatusTooManyRequests, operation, "too many requests")
}

// spentFor returns the quota of a key whose budget is spent for d from the current
// second: the 429 a Prefer header asks for, over in d at most.
func (q quota) spentFor(d time.Duration) quota {
	return quota{limit: q.limit, used: q.limit + 1, reset: time.Unix(q.now.Unix(), 0).Add(d), now: q.now}
}

// ceilUnix is t in unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	secs := t.Unix()
	if t.Nanosecond() > 0 {
		secs++
	}
	return secs
}
