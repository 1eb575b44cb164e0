package wrapper

import (
	"math"
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
	if n, ok := parseCount(h.Get("X-RateLimit-Reset")); ok && n > 0 {
		rl.Reset = time.Unix(min(n, maxUnix), 0)
	}
	return rl
}

// maxUnix is the latest reset time kept: year 9999, beyond which time.Time's
// arithmetic would overflow. A later reset means "not soon"; the wait is capped
// anyway.
const maxUnix = 253402300799

// parseCount reads a non-negative decimal number of at most 1,000 digits; one beyond
// int64 saturates at its maximum rather than being ignored: a huge value is a long
// wait, capped like any other, not an absent one.
func parseCount(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 1000 {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return math.MaxInt64, true // all digits: only out of range
	}
	return n, true
}

// parseRetryAfter reads a Retry-After value, in seconds or as an HTTP date, as a wait
// from now. Negative, malformed and absent values give false; a date in the past
// gives 0.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, ok := parseCount(v); ok {
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
