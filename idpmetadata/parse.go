package idpmetadata

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/certtext"
	"github.com/sendgrid-sso/sendgrid-sso/internal/outbound"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
)

// This file is where metadata is parsed: the signing certificates of the identity
// providers a SAML 2.0 metadata document describes. Fetching it from a URL is in
// fetch.go.

// Limits on metadata, which comes from outside and is parsed before anything about it
// is trusted.
const (
	// MaxSize is the most metadata Parse reads: 1 MiB, the module's one cap on what it
	// reads from outside (a SendGrid response body has the same). One IdP's metadata
	// is a few kilobytes; federation aggregates that list thousands of entities are
	// far larger and are not what this is for.
	MaxSize = outbound.MaxBodySize
	// maxMetadataDepth is the deepest element nesting accepted. The certificate sits
	// at depth 7 (EntityDescriptor, IDPSSODescriptor, KeyDescriptor, KeyInfo, X509Data,
	// X509Certificate, under one EntitiesDescriptor); extensions go a little deeper.
	maxMetadataDepth = 64
)

// XML namespaces of SAML 2.0 metadata and of XML signature. Elements are matched on
// namespace and local name, whatever prefix (md:, ds:, saml2md:, none) a document uses.
const (
	samlMetadataNS = "urn:oasis:names:tc:SAML:2.0:metadata"
	xmlDSigNS      = "http://www.w3.org/2000/09/xmldsig#"
)

// ErrInvalid is wrapped by every error that says metadata cannot be used: larger than
// MaxSize, not well-formed XML, not SAML 2.0 metadata, holding no identity provider or
// no signing certificate, a certificate that does not parse, or (from Fetch) a status
// other than 200.
var ErrInvalid = errors.New("invalid idp metadata")

// Metadata is what Parse found in SAML 2.0 metadata: the certificates the identity
// providers it describes sign with.
type Metadata struct {
	// SigningCertificates are the certificates of the KeyDescriptors of every
	// IDPSSODescriptor that are for signing (use="signing", or no use attribute, which
	// means both signing and encryption), in document order, each once, whatever
	// entity they belong to. Certificates that only extend a chain (the issuer of
	// another certificate in the same KeyDescriptor) are left out: they do not sign.
	// There is at least one: metadata without a signing certificate is an error. An
	// IdP rolling its key over lists the old and the new one.
	SigningCertificates []Certificate
	// Entities are the identity providers, one per EntityDescriptor that has an
	// IDPSSODescriptor, in document order: one for an IdP's own metadata, several for
	// an aggregate (an EntitiesDescriptor). Judge a service provider's certificate
	// against the entity it trusts, never against the certificates of all.
	Entities []Entity
}

// Entity is one identity provider of the metadata.
type Entity struct {
	// ID is the entityID of its EntityDescriptor, as the document has it (it comes
	// from outside: escape it before showing it).
	ID string
	// SigningCertificates are its signing certificates, chosen as for
	// Metadata.SigningCertificates, in document order, each once. It is empty for an
	// IdP that publishes encryption certificates only.
	SigningCertificates []Certificate
}

// Certificate is one signing certificate an identity provider publishes.
type Certificate struct {
	// EntityID is the entityID of the EntityDescriptor the certificate is in, as the
	// document has it (it comes from outside: escape it before showing it).
	EntityID string
	// Fingerprint is the SHA-256 of the certificate's DER.
	Fingerprint Fingerprint
	// Subject is the certificate's subject, as pkix.Name.String prints it.
	Subject string
	// NotBefore and NotAfter are the certificate's validity window.
	NotBefore, NotAfter time.Time
	// X509 is the parsed certificate.
	X509 *x509.Certificate
}

// Parse reads SAML 2.0 metadata from r: an EntityDescriptor, or an EntitiesDescriptor
// aggregating several (nested aggregates too), and returns the signing certificates of
// their IDPSSODescriptors, in all and by entity. Any namespace prefixes are accepted,
// and base64 broken over lines or padded with spaces.
//
// The certificate in an X509Certificate element may also be wrapped in PEM armour
// ("-----BEGIN CERTIFICATE-----"). The document must be UTF-8 (with or without a byte
// order mark): a UTF-16 one, which Windows PowerShell's > and Out-File write, is
// refused with an error that says to save it as UTF-8, and an HTML page (a sign-in
// page where the metadata URL was expected) with one that says so.
//
// The input is treated as hostile: at most MaxSize bytes are read (a longer input is
// an error, not a truncation), nesting deeper than 64 elements is an error, and so is
// any DOCTYPE: SAML metadata needs none, so no entity can be declared, let alone
// fetched or expanded. Every error that says the metadata is unusable wraps
// ErrInvalid; an error from r is returned wrapped as is.
func Parse(r io.Reader) (*Metadata, error) {
	cr := &outbound.CappedReader{R: r, Max: MaxSize}
	br := bufio.NewReader(cr)
	if head, _ := br.Peek(2); isUTF16(head) {
		return nil, fmt.Errorf("%w: the document is in UTF-16: save it as UTF-8 and try again (Windows PowerShell's > and Out-File write UTF-16; Invoke-WebRequest -Uri URL -OutFile metadata.xml keeps the IdP's own bytes), or give the metadata URL", ErrInvalid)
	}
	md, err := parseMetadata(xml.NewDecoder(br))
	switch {
	case cr.Over():
		return nil, fmt.Errorf("%w: larger than %d bytes (1 MiB); one IdP's metadata is a few kilobytes: give the metadata of the IdP alone, not a federation aggregate", ErrInvalid, MaxSize)
	case cr.Err() != nil:
		return nil, fmt.Errorf("reading idp metadata: %w", cr.Err())
	}
	return md, err
}

// isUTF16 reports whether a document that starts with head is UTF-16: a byte order
// mark, or a '<' with a zero byte beside it.
func isUTF16(head []byte) bool {
	if len(head) < 2 {
		return false
	}
	a, b := head[0], head[1]
	return a == 0xff && b == 0xfe || a == 0xfe && b == 0xff || a == '<' && b == 0 || a == 0 && b == '<'
}

// errHTMLPage says that what was given is an HTML page, such as an IdP's sign-in page,
// rather than its metadata.
var errHTMLPage = fmt.Errorf("%w: this is an HTML page, not SAML metadata (a sign-in page?): give the metadata URL from the IdP's SAML app settings "+
	"(Okta: the app's Sign On tab, Metadata URL; Entra ID: the app's Single sign-on page, App Federation Metadata Url; "+
	"ADFS: /FederationMetadata/2007-06/FederationMetadata.xml), or the XML file saved from it", ErrInvalid)

// keyDescriptor is a KeyDescriptor being read: whether it is for signing, and the
// certificates of its KeyInfo.
type keyDescriptor struct {
	signing bool
	certs   []*x509.Certificate
}

// metadataReader is the state of one Parse.
type metadataReader struct {
	stack      []xml.Name // open elements, the innermost last
	root       bool       // a root element was read
	entityID   string     // of the EntityDescriptor being read
	entity     int        // its index in result.Entities, or -1 before its IDPSSODescriptor
	entitySeen map[Fingerprint]bool
	idps       int // IDPSSODescriptors seen
	key        *keyDescriptor
	collect    bool         // inside a KeyDescriptor's X509Certificate
	text       bytes.Buffer // its text so far
	certCount  int          // X509Certificate elements read, for error messages
	encOnly    int          // certificates skipped as encryption-only
	seen       map[Fingerprint]bool
	result     Metadata
}

// maxXMLErrorText bounds the text of encoding/xml's errors, which quote the bytes
// they stumbled on, raw and as many as they are (a 9 kB entity name).
const maxXMLErrorText = 200

func parseMetadata(d *xml.Decoder) (*Metadata, error) {
	d.Strict = true
	mr := &metadataReader{seen: map[Fingerprint]bool{}, entity: -1}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Escaped, as all text from the document is, and cut short; errors.As
			// still finds the *xml.SyntaxError.
			return nil, fmt.Errorf("%w: not well-formed XML: %w", ErrInvalid, redact.ErrorCut(err, maxXMLErrorText))
		}
		if err := mr.token(tok); err != nil {
			return nil, err
		}
	}
	switch {
	case !mr.root:
		return nil, fmt.Errorf("%w: the document has no element; want SAML 2.0 metadata (an EntityDescriptor)", ErrInvalid)
	case mr.idps == 0:
		return nil, fmt.Errorf("%w: no IDPSSODescriptor: this is SAML metadata, but not of an identity provider (service provider metadata?); give the IdP's metadata URL or file", ErrInvalid)
	case len(mr.result.SigningCertificates) == 0 && mr.encOnly > 0:
		return nil, fmt.Errorf("%w: the IdP publishes no signing certificate, only %d for encryption (KeyDescriptor use=\"encryption\")", ErrInvalid, mr.encOnly)
	case len(mr.result.SigningCertificates) == 0:
		return nil, fmt.Errorf("%w: the IdP publishes no signing certificate (no X509Certificate in a KeyDescriptor of its IDPSSODescriptor)", ErrInvalid)
	}
	return &mr.result, nil
}

func (mr *metadataReader) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.Directive:
		if words := strings.Fields(string(t)); len(words) >= 2 && strings.EqualFold(words[0], "DOCTYPE") && strings.EqualFold(words[1], "html") {
			return errHTMLPage
		}
		return fmt.Errorf("%w: the document has a <!%s> declaration; SAML metadata needs none, and it is refused so that no entity can be declared", ErrInvalid, safetext.Line(firstWord(string(t)), 40))
	case xml.StartElement:
		return mr.start(t)
	case xml.EndElement:
		return mr.end()
	case xml.CharData:
		if mr.collect {
			mr.text.Write(t) // bounded by the capped input
		}
	}
	return nil
}

func (mr *metadataReader) start(t xml.StartElement) error {
	if len(mr.stack) >= maxMetadataDepth {
		return fmt.Errorf("%w: elements nested deeper than %d levels; SAML metadata is far shallower", ErrInvalid, maxMetadataDepth)
	}
	parent := xml.Name{}
	if len(mr.stack) > 0 {
		parent = mr.stack[len(mr.stack)-1]
	}
	mr.stack = append(mr.stack, t.Name)
	name := t.Name
	switch {
	case len(mr.stack) == 1:
		if strings.EqualFold(name.Local, "html") {
			return errHTMLPage
		}
		if name.Space != samlMetadataNS || (name.Local != "EntityDescriptor" && name.Local != "EntitiesDescriptor") {
			return fmt.Errorf("%w: the root element is %s; SAML 2.0 metadata starts with EntityDescriptor or EntitiesDescriptor in namespace %s", ErrInvalid, describeName(name), samlMetadataNS)
		}
		mr.root = true
		if name.Local == "EntityDescriptor" {
			mr.startEntity(t)
		}
	case isName(name, samlMetadataNS, "EntityDescriptor") && isName(parent, samlMetadataNS, "EntitiesDescriptor"):
		mr.startEntity(t)
	case isName(name, samlMetadataNS, "IDPSSODescriptor") && isName(parent, samlMetadataNS, "EntityDescriptor"):
		mr.idps++
		mr.currentEntity()
	case isName(name, samlMetadataNS, "KeyDescriptor") && isName(parent, samlMetadataNS, "IDPSSODescriptor"):
		use := strings.TrimSpace(attr(t, "use"))
		mr.key = &keyDescriptor{signing: use == "" || use == "signing"}
	case isName(name, xmlDSigNS, "X509Certificate") && mr.key != nil && mr.inKeyInfo():
		mr.collect = true
		mr.text.Reset()
	}
	return nil
}

// startEntity notes the EntityDescriptor t: its entityID, and no Entity yet (one is
// added when an IDPSSODescriptor shows it is an identity provider).
func (mr *metadataReader) startEntity(t xml.StartElement) {
	mr.entityID = attr(t, "entityID")
	mr.entity = -1
}

// currentEntity returns the Entity of the EntityDescriptor being read, added to the
// result on first use.
func (mr *metadataReader) currentEntity() *Entity {
	if mr.entity < 0 {
		mr.result.Entities = append(mr.result.Entities, Entity{ID: mr.entityID})
		mr.entity = len(mr.result.Entities) - 1
		mr.entitySeen = map[Fingerprint]bool{}
	}
	return &mr.result.Entities[mr.entity]
}

// inKeyInfo reports whether the open element sits at
// KeyDescriptor/KeyInfo/X509Data/X509Certificate.
func (mr *metadataReader) inKeyInfo() bool {
	n := len(mr.stack)
	return n >= 4 &&
		isName(mr.stack[n-2], xmlDSigNS, "X509Data") &&
		isName(mr.stack[n-3], xmlDSigNS, "KeyInfo") &&
		isName(mr.stack[n-4], samlMetadataNS, "KeyDescriptor")
}

func (mr *metadataReader) end() error {
	name := mr.stack[len(mr.stack)-1]
	mr.stack = mr.stack[:len(mr.stack)-1]
	switch {
	case mr.collect && isName(name, xmlDSigNS, "X509Certificate"):
		mr.collect = false
		mr.certCount++
		cert, err := parseMetadataCertificate(mr.text.String())
		if err != nil {
			return fmt.Errorf("%w: X509Certificate %d (entity %s): %w", ErrInvalid, mr.certCount, safeEntityID(mr.entityID), err)
		}
		mr.key.certs = append(mr.key.certs, cert)
	case mr.key != nil && isName(name, samlMetadataNS, "KeyDescriptor"):
		mr.addKey(mr.key)
		mr.key = nil
	}
	return nil
}

// addKey adds the signing certificates of a finished KeyDescriptor, to the entity's
// and to the whole document's list, once to each.
func (mr *metadataReader) addKey(k *keyDescriptor) {
	if !k.signing {
		mr.encOnly += len(k.certs)
		return
	}
	entity := mr.currentEntity()
	for _, c := range signers(k.certs) {
		fp := FingerprintOf(c)
		cert := Certificate{
			EntityID:    mr.entityID,
			Fingerprint: fp,
			Subject:     c.Subject.String(),
			NotBefore:   c.NotBefore,
			NotAfter:    c.NotAfter,
			X509:        c,
		}
		if !mr.entitySeen[fp] {
			mr.entitySeen[fp] = true
			entity.SigningCertificates = append(entity.SigningCertificates, cert)
		}
		if !mr.seen[fp] {
			mr.seen[fp] = true
			mr.result.SigningCertificates = append(mr.result.SigningCertificates, cert)
		}
	}
}

// signers returns the certificates of one KeyInfo that hold its key. XML signature
// lets X509Data carry the chain of the key's certificate; a chain element is the
// issuer of another certificate in the set (its subject is that one's issuer) and
// does not sign. Comparing names is enough here: the metadata is trusted or not as a
// whole, and this only picks which of its certificates is the key's.
func signers(certs []*x509.Certificate) []*x509.Certificate {
	if len(certs) < 2 {
		return certs
	}
	var out []*x509.Certificate
	for _, c := range certs {
		issuesAnother := false
		for _, d := range certs {
			if d != c && !bytes.Equal(d.RawIssuer, d.RawSubject) && bytes.Equal(d.RawIssuer, c.RawSubject) {
				issuesAnother = true
				break
			}
		}
		if !issuesAnother {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return certs // a cycle of names: no way to tell, keep them all
	}
	return out
}

// parseMetadataCertificate decodes the text of an X509Certificate element: base64
// DER, with any white space (line breaks, indentation) ignored, or the same inside PEM
// armour (certtext.DER), which some IdPs and hand-edited files put there.
func parseMetadataCertificate(text string) (*x509.Certificate, error) {
	der, err := certtext.DER(text)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("not an X.509 certificate: %w", err)
	}
	return cert, nil
}

func isName(n xml.Name, space, local string) bool { return n.Space == space && n.Local == local }

// attr returns the value of the unqualified attribute local of t, or "".
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// describeName names an element of the document for an error: its local name and
// namespace, escaped.
func describeName(n xml.Name) string {
	if n.Space == "" {
		return fmt.Sprintf("%s (no namespace)", safetext.Line(n.Local, 80))
	}
	return fmt.Sprintf("%s in namespace %s", safetext.Line(n.Local, 80), safetext.Line(n.Space, 120))
}

// safeEntityID is an entityID fit for an error message.
func safeEntityID(id string) string {
	if id == "" {
		return "without entityID"
	}
	return safetext.Line(id, 120)
}

// firstWord is the first word of s, such as "DOCTYPE".
func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		return s[:i]
	}
	return s
}
