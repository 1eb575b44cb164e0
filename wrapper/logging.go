package wrapper

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// WithLogger makes the Client log what it does to logger, for operators who need to
// see why a call was slow or failed. Off by default, and free when off (no record is
// built, nothing is allocated).
//
// One record per attempt, at Debug: "sendgrid attempt", with the operation (the
// Client method), the attempt number, the HTTP method and path, the status or the
// error, and the duration. For the 303 of AuthenticateAccount, location_host names the
// host of the login the call returns; a Location the Client refuses makes the attempt
// a failed one, logged with the reason. One record before each retry, at Warn:
// "sendgrid retry", with the wait and the reason. One record when a call ends in an
// error, at Warn: "sendgrid gave up", with the number of attempts and the error.
// Nothing logged holds the API key or a login code: errors pass the Client's
// redaction, and no URL is logged whole.
func WithLogger(logger *slog.Logger) Option {
	return func(s *settings) { s.logger = logger }
}

// attemptLog describes one attempt for the logger; zero cost when there is none.
type attemptLog struct {
	op      operation
	path    string
	attempt int
	start   time.Time
}

// startAttempt returns what logAttempt needs, or the zero value when nothing is
// logged at Debug.
func (c *Client) startAttempt(ctx context.Context, op operation, id string, attempt int) attemptLog {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return attemptLog{}
	}
	return attemptLog{op: op, path: op.path(id), attempt: attempt, start: time.Now()}
}

// logAttempt records an attempt started with startAttempt: its status, or its error.
func (c *Client) logAttempt(ctx context.Context, a attemptLog, res result, err error) {
	if a.attempt == 0 {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", a.op.name),
		slog.Int("attempt", a.attempt),
		slog.String("method", a.op.method),
		slog.String("path", c.redact.text(a.path, 0)),
		slog.Duration("duration", time.Since(a.start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redact.error(err).Error()))
		if status := statusOf(err); status != 0 {
			attrs = append(attrs, slog.Int("status", status))
		}
	} else {
		attrs = append(attrs, slog.Int("status", res.resp.StatusCode))
		if res.login != nil {
			// The login the exchange checked, not the Location parsed again.
			attrs = append(attrs, slog.String("location_host", c.redact.text(res.login.Host, 0)))
		}
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "sendgrid attempt", attrs...)
}

// logRetry records the wait before another attempt.
func (c *Client) logRetry(ctx context.Context, op operation, attempt int, wait time.Duration, err error) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "sendgrid retry",
		slog.String("operation", op.name),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.String("reason", c.redact.error(err).Error()))
}

// logGiveUp records a call that ends in err after attempts attempts.
func (c *Client) logGiveUp(ctx context.Context, op operation, attempts int, err error) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "sendgrid gave up",
		slog.String("operation", op.name),
		slog.Int("attempts", attempts),
		slog.String("error", c.redact.error(err).Error()))
}

// statusOf returns the HTTP status of an *APIError in err's chain, or 0.
func statusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}
