package ssotest

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The rate limit of a server built without WithRateLimit: SendGrid's v3 endpoints
// allow a few hundred calls a minute per key; the fake's default is far above what a
// test makes, so that none meets it by accident, while every answer still carries the
// X-RateLimit-* headers a client reads.
const (
	DefaultRateLimit       = 10000
	DefaultRateLimitWindow = time.Minute
)

// WithRateLimit gives each API key (each distinct Authorization header) a budget of
// limit API calls per window, as SendGrid does. Every API answer carries
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (unix seconds, when
// the key's window ends). A window starts with the key's first call; once its budget
// is spent, calls are answered 429 in the operation's error shape, with Retry-After
// (seconds to the window's end, rounded up) and X-RateLimit-Remaining: 0, until the
// window ends. Every API request spends from its key's budget; requests that break the spec
// are refused as usual, spent budget or not.
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

// maxBudgets bounds how many keys' budgets the fake tracks at once, so that a client
// sending a new key with every request cannot grow its memory without end; a key
// beyond it is answered as if its window had just begun.
const maxBudgets = 1 << 16

// rateLimiter holds the budget of each key, by the SHA-256 of its Authorization header
// (a fixed size, whatever the header's length). Windows that ended are swept when the
// map has doubled since the last sweep, which keeps each call O(1) amortised.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu      sync.Mutex
	budgets map[[sha256.Size]byte]*budget
	sweepAt int
}

// budget is one key's window: when it began and how many calls it has had.
type budget struct {
	start time.Time
	used  int
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, budgets: map[[sha256.Size]byte]*budget{}, sweepAt: 64}
}

// take spends one call of key's budget at now and returns the key's quota after it.
func (l *rateLimiter) take(key string, now time.Time) quota {
	id := sha256.Sum256([]byte(key))
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.budgets[id]
	if !ok || !now.Before(b.start.Add(l.window)) {
		if !ok && len(l.budgets) >= l.sweepAt {
			l.sweep(now)
		}
		b = &budget{start: now}
		if ok || len(l.budgets) < maxBudgets {
			l.budgets[id] = b
		}
	}
	b.used++
	return quota{limit: l.limit, used: b.used, reset: b.start.Add(l.window), now: now}
}

// sweep forgets the budgets whose window has ended.
func (l *rateLimiter) sweep(now time.Time) {
	for id, b := range l.budgets {
		if !now.Before(b.start.Add(l.window)) {
			delete(l.budgets, id)
		}
	}
	l.sweepAt = max(64, 2*len(l.budgets))
}

// quota is a key's rate-limit state as one call left it.
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
