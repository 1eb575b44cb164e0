package check

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// parse parses doc, failing the test on error.
func parse(t *testing.T, doc string) *idpmetadata.Metadata {
	t.Helper()
	md, err := idpmetadata.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return md
}

// asSendGrid is c as the API returns it, PEM.
func asSendGrid(c *x509.Certificate) wrapper.Certificate {
	return wrapper.Certificate{ID: 1, PublicCertificate: testcert.PEM(c)}
}

// TestMatchMetadata compares SendGrid's certificate, in the encodings the API sends,
// with the signing certificates of parsed metadata.
func TestMatchMetadata(t *testing.T) {
	old := testcert.New(t, testcert.Spec{CN: "old", Serial: 1}).X
	next := testcert.New(t, testcert.Spec{CN: "next", Serial: 2}).X
	enc := testcert.New(t, testcert.Spec{CN: "encryption", Serial: 3}).X
	ca, leaf := testcert.Chain(t, "ca", "leaf")
	rollover := parse(t, testcert.IdPEntity("e", testcert.KeyDescriptor(` use="signing"`, old), testcert.KeyDescriptor(` use="signing"`, next), testcert.KeyDescriptor(` use="encryption"`, enc)))
	chain := parse(t, testcert.IdPEntity("e", testcert.KeyDescriptor("", leaf, ca)))

	cases := []struct {
		name      string
		md        *idpmetadata.Metadata
		sendgrid  wrapper.Certificate
		wantIndex int
	}{
		{"holds the first of two", rollover, asSendGrid(old), 0},
		{"holds the second of two", rollover, asSendGrid(next), 1},
		{"holds the encryption certificate", rollover, asSendGrid(enc), -1},
		{"holds another certificate", rollover, asSendGrid(leaf), -1},
		{"holds the signer, bare base64 over lines", chain, wrapper.Certificate{PublicCertificate: testcert.Base64(leaf)}, 0},
		{"holds the chain's CA, not the signer", chain, asSendGrid(ca), -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, err := tc.sendgrid.X509()
			if err != nil {
				t.Fatal(err)
			}
			m := MatchMetadata(x, tc.md)
			if m.Index != tc.wantIndex || m.Matched() != (tc.wantIndex >= 0) {
				t.Errorf("Index %d Matched %v, want index %d", m.Index, m.Matched(), tc.wantIndex)
			}
			if m.Fingerprint != idpmetadata.FingerprintOf(x) {
				t.Errorf("Fingerprint %s is not SendGrid's certificate's", m.Fingerprint)
			}
			if len(m.SigningCertificates) != len(tc.md.SigningCertificates) {
				t.Errorf("%d signing certificates listed, want all %d", len(m.SigningCertificates), len(tc.md.SigningCertificates))
			}
		})
	}
}
