package wrapper

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// retryPolicy says what is retried and how long to wait.
//
// GET (GetSSOCertificate) is retried on 429, on any 5xx and on connection errors.
// POST (AuthenticateAccount) is retried on 429 only: after a 5xx the API may already
// have minted a login code. The wait before a retry (wait) is always at most maxWait,
// and a wait that would end past the context's deadline is not started: the call
// returns at once.
type retryPolicy struct {
	maxRetries  int
	maxWait     time.Duration
	backoffBase time.Duration
}

// retryable reports whether the policy allows another attempt after err: a 429
// always (the API did nothing), a 5xx or a connection error (no complete answer) only
// for an idempotent operation, since after them a POST may already have minted a
// login code. A response that cannot be used (ErrInvalidResponse) and a mistake in
// the caller's setup (ErrInvalidConfig) are never retried: they would only repeat.
func (p retryPolicy) retryable(op operation, err error) bool {
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusTooManyRequests ||
			(op.idempotent && apiErr.StatusCode >= 500 && apiErr.StatusCode <= 599)
	case errors.Is(err, ErrInvalidResponse), errors.Is(err, ErrInvalidConfig):
		return false
	}
	return op.idempotent
}

// wait returns how long to wait after the given failed attempt (1-based), at most
// maxWait:
//
//   - Retry-After (seconds or an HTTP date), whatever the status, where the response
//     has one; a Retry-After of 0 or in the past counts as absent;
//   - for a 429 without it, the time until X-RateLimit-Reset, when that is ahead;
//   - otherwise, a 5xx and a connection error included, the exponential backoff with
//     jitter. SendGrid sends X-RateLimit-Reset on every response, a 5xx's too: the end
//     of the rate-limit window says nothing about when a server error clears, and
//     waiting for it would hold a retry up to maxWait or give it up under a shorter
//     deadline.
func (p retryPolicy) wait(attempt int, err error, now time.Time) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.RetryAfter > 0:
			return min(apiErr.RetryAfter, p.maxWait)
		case apiErr.StatusCode == http.StatusTooManyRequests && apiErr.RateLimit.Reset.After(now):
			return min(apiErr.RateLimit.Reset.Sub(now), p.maxWait)
		}
	}
	return p.backoff(attempt)
}

// backoff is base·2^(attempt-1), with "equal jitter": a random point in its upper half.
func (p retryPolicy) backoff(attempt int) time.Duration {
	d := p.backoffBase << min(attempt-1, 16)
	if d <= 0 || d > p.maxWait {
		d = p.maxWait
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
