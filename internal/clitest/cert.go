package clitest

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

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
