package idpmetadata

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

// idpShapes are metadata documents in the shapes identity providers publish, each
// holding the signing certificate sign (and, for the rollover, next): the fuzzer's
// seeds, which it mutates from there.
func idpShapes(sign, next, enc *x509.Certificate) map[string]string {
	dsig := `xmlns:ds="http://www.w3.org/2000/09/xmldsig#"`
	return map[string]string{
		// Okta: md: prefix, base64 wrapped at 64 columns, one signing key.
		"okta": testcert.IdPEntity("http://www.okta.com/exk1", testcert.KeyDescriptor(` use="signing"`, sign)),
		// Entra ID / ADFS: default namespace, the document's signature first, a
		// RoleDescriptor before the IDPSSODescriptor, two signing keys.
		"entra": `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_a1" entityID="https://sts.windows.net/t/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/><SignatureValue>AA==</SignatureValue><KeyInfo><X509Data><X509Certificate>` + testcert.Base64(enc) + `</X509Certificate></X509Data></KeyInfo></Signature>
<RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + testcert.Base64(sign) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
</RoleDescriptor>
<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + testcert.Base64(sign) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + testcert.Base64(next) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.test/saml2"/>
</IDPSSODescriptor>
</EntityDescriptor>`,
		// Google: no use attribute, md: and ds: declared on the root.
		"google": `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ` + dsig + ` entityID="https://accounts.google.test/o/saml2?idpid=C1" validUntil="2031-01-01T00:00:00.000Z">
<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + testcert.Base64(sign) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
</md:IDPSSODescriptor></md:EntityDescriptor>`,
		// Keycloak: default metadata namespace, an encryption key beside the signing one.
		"keycloak": `<EntitiesDescriptor Name="urn:keycloak" xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ` + dsig + `>
<EntityDescriptor entityID="https://kc.test/realms/r"><IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<KeyDescriptor use="signing"><ds:KeyInfo><ds:KeyName>k1</ds:KeyName><ds:X509Data><ds:X509Certificate>` + testcert.Base64(sign) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
<KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + testcert.Base64(enc) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
</IDPSSODescriptor></EntityDescriptor></EntitiesDescriptor>`,
		// A Shibboleth-style aggregate: a service provider and two identity providers.
		"aggregate": `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="fed">
<md:EntityDescriptor entityID="https://sp.test"><md:SPSSODescriptor>` + testcert.KeyDescriptor(` use="signing"`, enc) + `</md:SPSSODescriptor></md:EntityDescriptor>
` + testcert.IdPEntity("https://idp1.test/shibboleth", testcert.KeyDescriptor(` use="signing"`, sign)) + `
` + testcert.IdPEntity("https://idp2.test/shibboleth", testcert.KeyDescriptor("", next)) + `
</md:EntitiesDescriptor>`,
		// A rollover: the old and the new certificate published together.
		"rollover": testcert.IdPEntity("https://idp.test/rollover", testcert.KeyDescriptor(` use="signing"`, sign), testcert.KeyDescriptor(` use="signing"`, next)),
	}
}

// FuzzIdPMetadata feeds any bytes, and mutations of the shapes real IdPs publish,
// to Parse. It never panics; it returns either an error that wraps
// ErrInvalid and reads as one printable line, or at least one signing
// certificate whose fields agree with the certificate, each once, each also in its
// entity's list; and the same input gives the same answer twice.
func FuzzIdPMetadata(f *testing.F) {
	sign := testcert.New(f, testcert.Spec{CN: "signing", Serial: 1}).X
	next := testcert.New(f, testcert.Spec{CN: "next", Serial: 2}).X
	enc := testcert.New(f, testcert.Spec{CN: "encryption", Serial: 3}).X
	for _, doc := range idpShapes(sign, next, enc) {
		f.Add([]byte(doc))
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`))
	f.Add([]byte("<html><body>Sign in</body></html>"))
	f.Add([]byte{0xff, 0xfe, '<', 0})
	f.Fuzz(func(t *testing.T, doc []byte) {
		md, err := Parse(bytes.NewReader(doc))
		again, err2 := Parse(bytes.NewReader(doc))
		if fmt.Sprint(err) != fmt.Sprint(err2) || (md == nil) != (again == nil) {
			t.Fatalf("two parses differ: %v / %v", err, err2)
		}
		if err != nil {
			if md != nil {
				t.Errorf("both metadata and an error: %v", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %q does not wrap ErrInvalid", err)
			}
			text := err.Error()
			if !utf8.ValidString(text) || len(text) > 2000 {
				t.Errorf("error is not short UTF-8 (%d bytes): %q", len(text), text)
			}
			for _, r := range text {
				if !unicode.IsPrint(r) && r != ' ' {
					t.Errorf("error holds unprintable %U: %q", r, text)
					break
				}
			}
			return
		}
		if len(md.SigningCertificates) == 0 {
			t.Fatal("no error and no signing certificate")
		}
		seen := map[Fingerprint]bool{}
		for i, s := range md.SigningCertificates {
			c := s.X509
			switch {
			case c == nil:
				t.Fatalf("certificate %d is nil", i)
			case s.Fingerprint != FingerprintOf(c), s.Subject != c.Subject.String(),
				!s.NotBefore.Equal(c.NotBefore), !s.NotAfter.Equal(c.NotAfter):
				t.Errorf("certificate %d: fields disagree with the certificate", i)
			case seen[s.Fingerprint]:
				t.Errorf("certificate %s listed twice", s.Fingerprint)
			}
			seen[s.Fingerprint] = true
			if j := len(again.SigningCertificates); i >= j || again.SigningCertificates[i].Fingerprint != s.Fingerprint ||
				again.SigningCertificates[i].EntityID != s.EntityID {
				t.Errorf("certificate %d differs between two parses", i)
			}
		}
		// Entities hold the same certificates, each under its own entity, each once
		// per entity; and every certificate of the flat list is in the entity it names.
		inEntity := map[string]map[Fingerprint]bool{} // by entityID: two entities may share one
		for _, e := range md.Entities {
			own := map[Fingerprint]bool{}
			for _, c := range e.SigningCertificates {
				switch {
				case c.EntityID != e.ID:
					t.Errorf("entity %q holds a certificate of entity %q", e.ID, c.EntityID)
				case !seen[c.Fingerprint]:
					t.Errorf("entity %q holds %s, which the flat list does not", e.ID, c.Fingerprint)
				case own[c.Fingerprint]:
					t.Errorf("entity %q lists %s twice", e.ID, c.Fingerprint)
				}
				own[c.Fingerprint] = true
				if inEntity[e.ID] == nil {
					inEntity[e.ID] = map[Fingerprint]bool{}
				}
				inEntity[e.ID][c.Fingerprint] = true
			}
		}
		for _, s := range md.SigningCertificates {
			if !inEntity[s.EntityID][s.Fingerprint] {
				t.Errorf("certificate %s of entity %q is in no entity of that ID", s.Fingerprint, s.EntityID)
			}
		}
	})
}
