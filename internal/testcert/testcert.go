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
	"net"
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
	DNSNames            []string
	IPAddresses         []net.IP // with DNSNames: the names a TLS server's certificate is for
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
		DNSNames:              spec.DNSNames,
		IPAddresses:           spec.IPAddresses,
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

// IdPShapes are metadata documents in the shapes identity providers publish, by
// name, each holding the signing certificate sign (and next where an IdP publishes
// two: entra, the aggregate's second IdP, the rollover) and enc where an IdP
// publishes a certificate that is not for signing: the idpmetadata fuzzer's seeds,
// and the IdP side of sendgrid-sso's end-to-end test.
func IdPShapes(sign, next, enc *x509.Certificate) map[string]string {
	dsig := `xmlns:ds="http://www.w3.org/2000/09/xmldsig#"`
	return map[string]string{
		// Okta: md: prefix, base64 wrapped at 64 columns, one signing key.
		"okta": IdPEntity("http://www.okta.com/exk1", KeyDescriptor(` use="signing"`, sign)),
		// Entra ID / ADFS: default namespace, the document's signature first, a
		// RoleDescriptor before the IDPSSODescriptor, two signing keys.
		"entra": `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_a1" entityID="https://sts.windows.net/t/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/><SignatureValue>AA==</SignatureValue><KeyInfo><X509Data><X509Certificate>` + Base64(enc) + `</X509Certificate></X509Data></KeyInfo></Signature>
<RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + Base64(sign) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
</RoleDescriptor>
<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + Base64(sign) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + Base64(next) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.test/saml2"/>
</IDPSSODescriptor>
</EntityDescriptor>`,
		// Google: no use attribute, md: and ds: declared on the root.
		"google": `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ` + dsig + ` entityID="https://accounts.google.test/o/saml2?idpid=C1" validUntil="2031-01-01T00:00:00.000Z">
<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + Base64(sign) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
</md:IDPSSODescriptor></md:EntityDescriptor>`,
		// Keycloak: default metadata namespace, an encryption key beside the signing one.
		"keycloak": `<EntitiesDescriptor Name="urn:keycloak" xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ` + dsig + `>
<EntityDescriptor entityID="https://kc.test/realms/r"><IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<KeyDescriptor use="signing"><ds:KeyInfo><ds:KeyName>k1</ds:KeyName><ds:X509Data><ds:X509Certificate>` + Base64(sign) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
<KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + Base64(enc) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
</IDPSSODescriptor></EntityDescriptor></EntitiesDescriptor>`,
		// A Shibboleth-style aggregate: a service provider and two identity providers.
		"aggregate": `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="fed">
<md:EntityDescriptor entityID="https://sp.test"><md:SPSSODescriptor>` + KeyDescriptor(` use="signing"`, enc) + `</md:SPSSODescriptor></md:EntityDescriptor>
` + IdPEntity("https://idp1.test/shibboleth", KeyDescriptor(` use="signing"`, sign)) + `
` + IdPEntity("https://idp2.test/shibboleth", KeyDescriptor("", next)) + `
</md:EntitiesDescriptor>`,
		// A rollover: the old and the new certificate published together.
		"rollover": IdPEntity("https://idp.test/rollover", KeyDescriptor(` use="signing"`, sign), KeyDescriptor(` use="signing"`, next)),
	}
}
