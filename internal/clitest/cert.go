package clitest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// DefaultX509 is the fake's default certificate, parsed here independently of the CLI.
func DefaultX509(t *testing.T) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode([]byte(ssotest.DefaultCertificate().PublicCertificate))
	if block == nil {
		t.Fatal("the default certificate is not PEM")
	}
	x, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TextFields reads cert's text output: "label  value" lines into a map.
func TextFields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		label, value, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("line %q has no label", line)
		}
		m[label] = strings.TrimSpace(value)
	}
	return m
}

// Fingerprint is the SHA-256 of x's DER as upper-case hex pairs joined by colons,
// computed here independently of the code under test.
func Fingerprint(x *x509.Certificate) string {
	sum := sha256.Sum256(x.Raw)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.Join(pairs, ":")
}

// WantFingerprint fails unless fp is the colon-separated SHA-256 of der.
func WantFingerprint(t *testing.T, fp string, der []byte) {
	t.Helper()
	got, err := hex.DecodeString(strings.ReplaceAll(fp, ":", ""))
	if err != nil {
		t.Fatalf("fingerprint %q is not colon-separated hex: %v", fp, err)
	}
	if want := sha256.Sum256(der); !bytes.Equal(got, want[:]) {
		t.Errorf("fingerprint %s is not the certificate's SHA-256", fp)
	}
	if len(fp) != 32*3-1 || strings.ToUpper(fp) != fp {
		t.Errorf("fingerprint %q is not upper-case hex pairs joined by colons, as openssl prints it", fp)
	}
}

// NewCert returns a fresh self-signed P-256 certificate for cn, valid for a year from
// yesterday.
func NewCert(t *testing.T, cn string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-24 * time.Hour),
		NotAfter:     time.Now().AddDate(1, 0, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// IdPMetadata is SAML 2.0 metadata of an IdP (entityID entity) that signs with
// signing and encrypts with encryption (nil: no such KeyDescriptor); base64 wrapped
// over lines, as IdPs publish it.
func IdPMetadata(entity string, encryption *x509.Certificate, signing ...*x509.Certificate) string {
	key := func(use string, c *x509.Certificate) string {
		b64 := base64.StdEncoding.EncodeToString(c.Raw)
		var lines []string
		for len(b64) > 64 {
			lines, b64 = append(lines, b64[:64]), b64[64:]
		}
		lines = append(lines, b64)
		return fmt.Sprintf(`
    <md:KeyDescriptor use="%s"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
      %s
    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`, use, strings.Join(lines, "\n      "))
	}
	var keys strings.Builder
	for _, c := range signing {
		keys.WriteString(key("signing", c))
	}
	if encryption != nil {
		keys.WriteString(key("encryption", encryption))
	}
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID=%q>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">%s
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`, entity, keys.String())
}
