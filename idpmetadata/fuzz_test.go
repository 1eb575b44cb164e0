package idpmetadata

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

// FuzzIdPMetadata feeds any bytes, and mutations of the shapes real IdPs publish,
// to Parse. It never panics; it returns either an error that wraps
// ErrInvalid and reads as one printable line, or at least one signing
// certificate whose fields agree with the certificate, each once, each also in its
// entity's list; and the same input gives the same answer twice.
func FuzzIdPMetadata(f *testing.F) {
	sign := testcert.New(f, testcert.Spec{CN: "signing", Serial: 1}).X
	next := testcert.New(f, testcert.Spec{CN: "next", Serial: 2}).X
	enc := testcert.New(f, testcert.Spec{CN: "encryption", Serial: 3}).X
	for _, doc := range testcert.IdPShapes(sign, next, enc) {
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
