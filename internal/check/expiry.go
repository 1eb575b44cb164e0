package check

import (
	"crypto/x509"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// Status is where a moment lies in a certificate's validity window. Its text is what
// sendgrid-sso cert --json reports.
type Status string

// The statuses of a certificate.
const (
	Valid       Status = "valid"
	Expired     Status = "expired"
	NotYetValid Status = "not yet valid"
)

// Window returns the validity window cert is judged by: SendGrid's not_before and
// not_after, and where SendGrid sent none (the zero Time), those of x, the
// certificate itself (cert.X509()).
func Window(cert *wrapper.Certificate, x *x509.Certificate) (notBefore, notAfter time.Time) {
	notBefore, notAfter = cert.NotBefore, cert.NotAfter
	if notBefore.IsZero() {
		notBefore = x.NotBefore
	}
	if notAfter.IsZero() {
		notAfter = x.NotAfter
	}
	return notBefore, notAfter
}

// StatusAt says where now lies in the window [notBefore, notAfter): before it, in it,
// or at or past its end. It compares the exact times.
func StatusAt(now, notBefore, notAfter time.Time) Status {
	switch {
	case now.Before(notBefore):
		return NotYetValid
	case now.Before(notAfter):
		return Valid
	default:
		return Expired
	}
}

// Expiry is the outcome of the expiry check of one certificate.
type Expiry struct {
	// Status is where the moment of the check lies in the window.
	Status Status
	// Left is the time from the check to the window's end: negative once expired.
	Left time.Duration
	// Within is the warning window the check was asked for.
	Within time.Duration
	// Passed is true when the certificate is valid and more than Within is left.
	Passed bool
}

// ExpiryAt checks the window [notBefore, notAfter) as of now: it passes when now is in
// it and more than within is left before its end. A within of 0 still fails a
// certificate that has expired or is not yet valid.
func ExpiryAt(now, notBefore, notAfter time.Time, within time.Duration) Expiry {
	e := Expiry{Status: StatusAt(now, notBefore, notAfter), Left: notAfter.Sub(now), Within: within}
	e.Passed = e.Status == Valid && e.Left > within
	return e
}
