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
// in 2 hours". The words are rounded (see inWords); the status, and every check, use
// the exact times.
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

// wordUnits are the units of inWords, largest first; each is a whole number of the
// next.
var wordUnits = []struct {
	name string
	size time.Duration
}{{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second}}

// inWords renders a positive duration in the largest unit it reaches, rounded to the
// nearest whole one, halves up: "41 days", "1 day", "5 hours", "1 minute",
// "59 seconds", "less than a second". So a certificate that expires 12 days from
// when it was served reads "12 days" a few milliseconds later, not "11 days"; 11 days
// and 12 hours reads "12 days", 11 days and 11 hours "11 days". A count that rounds
// up to the next unit is said in it: 23 hours 40 minutes reads "1 day".
func inWords(d time.Duration) string {
	for i, u := range wordUnits {
		if d < u.size {
			continue
		}
		n := int64(d / u.size) // not (d+size/2)/size: d may be near the largest Duration
		if d%u.size >= u.size/2 {
			n++
		}
		if i > 0 && time.Duration(n)*u.size == wordUnits[i-1].size {
			u, n = wordUnits[i-1], 1
		}
		if n == 1 {
			return "1 " + u.name
		}
		return fmt.Sprintf("%d %ss", n, u.name)
	}
	return "less than a second"
}
