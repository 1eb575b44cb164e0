package cli

import (
	"testing"
	"time"
)

func TestInWords(t *testing.T) {
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{
		41*day + 23*time.Hour:        "41 days",
		day:                          "1 day",
		2*day - time.Nanosecond:      "1 day",
		5*time.Hour + 59*time.Minute: "5 hours",
		time.Hour:                    "1 hour",
		90 * time.Second:             "1 minute",
		59 * time.Second:             "59 seconds",
		time.Second:                  "1 second",
		999 * time.Millisecond:       "less than a second",
		0:                            "less than a second",
	} {
		if got := inWords(d); got != want {
			t.Errorf("inWords(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestValidity(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	cases := []struct {
		notBefore, notAfter time.Time
		status, words       string
	}{
		{now.Add(-day), now.Add(41*day + time.Hour), statusValid, "expires in 41 days"},
		{now.Add(-10 * day), now.Add(-3*day - time.Hour), statusExpired, "expired 3 days ago"},
		{now.Add(-10 * day), now, statusExpired, "expired less than a second ago"},
		{now.Add(2 * time.Hour), now.Add(day * 9), statusNotYetValid, "not valid yet: starts in 2 hours"},
		{now, now.Add(time.Minute), statusValid, "expires in 1 minute"},
	}
	for _, tc := range cases {
		status, words := validity(now, tc.notBefore, tc.notAfter)
		if status != tc.status || words != tc.words {
			t.Errorf("validity(%v, %v) = %q, %q; want %q, %q", tc.notBefore, tc.notAfter, status, words, tc.status, tc.words)
		}
	}
}
