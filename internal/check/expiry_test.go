package check

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// TestExpiryAt: the window is [notBefore, notAfter), compared to the nanosecond, and
// the check passes only with more than the warning window left.
func TestExpiryAt(t *testing.T) {
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	cases := []struct {
		name   string
		now    time.Time
		within time.Duration
		status Status
		passed bool
	}{
		{"a nanosecond before the start", nb.Add(-1), 0, NotYetValid, false},
		{"at the start", nb, 0, Valid, true},
		{"mid-window, no warning window", nb.Add(100 * day), 0, Valid, true},
		{"31 days left, 30d window", na.Add(-31 * day), 30 * day, Valid, true},
		{"exactly 30 days left, 30d window", na.Add(-30 * day), 30 * day, Valid, false},
		{"a nanosecond more than 30 days left", na.Add(-30*day - 1), 30 * day, Valid, true},
		{"a nanosecond before the end, no warning window", na.Add(-1), 0, Valid, true},
		{"at the end", na, 0, Expired, false},
		{"after the end, with a window", na.Add(day), 30 * day, Expired, false},
	}
	for _, tc := range cases {
		e := ExpiryAt(tc.now, nb, na, tc.within)
		if e.Status != tc.status || e.Passed != tc.passed {
			t.Errorf("%s: status %q passed %v, want %q %v", tc.name, e.Status, e.Passed, tc.status, tc.passed)
		}
		if e.Left != na.Sub(tc.now) || e.Within != tc.within {
			t.Errorf("%s: Left %v Within %v, want %v %v", tc.name, e.Left, e.Within, na.Sub(tc.now), tc.within)
		}
		if s := StatusAt(tc.now, nb, na); s != e.Status {
			t.Errorf("%s: StatusAt %q, ExpiryAt's status %q", tc.name, s, e.Status)
		}
	}
}

// TestWindow: SendGrid's window wins; where SendGrid sent none, the certificate's own.
func TestWindow(t *testing.T) {
	x := &x509.Certificate{NotBefore: time.Unix(100, 0), NotAfter: time.Unix(200, 0)}
	sgBefore, sgAfter := time.Unix(110, 0), time.Unix(190, 0)
	cases := []struct {
		name   string
		cert   wrapper.Certificate
		nb, na time.Time
	}{
		{"both from SendGrid", wrapper.Certificate{NotBefore: sgBefore, NotAfter: sgAfter}, sgBefore, sgAfter},
		{"none from SendGrid", wrapper.Certificate{}, x.NotBefore, x.NotAfter},
		{"only not_after from SendGrid", wrapper.Certificate{NotAfter: sgAfter}, x.NotBefore, sgAfter},
		{"only not_before from SendGrid", wrapper.Certificate{NotBefore: sgBefore}, sgBefore, x.NotAfter},
	}
	for _, tc := range cases {
		nb, na := Window(&tc.cert, x)
		if !nb.Equal(tc.nb) || !na.Equal(tc.na) {
			t.Errorf("%s: window [%v, %v), want [%v, %v)", tc.name, nb.Unix(), na.Unix(), tc.nb.Unix(), tc.na.Unix())
		}
	}
}
