package idpmetadata

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

func TestParseVariants(t *testing.T) {
	a := testcert.New(t, testcert.Spec{CN: "signing A", Serial: 1}).X
	b := testcert.New(t, testcert.Spec{CN: "signing B", Serial: 2}).X
	enc := testcert.New(t, testcert.Spec{CN: "encryption", Serial: 3}).X
	other := testcert.New(t, testcert.Spec{CN: "elsewhere", Serial: 4}).X
	ca, leaf := testcert.Chain(t, "issuing CA", "leaf")
	dsig := `xmlns="http://www.w3.org/2000/09/xmldsig#"`

	cases := []struct {
		name    string
		doc     string
		signing []*x509.Certificate // want, in order
		entity  string              // want EntityID of the first
	}{
		{"md and ds prefixes", testcert.IdPEntity("https://idp.test/okta", testcert.KeyDescriptor(` use="signing"`, a)), []*x509.Certificate{a}, "https://idp.test/okta"},
		{"default namespaces, a document signature and a RoleDescriptor that do not count", `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ID="_1" entityID="https://sts.test/tenant/">
  <Signature ` + dsig + `><SignedInfo/><SignatureValue>AA==</SignatureValue>
    <KeyInfo><X509Data><X509Certificate>` + testcert.Base64(other) + `</X509Certificate></X509Data></KeyInfo></Signature>
  <RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706">
    <KeyDescriptor use="signing"><KeyInfo ` + dsig + `><X509Data><X509Certificate>` + testcert.Base64(other) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
  </RoleDescriptor>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo ` + dsig + `><X509Data><X509Certificate>` + testcert.Base64(a) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
  </IDPSSODescriptor>
</EntityDescriptor>`, []*x509.Certificate{a}, "https://sts.test/tenant/"},
		{"unusual prefixes declared on the root", `<saml2md:EntityDescriptor xmlns:saml2md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:dsig="http://www.w3.org/2000/09/xmldsig#" entityID="kc">
  <saml2md:IDPSSODescriptor><saml2md:KeyDescriptor use="signing"><dsig:KeyInfo><dsig:X509Data><dsig:X509Certificate>` + testcert.Base64(a) + `</dsig:X509Certificate></dsig:X509Data></dsig:KeyInfo></saml2md:KeyDescriptor></saml2md:IDPSSODescriptor>
</saml2md:EntityDescriptor>`, []*x509.Certificate{a}, "kc"},
		{"EntitiesDescriptor, nested, with a service provider whose key does not count", `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="federation">
  <md:EntitiesDescriptor Name="inner">
    <md:EntityDescriptor entityID="sp"><md:SPSSODescriptor>` + testcert.KeyDescriptor(` use="signing"`, other) + `</md:SPSSODescriptor></md:EntityDescriptor>
    ` + testcert.IdPEntity("idp-1", testcert.KeyDescriptor("", a)) + `
  </md:EntitiesDescriptor>
  ` + testcert.IdPEntity("idp-2", testcert.KeyDescriptor(` use="signing"`, b)) + `
</md:EntitiesDescriptor>`, []*x509.Certificate{a, b}, "idp-1"},
		{"KeyDescriptor without use", testcert.IdPEntity("e", testcert.KeyDescriptor("", a)), []*x509.Certificate{a}, "e"},
		{"encryption key left out", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="encryption"`, enc), testcert.KeyDescriptor(` use="signing"`, a)), []*x509.Certificate{a}, "e"},
		{"two signing certificates (a rollover)", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="signing"`, a), testcert.KeyDescriptor(` use="signing"`, b)), []*x509.Certificate{a, b}, "e"},
		{"one certificate listed twice", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="signing"`, a), testcert.KeyDescriptor("", a)), []*x509.Certificate{a}, "e"},
		{"chain after the signer", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="signing"`, leaf, ca)), []*x509.Certificate{leaf}, "e"},
		{"chain before the signer", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="signing"`, ca, leaf)), []*x509.Certificate{leaf}, "e"},
		{"base64 with spaces, tabs and character references", testcert.IdPEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>`+
			spaced(base64.StdEncoding.EncodeToString(a.Raw))+`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), []*x509.Certificate{a}, "e"},
		{"PEM armour inside X509Certificate", testcert.IdPEntity("e", strings.Replace(testcert.KeyDescriptor("", a), testcert.Base64(a), "\n"+string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.Raw})), 1)), []*x509.Certificate{a}, "e"},
		{"PEM armour on one line, as pasted", testcert.IdPEntity("e", strings.Replace(testcert.KeyDescriptor("", a), testcert.Base64(a), "-----BEGIN CERTIFICATE-----"+base64.StdEncoding.EncodeToString(a.Raw)+"-----END CERTIFICATE-----", 1)), []*x509.Certificate{a}, "e"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md := mustParse(t, tc.doc)
			var got, want []string
			for _, s := range md.SigningCertificates {
				got = append(got, s.Subject)
				if s.Fingerprint != FingerprintOf(s.X509) || s.NotAfter != s.X509.NotAfter || s.NotBefore != s.X509.NotBefore {
					t.Errorf("%s: fields disagree with the certificate", s.Subject)
				}
			}
			for _, c := range tc.signing {
				want = append(want, c.Subject.String())
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("signing certificates %q, want %q", got, want)
			}
			if md.SigningCertificates[0].EntityID != tc.entity {
				t.Errorf("EntityID %q, want %q", md.SigningCertificates[0].EntityID, tc.entity)
			}
		})
	}
}

// TestParseEntities: each EntityDescriptor with an IDPSSODescriptor is an Entity with
// its own signing certificates, so that a service provider can be judged against the
// IdP it trusts and never against the certificates of an aggregate's other members. A
// certificate two entities publish is in both; the flat list holds it once.
func TestParseEntities(t *testing.T) {
	a := testcert.New(t, testcert.Spec{CN: "idp-1 current", Serial: 1}).X
	b := testcert.New(t, testcert.Spec{CN: "idp-1 next", Serial: 2}).X
	shared := testcert.New(t, testcert.Spec{CN: "shared", Serial: 3}).X
	enc := testcert.New(t, testcert.Spec{CN: "encryption", Serial: 4}).X
	sp := testcert.New(t, testcert.Spec{CN: "service provider", Serial: 5}).X
	doc := `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="federation">
  <md:EntityDescriptor entityID="sp"><md:SPSSODescriptor>` + testcert.KeyDescriptor(` use="signing"`, sp) + `</md:SPSSODescriptor></md:EntityDescriptor>
  ` + testcert.IdPEntity("idp-1", testcert.KeyDescriptor(` use="signing"`, a), testcert.KeyDescriptor(` use="signing"`, b), testcert.KeyDescriptor("", shared)) + `
  <md:EntitiesDescriptor Name="inner">
    ` + testcert.IdPEntity("idp-2", testcert.KeyDescriptor(` use="signing"`, shared), testcert.KeyDescriptor(` use="signing"`, shared)) + `
    ` + testcert.IdPEntity("idp-3", testcert.KeyDescriptor(` use="encryption"`, enc)) + `
  </md:EntitiesDescriptor>
</md:EntitiesDescriptor>`
	md := mustParse(t, doc)

	describe := func(certs []Certificate) string {
		var names []string
		for _, c := range certs {
			names = append(names, c.EntityID+":"+c.Subject)
		}
		return strings.Join(names, ", ")
	}
	var got []string
	for _, e := range md.Entities {
		got = append(got, e.ID+" ["+describe(e.SigningCertificates)+"]")
	}
	want := []string{
		"idp-1 [idp-1:CN=idp-1 current, idp-1:CN=idp-1 next, idp-1:CN=shared]",
		"idp-2 [idp-2:CN=shared]",
		"idp-3 []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entities:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if flat, want := describe(md.SigningCertificates), "idp-1:CN=idp-1 current, idp-1:CN=idp-1 next, idp-1:CN=shared"; flat != want {
		t.Errorf("SigningCertificates: %s, want %s", flat, want)
	}
	for _, e := range md.Entities {
		for _, c := range e.SigningCertificates {
			if c.Fingerprint != FingerprintOf(c.X509) || c.EntityID != e.ID {
				t.Errorf("entity %s: certificate %s: fields disagree", e.ID, c.Subject)
			}
		}
	}

	// One IdP's own metadata is one entity, holding what the flat list holds.
	one := mustParse(t, testcert.IdPEntity("https://idp.test/okta", testcert.KeyDescriptor(` use="signing"`, a), testcert.KeyDescriptor(` use="encryption"`, enc)))
	if len(one.Entities) != 1 || one.Entities[0].ID != "https://idp.test/okta" || describe(one.Entities[0].SigningCertificates) != describe(one.SigningCertificates) {
		t.Errorf("one IdP: entities %+v, want one holding %s", one.Entities, describe(one.SigningCertificates))
	}
}

// spaced breaks s with every kind of white space XML text may carry, literal and as
// character references.
func spaced(s string) string {
	var b strings.Builder
	seps := []string{"\n", " ", "\t", "&#13;&#10;", "\r\n   ", "&#x20;"}
	for i := 0; i < len(s); i += 17 {
		b.WriteString(s[i:min(i+17, len(s))])
		b.WriteString(seps[(i/17)%len(seps)])
	}
	return b.String()
}

func TestParseErrors(t *testing.T) {
	a := testcert.New(t, testcert.Spec{}).X
	cases := []struct {
		name, doc, want string
	}{
		{"empty", "", "no element"},
		{"text only", "metadata", "no element"},
		{"an HTML login page", "<html><body>Sign in</body></html>", "an HTML page, not SAML metadata"},
		{"an HTML login page with a DOCTYPE", "<!DOCTYPE html>\n<html lang=en><head><title>Sign in</title></head></html>", "an HTML page, not SAML metadata"},
		{"an XHTML page", `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"/>`, "an HTML page, not SAML metadata"},
		{"UTF-16 with a byte order mark, little-endian", utf16Text(testcert.IdPEntity("e", testcert.KeyDescriptor("", a)), false), "UTF-16: save it as UTF-8"},
		{"UTF-16 with a byte order mark, big-endian", utf16Text(testcert.IdPEntity("e", testcert.KeyDescriptor("", a)), true), "UTF-16: save it as UTF-8"},
		{"PEM armour around something else", testcert.IdPEntity("e", strings.Replace(testcert.KeyDescriptor("", a), testcert.Base64(a), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("k")})), 1)), "X509Certificate 1 (entity e): no PEM CERTIFICATE block"},
		{"not well-formed", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor>`, "not well-formed XML"},
		{"the md prefix bound to another namespace", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:1.0:metadata"/>`, "root element is EntityDescriptor in namespace urn:oasis:names:tc:SAML:1.0:metadata"},
		{"service provider metadata", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><SPSSODescriptor/></EntityDescriptor>`, "no IDPSSODescriptor"},
		{"no KeyDescriptor", testcert.IdPEntity("e"), "no signing certificate"},
		{"encryption only", testcert.IdPEntity("e", testcert.KeyDescriptor(` use="encryption"`, a)), `only 1 for encryption`},
		{"the ds prefix bound to another namespace", testcert.IdPEntity("e", strings.ReplaceAll(testcert.KeyDescriptor("", a), "2000/09/xmldsig#", "2000/09/other#")), "no signing certificate"},
		{"not base64", testcert.IdPEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%%%</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "X509Certificate 1 (entity e): neither PEM nor base64 DER"},
		{"not a certificate", testcert.IdPEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "not an X.509 certificate"},
		{"an empty certificate", testcert.IdPEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate> </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "X509Certificate 1 (entity e): empty"},
		{"an undeclared entity", testcert.IdPEntity("&xxe;", testcert.KeyDescriptor("", a)), "invalid character entity &xxe;"},
		{"an entityID with a terminal escape in an error", testcert.IdPEntity("\x1b]0;owned\x07", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), `(entity \x1b]0;owned\a)`},
		{"an entityID with a bidi override in an error", testcert.IdPEntity("e\u202egnp.exe", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "(entity e\\u202egnp.exe)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md, err := Parse(strings.NewReader(tc.doc))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v (metadata %v), want ErrInvalid", err, md)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to say %q", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x07\u202e") {
				t.Errorf("err = %q holds a control or bidi rune", err)
			}
		})
	}
}

// utf16Text is s in UTF-16 with a byte order mark, as Windows PowerShell's > and
// Out-File save text.
func utf16Text(s string, bigEndian bool) string {
	units := append([]uint16{0xfeff}, utf16.Encode([]rune(s))...)
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

func TestParseReaderError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := Parse(io.MultiReader(strings.NewReader("<md:Entity"), failingReader{boom}))
	if !errors.Is(err, boom) || errors.Is(err, ErrInvalid) {
		t.Errorf("err = %v, want the reader's error, not ErrInvalid", err)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// TestParseRefusesDOCTYPE: no entity is declared, expanded or fetched. A
// DOCTYPE is refused outright (SAML metadata needs none), whatever it declares.
func TestParseRefusesDOCTYPE(t *testing.T) {
	a := testcert.New(t, testcert.Spec{}).X
	fetched := make(chan string, 10)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fetched <- r.URL.Path })
	body := testcert.IdPEntity("&e;", testcert.KeyDescriptor("", a))
	body = body[strings.Index(body, "<md:EntityDescriptor"):]
	cases := map[string]string{
		"billion laughs": `<!DOCTYPE md:EntityDescriptor [
  <!ENTITY e "lol"> <!ENTITY e1 "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY e2 "&e1;&e1;&e1;&e1;&e1;&e1;&e1;&e1;&e1;&e1;">
  <!ENTITY e3 "&e2;&e2;&e2;&e2;&e2;&e2;&e2;&e2;&e2;&e2;"> <!ENTITY e9 "&e3;&e3;&e3;&e3;&e3;&e3;&e3;&e3;&e3;&e3;">
]>`,
		"external entity over http":   `<!DOCTYPE md:EntityDescriptor [ <!ENTITY e SYSTEM "` + srv.URL + `/xxe"> ]>`,
		"external entity from a file": `<!DOCTYPE md:EntityDescriptor [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>`,
		"parameter entity":            `<!DOCTYPE md:EntityDescriptor [ <!ENTITY % p SYSTEM "` + srv.URL + `/dtd"> %p; ]>`,
		"external DTD":                `<!DOCTYPE md:EntityDescriptor SYSTEM "` + srv.URL + `/dtd">`,
	}
	for name, doctype := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(`<?xml version="1.0"?>` + "\n" + doctype + "\n" + body))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "<!DOCTYPE> declaration") {
				t.Errorf("err = %v, want the DOCTYPE refused", err)
			}
		})
	}
	select {
	case path := <-fetched:
		t.Errorf("the parser fetched %s", path)
	default:
	}
}

// endless yields head, then unit over and over until size bytes in all, counting
// what was read: a 1 GiB document that never exists in memory.
type endless struct {
	head, unit []byte
	size, n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n >= e.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), e.size-e.n)]
	n := 0
	if e.n < int64(len(e.head)) {
		n = copy(p, e.head[e.n:])
	}
	for n < len(p) {
		off := (e.n + int64(n) - int64(len(e.head))) % int64(len(e.unit))
		n += copy(p[n:], e.unit[off:])
	}
	e.n += int64(n)
	return n, nil
}

// TestParseBoundsHostileInput feeds 1 GiB streams and a deep nesting, and
// shows with the heap's allocation counter that memory stays bounded: the parse stops
// after MaxSize+1 bytes whatever the stream holds, so a 1 GiB stream costs
// what a 2 MiB one does.
func TestParseBoundsHostileInput(t *testing.T) {
	head := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"><md:IDPSSODescriptor>`
	cert := `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>`
	cases := []struct {
		name, head, unit, want string
	}{
		{"text", head, "A", "larger than 1048576 bytes"},
		{"elements", head, `<md:Extensions a="b"/>`, "larger than 1048576 bytes"},
		{"one attribute", head + `<md:KeyDescriptor use="`, "s", "larger than 1048576 bytes"},
		{"inside a certificate", head + cert, "QUFB\n", "larger than 1048576 bytes"},
		{"comment", head + "<!--", "x", "larger than 1048576 bytes"},
		{"deep nesting", head, "<md:Extensions>", "nested deeper than 64 levels"},
	}
	// parse reads a stream of size bytes and returns how much it read and allocated.
	parse := func(t *testing.T, head, unit, want string, size int64) (read int64, alloc uint64) {
		r := &endless{head: []byte(head), unit: []byte(unit), size: size}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Parse(r)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Fatalf("%d-byte stream: err = %v, want %q", size, err, want)
		}
		return r.n, after.TotalAlloc - before.TotalAlloc
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			small, smallAlloc := parse(t, tc.head, tc.unit, tc.want, 2<<20)
			read, alloc := parse(t, tc.head, tc.unit, tc.want, 1<<30)
			t.Logf("1 GiB stream: read %d bytes, allocated %d bytes (2 MiB stream: %d, %d)", read, alloc, small, smallAlloc)
			if read > MaxSize+1 {
				t.Errorf("read %d bytes of the stream, want at most %d", read, MaxSize+1)
			}
			// The decoder keeps one token's text (up to the 1 MiB read) and allocates
			// per token; 32 MiB is 32 times less than the stream.
			if alloc > 32<<20 {
				t.Errorf("allocated %d bytes for a 1 GiB stream, want at most 32 MiB", alloc)
			}
			if alloc > smallAlloc+smallAlloc/10+64<<10 {
				t.Errorf("allocated %d bytes for a 1 GiB stream, %d for a 2 MiB one: memory grows with the input", alloc, smallAlloc)
			}
		})
	}
}

// TestParseSizeLimitIsExact: a document of exactly MaxSize
// bytes parses; one byte more is refused.
func TestParseSizeLimitIsExact(t *testing.T) {
	doc := testcert.IdPEntity("e", testcert.KeyDescriptor("", testcert.New(t, testcert.Spec{}).X))
	padded := doc + strings.Repeat(" ", MaxSize-len(doc))
	if _, err := Parse(strings.NewReader(padded)); err != nil {
		t.Errorf("a document of exactly %d bytes: %v", len(padded), err)
	}
	if _, err := Parse(strings.NewReader(padded + " ")); !errors.Is(err, ErrInvalid) {
		t.Errorf("a document one byte over: err = %v, want ErrInvalid", err)
	}
}

// TestParseEscapesXMLErrors: encoding/xml quotes the bytes it stumbled on; they reach
// the error escaped (FuzzIdPMetadata found raw invalid UTF-8 there), and the
// *xml.SyntaxError is still there for errors.As.
func TestParseEscapesXMLErrors(t *testing.T) {
	_, err := Parse(strings.NewReader("&\xdd\x1b[31m "))
	var syntax *xml.SyntaxError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &syntax) {
		t.Fatalf("err = %v, want ErrInvalid and an *xml.SyntaxError", err)
	}
	if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsAny(msg, "\x1b") || !strings.Contains(msg, `\xdd`) {
		t.Errorf("err = %q: want the bytes escaped", msg)
	}
	// encoding/xml quotes an entity name whole, however long.
	_, err = Parse(strings.NewReader("&" + strings.Repeat("\xd2", 5000)))
	if msg := err.Error(); len(msg) > 400 || !errors.As(err, &syntax) {
		t.Errorf("a 5000-byte entity name: %d bytes of error text (%v), want it cut short, still an *xml.SyntaxError", len(msg), errors.As(err, &syntax))
	}
}
