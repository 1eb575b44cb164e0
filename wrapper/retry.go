package wrapper

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// retryPolicy says what is retried and how long to wait.
//
// GET (GetSSOCertificate) is retried on 429, on any 5xx and on connection errors.
// POST (AuthenticateAccount) is retried on 429 only: after a 5xx the API may already
// have minted a login code. The wait before a retry is Retry-After (seconds or an HTTP
// date) when the response has one, else the time until X-RateLimit-Reset, else an
// exponential backoff with jitter; always at most maxWait. A wait that would end past
// the context's deadline is not started: the call returns at once.
type retryPolicy struct {
	maxRetries  int
	maxWait     time.Duration
	backoffBase time.Duration
}

// send runs one operation with retries and returns its success response, or the last
// error. call sends one attempt through the generated client.
func (c *Client) send(ctx context.Context, op operation, call func(context.Context) (*http.Response, error)) (result, error) {
	for attempt := 1; ; attempt++ {
		res, err, retryable := c.attempt(ctx, op, call)
		if err == nil {
			return res, nil
		}
		if !retryable || attempt > c.retry.maxRetries {
			return result{}, exhausted(err, attempt)
		}
		wait := c.retry.wait(attempt, err, time.Now())
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return result{}, fmt.Errorf("%w; not retrying: the next attempt would start in %v, after the context's deadline",
				exhausted(err, attempt), wait.Round(time.Millisecond))
		}
		if werr := c.sleep(ctx, wait); werr != nil {
			return result{}, fmt.Errorf("%w; the wait to retry ended early: %w", exhausted(err, attempt), werr)
		}
	}
}

// attempt sends one request and sorts its outcome: a success result, or an error and
// whether the policy allows another try.
func (c *Client) attempt(ctx context.Context, op operation, call func(context.Context) (*http.Response, error)) (result, error, bool) {
	// The http.Client's Timeout bounds the attempt, body read included (noRedirects);
	// a context that ends sooner bounds it already, as http.Client has it.
	actx := ctx
	if deadline, ok := ctx.Deadline(); c.timeout > 0 && (!ok || time.Until(deadline) > c.timeout) {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeoutCause(ctx, c.timeout, &attemptTimeoutError{c.timeout})
		defer cancel()
	}
	resp, err := call(actx)
	if err != nil {
		// A connection error; once the caller's context is done there is no retry.
		return result{}, fmt.Errorf("sendgrid: %s: %w", op.name, err), op.idempotent && ctx.Err() == nil
	}
	arrived := time.Now()
	body, err := readBody(resp)
	if err != nil && resp.StatusCode == op.success && op.success == http.StatusSeeOther {
		// The 303's headers, Location included, arrived whole; its body is not used.
		// Failing here would lose a login that was already minted.
		err = nil
	}
	if err != nil {
		// A body cut off mid-way is a connection error; one over the limit is not.
		retry := op.idempotent && ctx.Err() == nil && !errors.Is(err, ErrInvalidResponse)
		return result{}, fmt.Errorf("sendgrid: %s: %w", op.name, err), retry
	}
	if resp.StatusCode == op.success {
		return result{resp: resp, body: body, arrived: arrived}, nil, false
	}
	apiErr := newAPIError(op.name, resp, body, arrived, c.apiKey())
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return result{}, apiErr, true
	case resp.StatusCode >= 500 && resp.StatusCode <= 599:
		return result{}, apiErr, op.idempotent
	}
	return result{}, apiErr, false
}

// wait returns how long to wait after the given failed attempt (1-based). A
// Retry-After of 0 counts as absent.
func (p retryPolicy) wait(attempt int, err error, now time.Time) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.RetryAfter > 0:
			return min(apiErr.RetryAfter, p.maxWait)
		case apiErr.RateLimit.Reset.After(now):
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

// exhaustedError is the last error of a call that was tried more than once.
type exhaustedError struct {
	err      error
	attempts int
}

// Error is the last error's text and the attempt count.
func (e *exhaustedError) Error() string {
	return fmt.Sprintf("%s (gave up after %d attempts)", e.err, e.attempts)
}

// Unwrap returns the last attempt's error.
func (e *exhaustedError) Unwrap() error { return e.err }

// attemptTimeoutError is the cause of an attempt cut off by the http.Client's Timeout
// (60s by default), which the Client applies to each attempt's context. It says so,
// rather than blaming a deadline the caller may never have set, and still matches
// context.DeadlineExceeded and reports Timeout, as net/http's own timeout error does.
type attemptTimeoutError struct{ timeout time.Duration }

// Error names the timeout that expired.
func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("the attempt took longer than the http.Client's %v timeout", e.timeout)
}

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout reports true, as net.Error's timeouts do.
func (e *attemptTimeoutError) Timeout() bool { return true }

// exhausted adds the attempt count to err when there was more than one attempt.
func exhausted(err error, attempts int) error {
	if attempts <= 1 {
		return err
	}
	return &exhaustedError{err: err, attempts: attempts}
}
