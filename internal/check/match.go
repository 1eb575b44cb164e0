package check

import (
	"crypto/x509"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
)

// Match is the comparison of the certificate SendGrid holds with the signing
// certificates an identity provider publishes in its metadata.
type Match struct {
	// Fingerprint is the fingerprint of SendGrid's certificate.
	Fingerprint idpmetadata.Fingerprint
	// Index is where SendGrid's certificate is in SigningCertificates, or -1 when the
	// IdP does not sign with it.
	Index int
	// SigningCertificates are all the IdP's signing certificates, in the metadata's
	// order. When there are several, SendGrid holds one of them and the others are
	// the ones to upload before the IdP switches to them.
	SigningCertificates []idpmetadata.Certificate
}

// Matched reports whether SendGrid's certificate is among the IdP's signing
// certificates.
func (m Match) Matched() bool { return m.Index >= 0 }

// MatchMetadata compares sendgrid, SendGrid's certificate (wrapper.Certificate.X509),
// with the signing certificates in md by fingerprint (the SHA-256 of the DER), so an
// encoding difference (PEM or bare base64, line breaks) does not matter.
func MatchMetadata(sendgrid *x509.Certificate, md *idpmetadata.Metadata) Match {
	m := Match{Fingerprint: idpmetadata.FingerprintOf(sendgrid), Index: -1, SigningCertificates: md.SigningCertificates}
	for i, s := range md.SigningCertificates {
		if s.Fingerprint == m.Fingerprint {
			m.Index = i
			break
		}
	}
	return m
}
