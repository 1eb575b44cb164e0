package idpmetadata

import (
	"crypto/sha256"
	"crypto/x509"
)

// Fingerprint is the SHA-256 digest of a certificate's DER encoding, the usual way to
// name a certificate. Two encodings of one certificate (PEM or bare base64, line
// breaks) have one fingerprint.
type Fingerprint [sha256.Size]byte

// FingerprintOf returns the fingerprint of cert.
func FingerprintOf(cert *x509.Certificate) Fingerprint { return sha256.Sum256(cert.Raw) }

// String returns the fingerprint as openssl's "x509 -fingerprint -sha256" prints it:
// upper-case hex bytes joined by colons, "3B:DF:9D:…".
func (f Fingerprint) String() string {
	const digits = "0123456789ABCDEF"
	b := make([]byte, 0, len(f)*3-1)
	for i, c := range f {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[c>>4], digits[c&0xf])
	}
	return string(b)
}
