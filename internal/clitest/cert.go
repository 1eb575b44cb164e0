package clitest

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
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
	now := time.Now()
	return testcert.New(t, testcert.Spec{CN: cn, Serial: now.UnixNano(), NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(1, 0, 0)}).X
}

// IdPMetadata is SAML 2.0 metadata of an IdP (entityID entity) that signs with
// signing and encrypts with encryption (nil: no such KeyDescriptor); base64 wrapped
// over lines, as IdPs publish it.
func IdPMetadata(entity string, encryption *x509.Certificate, signing ...*x509.Certificate) string {
	var keys []string
	for _, c := range signing {
		keys = append(keys, testcert.KeyDescriptor(` use="signing"`, c))
	}
	if encryption != nil {
		keys = append(keys, testcert.KeyDescriptor(` use="encryption"`, encryption))
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + testcert.IdPEntity(entity, keys...) + "\n"
}
