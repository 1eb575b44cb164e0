package ssotest

import (
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"sync"
	"time"
)

// Defaults of a server built without options.
const (
	// DefaultAccountID is the account the fake knows unless WithAccount adds others.
	DefaultAccountID = "sg2a2bcd3ef4ab5c67d8efab91c01de2fa"
	// DefaultCertificateID is the ID of DefaultCertificate.
	DefaultCertificateID = 66138975
)

//go:embed default_cert.pem
var defaultCertPEM string

// Certificate is a certificate the fake serves.
type Certificate struct {
	// ID is the certificate's ID; GET /v3/sso/certificates/{ID} serves it.
	ID int64
	// PublicCertificate is served as is: PEM or base64 DER.
	PublicCertificate string
	// NotBefore and NotAfter are served as unix seconds.
	NotBefore, NotAfter time.Time
	// IntegrationID is served as "intergration_id", the API's spelling.
	IntegrationID string
}

// DefaultCertificate returns the certificate a server serves when built without
// WithCertificate: a self-signed P-256 certificate for "idp.example.com".
// Its validity window is the certificate's own.
func DefaultCertificate() Certificate {
	return Certificate{
		ID:                DefaultCertificateID,
		PublicCertificate: defaultCertPEM,
		NotBefore:         defaultCert().NotBefore,
		NotAfter:          defaultCert().NotAfter,
		IntegrationID:     DefaultIntegrationID,
	}
}

// ExpiringIn returns c with the API's not_after d from now (negative d: expired
// already), and not_before a year earlier when it would not come first, to test
// alerting on expiry; the certificate's own bytes are unchanged:
//
//	srv := ssotest.NewServer(ssotest.WithCertificate(ssotest.DefaultCertificate().ExpiringIn(72 * time.Hour)))
func (c Certificate) ExpiringIn(d time.Duration) Certificate {
	c.NotAfter = time.Now().Add(d).Truncate(time.Second)
	if !c.NotBefore.Before(c.NotAfter) {
		c.NotBefore = c.NotAfter.AddDate(-1, 0, 0)
	}
	return c
}

// defaultCert is the parsed default certificate.
var defaultCert = sync.OnceValue(func() *x509.Certificate {
	block, _ := pem.Decode([]byte(defaultCertPEM))
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic("ssotest: the embedded default certificate does not parse: " + err.Error())
	}
	return c
})

// wire is the certificate as the API's 200 body carries it.
func (c Certificate) wire() map[string]any {
	return map[string]any{
		"public_certificate": c.PublicCertificate,
		"id":                 c.ID,
		"not_before":         c.NotBefore.Unix(),
		"not_after":          c.NotAfter.Unix(),
		"intergration_id":    c.IntegrationID,
	}
}
