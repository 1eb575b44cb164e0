package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// rateLimitFlag is --rate-limit N/DURATION: the fake's per-key budget.
type rateLimitFlag struct {
	limit  int
	window time.Duration
}

// String is the flag's value as given, or the fake's default when unset.
func (f *rateLimitFlag) String() string {
	if f.limit == 0 {
		return fmt.Sprintf("%d/%v", ssotest.DefaultRateLimit, ssotest.DefaultRateLimitWindow)
	}
	return fmt.Sprintf("%d/%v", f.limit, f.window)
}

// Set parses N/DURATION, such as 600/1m.
func (f *rateLimitFlag) Set(s string) error {
	n, d, ok := strings.Cut(s, "/")
	limit, err := strconv.Atoi(n)
	if !ok || err != nil || limit < 1 {
		return fmt.Errorf("want N/DURATION with N at least 1, such as 600/1m")
	}
	window, err := time.ParseDuration(d)
	if err != nil || window < time.Millisecond {
		return fmt.Errorf("want N/DURATION with a Go duration of at least 1ms after the slash, such as 600/1m")
	}
	f.limit, f.window = limit, window
	return nil
}

// options is the fake's options for the flag: none when it is unset.
func (f *rateLimitFlag) options() []ssotest.Option {
	if f.limit == 0 {
		return nil
	}
	return []ssotest.Option{ssotest.WithRateLimit(f.limit, f.window)}
}
