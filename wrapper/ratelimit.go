package wrapper

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRateLimit reads the X-RateLimit-* headers; absent or malformed ones stay zero.
func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil {
		rl.Limit = n
	}
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil {
		rl.Remaining = n
	}
	if n, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && n > 0 {
		rl.Reset = time.Unix(n, 0)
	}
	return rl
}

// parseRetryAfter reads a Retry-After value, in seconds or as an HTTP date, as a wait
// from now. Negative, malformed and absent values give false; a date in the past
// gives 0.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = int64(1<<63-1) / int64(time.Second)
		if secs > maxSecs {
			secs = maxSecs
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
