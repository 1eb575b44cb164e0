package cli

import (
	"fmt"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
)

// Certificate statuses, as cert --json reports them (internal/check judges them).
const (
	statusValid       = string(check.Valid)
	statusExpired     = string(check.Expired)
	statusNotYetValid = string(check.NotYetValid)
)

// validity says where now lies in the window [notBefore, notAfter], as a status and
// in plain words: "expires in 41 days", "expired 3 days ago", "not valid yet: starts
// in 2 hours".
func validity(now, notBefore, notAfter time.Time) (status, words string) {
	switch check.StatusAt(now, notBefore, notAfter) {
	case check.NotYetValid:
		return statusNotYetValid, "not valid yet: starts in " + inWords(notBefore.Sub(now))
	case check.Valid:
		return statusValid, "expires in " + inWords(notAfter.Sub(now))
	default:
		return statusExpired, "expired " + inWords(now.Sub(notAfter)) + " ago"
	}
}

// inWords renders a positive duration in its largest whole unit, rounded down:
// "41 days", "1 day", "5 hours", "1 minute", "59 seconds", "less than a second".
func inWords(d time.Duration) string {
	units := []struct {
		name string
		size time.Duration
	}{{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second}}
	for _, u := range units {
		if n := int64(d / u.size); n >= 1 {
			if n == 1 {
				return "1 " + u.name
			}
			return fmt.Sprintf("%d %ss", n, u.name)
		}
	}
	return "less than a second"
}
