package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// days is a flag value for a length of time given as a Go duration ("720h", "90m") or
// as whole days with a "d" suffix ("30d"), the unit certificate lifetimes are spoken
// in. It keeps the text as given, to repeat it in messages.
type days struct {
	d   time.Duration
	raw string
}

// maxDays bounds a "d" value: 100 years, far below time.Duration's 292 years.
const maxDays = 36500

// Set parses s; it is the flag.Value method.
func (v *days) Set(s string) error {
	d, err := ParseDays(s)
	if err != nil {
		return err
	}
	v.d, v.raw = d, s
	return nil
}

// String returns the value as given; it is the flag.Value method.
func (v *days) String() string { return v.raw }

// ParseDays reads a length of time as cert --warn-within takes it: whole days with a
// "d" suffix ("30d") or a Go duration ("720h"). Negative values are refused.
func ParseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		count, err := strconv.Atoi(n)
		if err != nil || count < 0 || count > maxDays || strings.HasPrefix(n, "+") {
			return 0, fmt.Errorf("%q is not a number of days: give whole days such as 30d, or a duration such as 720h", s)
		}
		return time.Duration(count) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: give whole days such as 30d, or a duration such as 720h", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative: give a window such as 30d", s)
	}
	return d, nil
}
