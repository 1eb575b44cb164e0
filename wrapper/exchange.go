package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// sendFunc sends one attempt of an operation through the generated client.
type sendFunc func(context.Context) (*http.Response, error)

// do runs op on the resource id: the attempts and the waits between them (send), then use on the
// success response. Every error it returns passes the redactor: this is the one way
// out of the Client for text that came from the network.
func (c *Client) do(ctx context.Context, op operation, id string, call sendFunc, use func(result) error) error {
	res, attempts, err := c.send(ctx, op, id, call)
	if err == nil {
		if err = use(res); err != nil {
			err = fmt.Errorf("sendgrid: %s: %w", op.name, err)
		}
	}
	if err != nil {
		err = c.redact.error(err)
		c.logGiveUp(ctx, op, attempts, err)
	}
	return err
}

// send runs the attempts of op that the retry policy allows and returns the success
// response, or the last error, and how many attempts it made.
func (c *Client) send(ctx context.Context, op operation, id string, call sendFunc) (result, int, error) {
	for attempt := 1; ; attempt++ {
		log := c.startAttempt(ctx, op, id, attempt)
		res, err := c.exchange(ctx, op, call)
		c.logAttempt(ctx, log, res, err)
		if err == nil {
			return res, attempt, nil
		}
		if ctx.Err() != nil || !c.retry.retryable(op, err) || attempt > c.retry.maxRetries {
			return result{}, attempt, exhausted(err, attempt)
		}
		wait := c.retry.wait(attempt, err, time.Now())
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return result{}, attempt, fmt.Errorf("%w; not retrying: the next attempt would start in %v, after the context's deadline",
				exhausted(err, attempt), wait.Round(time.Millisecond))
		}
		c.logRetry(ctx, op, attempt, wait, err)
		if werr := c.sleep(ctx, wait); werr != nil {
			return result{}, attempt, fmt.Errorf("%w; the wait to retry ended early: %w", exhausted(err, attempt), werr)
		}
	}
}

// exchange is one attempt of op: it sends the request within the attempt's deadline,
// reads what the operation needs of the response, and returns the success result or
// the error it makes (checkResponse). A login operation's Location comes to it
// through the attempt's heldLocation, never a header, and is checked here, once
// (loginLocation): the result carries the login URL, which the caller and the attempt
// log both use. Nothing a server sends holds it past the deadline: every body read is
// bounded by the attempt's context (net/http cancels reads when it ends), a 1xx
// answer (whose body would be the raw connection, which no deadline bounds) is
// refused unread, and a headersOnly operation returns as soon as its headers are in,
// its body left to drainBody.
func (c *Client) exchange(ctx context.Context, op operation, call sendFunc) (result, error) {
	a := c.newAttempt(ctx, op)
	defer a.end()
	sendCtx := a.ctx
	var held *heldLocation
	if op.login {
		held = &heldLocation{Context: a.ctx}
		sendCtx = held
	}
	resp, err := call(sendCtx)
	if err != nil {
		return result{}, fmt.Errorf("sendgrid: %s: %w", op.name, err)
	}
	arrived := time.Now()
	var body []byte
	switch {
	case resp.StatusCode < 200:
		resp.Body.Close()
		return result{}, fmt.Errorf("sendgrid: %s: %w", op.name,
			invalidResponse("the server answered %d %s, which a request without an upgrade does not allow", resp.StatusCode, http.StatusText(resp.StatusCode)))
	case op.headersOnly && resp.StatusCode == op.success:
		// The headers hold all there is: the call goes on at once, and the body is
		// drained in the background so that its connection can serve the next call.
		c.drainBody(resp, a.handOver())
	default:
		if body, err = readBody(resp); err != nil {
			return result{}, fmt.Errorf("sendgrid: %s: %w", op.name, err)
		}
	}
	if err := c.checkResponse(op, resp, body, arrived); err != nil {
		return result{}, err
	}
	res := result{resp: resp, body: body, arrived: arrived}
	if op.login {
		if res.login, err = c.loginLocation(held.values, held.requestURL); err != nil {
			return result{}, fmt.Errorf("sendgrid: %s: %w", op.name, err)
		}
	}
	return res, nil
}

// attempt is the context of one attempt and what ends it.
type attempt struct {
	ctx context.Context
	// cancel ends ctx; nil when ctx is the caller's own.
	cancel context.CancelFunc
	// stop unhooks a detached ctx from the caller's cancellation; nil when not detached.
	stop func() bool
}

// newAttempt returns the context of one attempt of op. The http.Client's Timeout
// bounds the attempt, body read included (noRedirects); a context that ends sooner
// bounds it already, as http.Client has it, and is used as it is, at no cost.
//
// A headersOnly operation's attempt is detached: it carries ctx's values and the
// attempt's deadline, and ends when ctx is cancelled, until handOver. The body it
// leaves to drainBody is read after the call has returned, when a caller's
// `defer cancel()` has often run: on ctx itself, that would end the read and cost the
// connection. With a deadline of its own rather than ctx's cancellation at the
// deadline, its Err is context.DeadlineExceeded then, as ctx's is (HTTP/2 reports
// Err, HTTP/1 the cause).
func (c *Client) newAttempt(ctx context.Context, op operation) attempt {
	deadline, ok := ctx.Deadline()
	var cause error // nil: the caller's deadline, context.DeadlineExceeded
	if c.timeout > 0 && (!ok || time.Until(deadline) > c.timeout) {
		deadline, ok, cause = time.Now().Add(c.timeout), true, &attemptTimeoutError{c.timeout}
	}
	if !op.headersOnly {
		if cause == nil {
			return attempt{ctx: ctx}
		}
		actx, cancel := context.WithDeadlineCause(ctx, deadline, cause)
		return attempt{ctx: actx, cancel: cancel}
	}
	a := attempt{ctx: context.WithoutCancel(ctx)}
	if ok {
		a.ctx, a.cancel = context.WithDeadlineCause(a.ctx, deadline, cause)
	} else {
		a.ctx, a.cancel = context.WithCancel(a.ctx)
	}
	// When a.ctx has ctx's deadline, it expires by itself then: ctx's ending is passed
	// on only when it is not that deadline.
	sameDeadline := ok && cause == nil
	cancel := a.cancel
	passOn := func() {
		if !sameDeadline || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	}
	if ctx.Err() != nil {
		passOn()
	}
	a.stop = context.AfterFunc(ctx, passOn)
	return a
}

// handOver unhooks a detached attempt from the caller's context and returns the
// function that ends it, which the caller of handOver now owns; end no longer ends it.
func (a *attempt) handOver() context.CancelFunc {
	if a.stop != nil {
		a.stop()
	}
	cancel := a.cancel
	a.cancel, a.stop = nil, nil
	return cancel
}

// end ends the attempt's context, unless handOver passed it on.
func (a *attempt) end() {
	if a.stop != nil {
		a.stop()
	}
	if a.cancel != nil {
		a.cancel()
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

// exhausted adds the attempt count to err when there was more than one attempt.
func exhausted(err error, attempts int) error {
	if attempts <= 1 {
		return err
	}
	return &exhaustedError{err: err, attempts: attempts}
}

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
