package wrapper

import (
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

// b64 is c's DER in base64 as IdPs publish it: wrapped at 64 columns, each line
// indented, CRLF line ends.
func b64(c *testCert) string {
	s := base64.StdEncoding.EncodeToString(c.x.Raw)
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString("\r\n\t\t  " + s[:64])
		s = s[64:]
	}
	b.WriteString("\r\n\t\t  " + s + "\r\n\t")
	return b.String()
}

// keyDesc is a KeyDescriptor (prefixes md: and ds:) with attrs (such as
// ` use="signing"`) holding certs in one X509Data.
func keyDesc(attrs string, certs ...*testCert) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<md:KeyDescriptor%s><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>`, attrs)
	for _, c := range certs {
		fmt.Fprintf(&b, "<ds:X509Certificate>%s</ds:X509Certificate>", b64(c))
	}
	b.WriteString(`</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
	return b.String()
}

// idpEntity is an EntityDescriptor (prefix md:) whose IDPSSODescriptor holds keys.
func idpEntity(entityID string, keys ...string) string {
	return fmt.Sprintf(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=%q>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    %s
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`, entityID, strings.Join(keys, "\n    "))
}

// mustParseMetadata parses doc, failing the test on error.
func mustParseMetadata(t *testing.T, doc string) *IdPMetadata {
	t.Helper()
	md, err := ParseIdPMetadata(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ParseIdPMetadata: %v\n%s", err, doc)
	}
	return md
}

// asSendGrid is c as the API returns it, PEM.
func asSendGrid(c *testCert) Certificate {
	return Certificate{ID: 1, PublicCertificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.x.Raw}))}
}

func TestParseIdPMetadataVariants(t *testing.T) {
	a := newTestCert(t, certSpec{cn: "signing A", serial: 1})
	b := newTestCert(t, certSpec{cn: "signing B", serial: 2})
	enc := newTestCert(t, certSpec{cn: "encryption", serial: 3})
	other := newTestCert(t, certSpec{cn: "elsewhere", serial: 4})
	ca := newTestCert(t, certSpec{cn: "issuing CA", serial: 5, ca: true})
	leaf := newTestCert(t, certSpec{cn: "leaf", serial: 6, parent: ca})
	dsig := `xmlns="http://www.w3.org/2000/09/xmldsig#"`

	cases := []struct {
		name    string
		doc     string
		signing []*testCert // want, in order
		entity  string      // want EntityID of the first
	}{
		{"md and ds prefixes", idpEntity("https://idp.test/okta", keyDesc(` use="signing"`, a)), []*testCert{a}, "https://idp.test/okta"},
		{"default namespaces, a document signature and a RoleDescriptor that do not count", `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ID="_1" entityID="https://sts.test/tenant/">
  <Signature ` + dsig + `><SignedInfo/><SignatureValue>AA==</SignatureValue>
    <KeyInfo><X509Data><X509Certificate>` + b64(other) + `</X509Certificate></X509Data></KeyInfo></Signature>
  <RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706">
    <KeyDescriptor use="signing"><KeyInfo ` + dsig + `><X509Data><X509Certificate>` + b64(other) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
  </RoleDescriptor>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo ` + dsig + `><X509Data><X509Certificate>` + b64(a) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
  </IDPSSODescriptor>
</EntityDescriptor>`, []*testCert{a}, "https://sts.test/tenant/"},
		{"unusual prefixes declared on the root", `<saml2md:EntityDescriptor xmlns:saml2md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:dsig="http://www.w3.org/2000/09/xmldsig#" entityID="kc">
  <saml2md:IDPSSODescriptor><saml2md:KeyDescriptor use="signing"><dsig:KeyInfo><dsig:X509Data><dsig:X509Certificate>` + b64(a) + `</dsig:X509Certificate></dsig:X509Data></dsig:KeyInfo></saml2md:KeyDescriptor></saml2md:IDPSSODescriptor>
</saml2md:EntityDescriptor>`, []*testCert{a}, "kc"},
		{"EntitiesDescriptor, nested, with a service provider whose key does not count", `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="federation">
  <md:EntitiesDescriptor Name="inner">
    <md:EntityDescriptor entityID="sp"><md:SPSSODescriptor>` + keyDesc(` use="signing"`, other) + `</md:SPSSODescriptor></md:EntityDescriptor>
    ` + idpEntity("idp-1", keyDesc("", a)) + `
  </md:EntitiesDescriptor>
  ` + idpEntity("idp-2", keyDesc(` use="signing"`, b)) + `
</md:EntitiesDescriptor>`, []*testCert{a, b}, "idp-1"},
		{"KeyDescriptor without use", idpEntity("e", keyDesc("", a)), []*testCert{a}, "e"},
		{"encryption key left out", idpEntity("e", keyDesc(` use="encryption"`, enc), keyDesc(` use="signing"`, a)), []*testCert{a}, "e"},
		{"two signing certificates (a rollover)", idpEntity("e", keyDesc(` use="signing"`, a), keyDesc(` use="signing"`, b)), []*testCert{a, b}, "e"},
		{"one certificate listed twice", idpEntity("e", keyDesc(` use="signing"`, a), keyDesc("", a)), []*testCert{a}, "e"},
		{"chain after the signer", idpEntity("e", keyDesc(` use="signing"`, leaf, ca)), []*testCert{leaf}, "e"},
		{"chain before the signer", idpEntity("e", keyDesc(` use="signing"`, ca, leaf)), []*testCert{leaf}, "e"},
		{"base64 with spaces, tabs and character references", idpEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>`+
			spaced(base64.StdEncoding.EncodeToString(a.x.Raw))+`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), []*testCert{a}, "e"},
		{"PEM armour inside X509Certificate", idpEntity("e", strings.Replace(keyDesc("", a), b64(a), "\n"+string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.x.Raw})), 1)), []*testCert{a}, "e"},
		{"PEM armour on one line, as pasted", idpEntity("e", strings.Replace(keyDesc("", a), b64(a), "-----BEGIN CERTIFICATE-----"+base64.StdEncoding.EncodeToString(a.x.Raw)+"-----END CERTIFICATE-----", 1)), []*testCert{a}, "e"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md := mustParseMetadata(t, tc.doc)
			var got, want []string
			for _, s := range md.SigningCertificates {
				got = append(got, s.Subject)
				if s.Fingerprint != FingerprintOf(s.Certificate) || s.NotAfter != s.Certificate.NotAfter || s.NotBefore != s.Certificate.NotBefore {
					t.Errorf("%s: fields disagree with the certificate", s.Subject)
				}
			}
			for _, c := range tc.signing {
				want = append(want, c.x.Subject.String())
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

func TestMatchIdPMetadata(t *testing.T) {
	old := newTestCert(t, certSpec{cn: "old", serial: 1})
	next := newTestCert(t, certSpec{cn: "next", serial: 2})
	enc := newTestCert(t, certSpec{cn: "encryption", serial: 3})
	ca := newTestCert(t, certSpec{cn: "ca", serial: 4, ca: true})
	leaf := newTestCert(t, certSpec{cn: "leaf", serial: 5, parent: ca})
	rollover := mustParseMetadata(t, idpEntity("e", keyDesc(` use="signing"`, old), keyDesc(` use="signing"`, next), keyDesc(` use="encryption"`, enc)))
	chain := mustParseMetadata(t, idpEntity("e", keyDesc("", leaf, ca)))

	cases := []struct {
		name      string
		md        *IdPMetadata
		sendgrid  Certificate
		wantIndex int
	}{
		{"holds the first of two", rollover, asSendGrid(old), 0},
		{"holds the second of two", rollover, asSendGrid(next), 1},
		{"holds the encryption certificate", rollover, asSendGrid(enc), -1},
		{"holds another certificate", rollover, asSendGrid(leaf), -1},
		{"holds the signer, bare base64 over lines", chain, Certificate{PublicCertificate: b64(leaf)}, 0},
		{"holds the chain's CA, not the signer", chain, asSendGrid(ca), -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.sendgrid.MatchIdPMetadata(tc.md)
			if err != nil {
				t.Fatal(err)
			}
			if m.Index != tc.wantIndex || m.Matched() != (tc.wantIndex >= 0) {
				t.Errorf("Index %d Matched %v, want index %d", m.Index, m.Matched(), tc.wantIndex)
			}
			x, _ := tc.sendgrid.X509()
			if m.Fingerprint != FingerprintOf(x) {
				t.Errorf("Fingerprint %s is not SendGrid's certificate's", m.Fingerprint)
			}
			if len(m.SigningCertificates) != len(tc.md.SigningCertificates) {
				t.Errorf("%d signing certificates listed, want all %d", len(m.SigningCertificates), len(tc.md.SigningCertificates))
			}
		})
	}

	if _, err := (Certificate{ID: 7}).MatchIdPMetadata(rollover); err == nil || !strings.Contains(err.Error(), "certificate 7 has no public_certificate") {
		t.Errorf("an empty SendGrid certificate: err = %v", err)
	}
}

func TestFingerprintString(t *testing.T) {
	var f Fingerprint
	for i := range f {
		f[i] = byte(i * 9)
	}
	want := "00:09:12:1B:24:2D:36:3F:48:51:5A:63:6C:75:7E:87:90:99:A2:AB:B4:BD:C6:CF:D8:E1:EA:F3:FC:05:0E:17"
	if f.String() != want {
		t.Errorf("String() = %s, want %s", f, want)
	}
}

func TestParseIdPMetadataErrors(t *testing.T) {
	a := newTestCert(t, certSpec{})
	cases := []struct {
		name, doc, want string
	}{
		{"empty", "", "no element"},
		{"text only", "metadata", "no element"},
		{"an HTML login page", "<html><body>Sign in</body></html>", "an HTML page, not SAML metadata"},
		{"an HTML login page with a DOCTYPE", "<!DOCTYPE html>\n<html lang=en><head><title>Sign in</title></head></html>", "an HTML page, not SAML metadata"},
		{"an XHTML page", `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"/>`, "an HTML page, not SAML metadata"},
		{"UTF-16 with a byte order mark, little-endian", utf16Text(idpEntity("e", keyDesc("", a)), false), "UTF-16: save it as UTF-8"},
		{"UTF-16 with a byte order mark, big-endian", utf16Text(idpEntity("e", keyDesc("", a)), true), "UTF-16: save it as UTF-8"},
		{"PEM armour around something else", idpEntity("e", strings.Replace(keyDesc("", a), b64(a), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("k")})), 1)), "X509Certificate 1 (entity e): no PEM CERTIFICATE block"},
		{"not well-formed", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor>`, "not well-formed XML"},
		{"the md prefix bound to another namespace", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:1.0:metadata"/>`, "root element is EntityDescriptor in namespace urn:oasis:names:tc:SAML:1.0:metadata"},
		{"service provider metadata", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><SPSSODescriptor/></EntityDescriptor>`, "no IDPSSODescriptor"},
		{"no KeyDescriptor", idpEntity("e"), "no signing certificate"},
		{"encryption only", idpEntity("e", keyDesc(` use="encryption"`, a)), `only 1 for encryption`},
		{"the ds prefix bound to another namespace", idpEntity("e", strings.ReplaceAll(keyDesc("", a), "2000/09/xmldsig#", "2000/09/other#")), "no signing certificate"},
		{"not base64", idpEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%%%</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "X509Certificate 1 (entity e): neither PEM nor base64 DER"},
		{"not a certificate", idpEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "not an X.509 certificate"},
		{"an empty certificate", idpEntity("e", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate> </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "X509Certificate 1 (entity e): empty"},
		{"an undeclared entity", idpEntity("&xxe;", keyDesc("", a)), "invalid character entity &xxe;"},
		{"an entityID with a terminal escape in an error", idpEntity("\x1b]0;owned\x07", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), `(entity \x1b]0;owned\a)`},
		{"an entityID with a bidi override in an error", idpEntity("e\u202egnp.exe", `<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`), "(entity e\\u202egnp.exe)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			md, err := ParseIdPMetadata(strings.NewReader(tc.doc))
			if !errors.Is(err, ErrInvalidIdPMetadata) {
				t.Fatalf("err = %v (metadata %v), want ErrInvalidIdPMetadata", err, md)
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

func TestParseIdPMetadataReaderError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ParseIdPMetadata(io.MultiReader(strings.NewReader("<md:Entity"), failingReader{boom}))
	if !errors.Is(err, boom) || errors.Is(err, ErrInvalidIdPMetadata) {
		t.Errorf("err = %v, want the reader's error, not ErrInvalidIdPMetadata", err)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// TestParseIdPMetadataRefusesDOCTYPE: no entity is declared, expanded or fetched. A
// DOCTYPE is refused outright (SAML metadata needs none), whatever it declares.
func TestParseIdPMetadataRefusesDOCTYPE(t *testing.T) {
	a := newTestCert(t, certSpec{})
	fetched := make(chan string, 10)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fetched <- r.URL.Path })
	body := idpEntity("&e;", keyDesc("", a))
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
			_, err := ParseIdPMetadata(strings.NewReader(`<?xml version="1.0"?>` + "\n" + doctype + "\n" + body))
			if !errors.Is(err, ErrInvalidIdPMetadata) || !strings.Contains(err.Error(), "<!DOCTYPE> declaration") {
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

// TestParseIdPMetadataBoundsHostileInput feeds 1 GiB streams and a deep nesting, and
// shows with the heap's allocation counter that memory stays bounded: the parse stops
// after MaxIdPMetadataSize+1 bytes whatever the stream holds, so a 1 GiB stream costs
// what a 2 MiB one does.
func TestParseIdPMetadataBoundsHostileInput(t *testing.T) {
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
		_, err := ParseIdPMetadata(r)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrInvalidIdPMetadata) || !strings.Contains(err.Error(), want) {
			t.Fatalf("%d-byte stream: err = %v, want %q", size, err, want)
		}
		return r.n, after.TotalAlloc - before.TotalAlloc
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			small, smallAlloc := parse(t, tc.head, tc.unit, tc.want, 2<<20)
			read, alloc := parse(t, tc.head, tc.unit, tc.want, 1<<30)
			t.Logf("1 GiB stream: read %d bytes, allocated %d bytes (2 MiB stream: %d, %d)", read, alloc, small, smallAlloc)
			if read > MaxIdPMetadataSize+1 {
				t.Errorf("read %d bytes of the stream, want at most %d", read, MaxIdPMetadataSize+1)
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

// TestParseIdPMetadataSizeLimitIsExact: a document of exactly MaxIdPMetadataSize
// bytes parses; one byte more is refused.
func TestParseIdPMetadataSizeLimitIsExact(t *testing.T) {
	doc := idpEntity("e", keyDesc("", newTestCert(t, certSpec{})))
	padded := doc + strings.Repeat(" ", MaxIdPMetadataSize-len(doc))
	if _, err := ParseIdPMetadata(strings.NewReader(padded)); err != nil {
		t.Errorf("a document of exactly %d bytes: %v", len(padded), err)
	}
	if _, err := ParseIdPMetadata(strings.NewReader(padded + " ")); !errors.Is(err, ErrInvalidIdPMetadata) {
		t.Errorf("a document one byte over: err = %v, want ErrInvalidIdPMetadata", err)
	}
}
