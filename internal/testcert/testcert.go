// Package testcert makes X.509 certificates for tests, and the SAML 2.0 metadata
// that publishes them: the one generator every package's tests share.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Spec describes a certificate for New. Zero fields take defaults: serial 4242, CN
// "idp.test", valid from unix 1700000000 to 1800000000, self-signed.
type Spec struct {
	CN                  string
	Serial              int64
	NotBefore, NotAfter time.Time
	Parent              *Cert // signs the certificate; nil: self-signed
	CA                  bool  // may sign others
}

// Cert is a certificate generated for a test, with its key so that it can sign
// others.
type Cert struct {
	X   *x509.Certificate
	Key *ecdsa.PrivateKey
}

// New generates a P-256 certificate as spec says, failing t on error.
func New(t testing.TB, spec Spec) *Cert {
	t.Helper()
	if spec.CN == "" {
		spec.CN = "idp.test"
	}
	if spec.Serial == 0 {
		spec.Serial = 4242
	}
	if spec.NotBefore.IsZero() {
		spec.NotBefore = time.Unix(1700000000, 0)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = time.Unix(1800000000, 0)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(spec.Serial),
		Subject:               pkix.Name{CommonName: spec.CN},
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotAfter,
		BasicConstraintsValid: spec.CA,
		IsCA:                  spec.CA,
	}
	parent, signer := tmpl, key
	if spec.Parent != nil {
		parent, signer = spec.Parent.X, spec.Parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{X: x, Key: key}
}

// Chain returns a CA certificate (CN caCN) and a leaf (CN leafCN) it signed: the
// chain an X509Data may carry after or before the key's own certificate.
func Chain(t testing.TB, caCN, leafCN string) (ca, leaf *x509.Certificate) {
	t.Helper()
	issuer := New(t, Spec{CN: caCN, Serial: 5, CA: true})
	return issuer.X, New(t, Spec{CN: leafCN, Serial: 6, Parent: issuer}).X
}

// PEM is c's certificate in PEM, as SendGrid's API returns one.
func PEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// Base64 is c's DER in base64 as IdPs publish it: wrapped at 64 columns, each line
// indented, CRLF line ends.
func Base64(c *x509.Certificate) string {
	s := base64.StdEncoding.EncodeToString(c.Raw)
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString("\r\n\t\t  " + s[:64])
		s = s[64:]
	}
	b.WriteString("\r\n\t\t  " + s + "\r\n\t")
	return b.String()
}

// KeyDescriptor is a KeyDescriptor (prefixes md: and ds:) with attrs (such as
// ` use="signing"`) holding certs in one X509Data.
func KeyDescriptor(attrs string, certs ...*x509.Certificate) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<md:KeyDescriptor%s><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>`, attrs)
	for _, c := range certs {
		fmt.Fprintf(&b, "<ds:X509Certificate>%s</ds:X509Certificate>", Base64(c))
	}
	b.WriteString(`</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
	return b.String()
}

// IdPEntity is an EntityDescriptor (prefix md:, namespace declared on it) whose
// IDPSSODescriptor holds keys (KeyDescriptor's).
func IdPEntity(entityID string, keys ...string) string {
	return fmt.Sprintf(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=%q>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    %s
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`, entityID, strings.Join(keys, "\n    "))
}
