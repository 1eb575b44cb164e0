package cli

import (
	"math"
	"testing"
	"time"
)

func TestInWords(t *testing.T) {
	day := 24 * time.Hour
	for d, want := range map[time.Duration]string{
		41*day + 11*time.Hour:                 "41 days",
		41*day + 12*time.Hour:                 "42 days", // halves round up
		day:                                   "1 day",
		2*day - time.Nanosecond:               "2 days",
		23*time.Hour + 40*time.Minute:         "1 day", // 24 hours is a day
		5*time.Hour + 29*time.Minute:          "5 hours",
		5*time.Hour + 30*time.Minute:          "6 hours",
		time.Hour:                             "1 hour",
		90 * time.Second:                      "2 minutes",
		89 * time.Second:                      "1 minute",
		59 * time.Second:                      "59 seconds",
		59*time.Second + 600*time.Millisecond: "1 minute",
		time.Second:                           "1 second",
		999 * time.Millisecond:                "less than a second",
		0:                                     "less than a second",
		time.Duration(math.MaxInt64):          "106752 days", // no overflow,
	} {
		if got := inWords(d); got != want {
			t.Errorf("inWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestValidityRoundsToTheNearestDay: a certificate served by
// "sendgrid-sso-fake --cert-expires-in 12d" and read a few milliseconds later expires
// in 12 days, not 11 (the words used to round down). The clock is the now given.
func TestValidityRoundsToTheNearestDay(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		left time.Duration
		want string
	}{
		{12*day - 5*time.Millisecond, "expires in 12 days"},
		{12*day - time.Second, "expires in 12 days"}, // the fake truncates not_after to the second
		{11*day + 12*time.Hour, "expires in 12 days"},
		{11*day + 12*time.Hour - time.Nanosecond, "expires in 11 days"},
		{-(3*day + 11*time.Hour), "expired 3 days ago"},
	} {
		_, words := validity(now, now.Add(-365*day), now.Add(tc.left))
		if words != tc.want {
			t.Errorf("not_after now%+v: %q, want %q", tc.left, words, tc.want)
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
