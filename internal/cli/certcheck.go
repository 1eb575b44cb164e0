package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/internal/inventory"
	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// The checks of cert: --warn-within (the validity window) and --idp-metadata
// (whether the IdP signs with the certificate SendGrid holds). They are judged in
// internal/check; here are their flags' inputs, their views and their failures.

// checkFailed is a check asked for that failed for one certificate (exit status 4).
type checkFailed struct {
	id       string
	failures []string
}

// Error says which certificate failed which checks.
func (e *checkFailed) Error() string {
	return fmt.Sprintf("cert %s: check failed: %s", safetext.Escape(e.id), strings.Join(e.failures, "; "))
}

// checkView is the outcome of the checks asked for, as cert shows it.
type checkView struct {
	Passed   bool     `json:"passed"`
	Failures []string `json:"failures,omitempty"`
}

// idpCheck is the IdP metadata cert compares with, or why it could not be read.
type idpCheck struct {
	md  *idpmetadata.Metadata
	err error
}

// idpView is the comparison of a certificate with the IdP's metadata.
type idpView struct {
	// Matches is whether the certificate is among the IdP's signing certificates.
	Matches bool `json:"matches"`
	// SigningCertificates are all of them, in the metadata's order.
	SigningCertificates []idpCertView `json:"signing_certificates,omitempty"`
	// EntityID is the entity the certificate was judged against.
	EntityID string `json:"entity_id,omitempty"`
	// Error is why the metadata could not be compared (then Matches is false).
	Error string `json:"error,omitempty"`
	// unread is true when Error is the metadata's, reported on stderr once.
	unread bool
	// index is where the judged certificate is in SigningCertificates (-1: nowhere).
	index int
}

// idpCertView is one signing certificate of the IdP.
type idpCertView struct {
	EntityID          string    `json:"entity_id"`
	SHA256Fingerprint string    `json:"sha256_fingerprint"`
	Subject           string    `json:"subject"`
	NotBefore         time.Time `json:"not_before"`
	NotAfter          time.Time `json:"not_after"`
	// AtSendGrid is true for each certificate SendGrid holds: the one judged, and with
	// --all any other of its integration's.
	AtSendGrid bool `json:"at_sendgrid"`
}

// loadIdPMetadata reads --idp-metadata (ReadIdPMetadata) within --timeout.
func loadIdPMetadata(ctx context.Context, g *globals, src string) (*idpmetadata.Metadata, error) {
	return withTimeout(ctx, g, func(ctx context.Context) (*idpmetadata.Metadata, error) { return ReadIdPMetadata(ctx, src) })
}

// ReadIdPMetadata reads --idp-metadata's src, as sendgrid-sso and sendgrid-sso-exporter
// take it: a URL (anything with "://"), fetched within ctx (https, or http on
// loopback; see idpmetadata.Fetch), or a file. A file that cannot be opened is a
// usage error.
func ReadIdPMetadata(ctx context.Context, src string) (*idpmetadata.Metadata, error) {
	if strings.Contains(src, "://") {
		// No client Timeout: ctx is the bound.
		md, err := idpmetadata.Fetch(ctx, &http.Client{}, src)
		if err != nil {
			return nil, fmt.Errorf("--idp-metadata: %w", err)
		}
		return md, nil
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, &UsageError{Err: fmt.Errorf("--idp-metadata: %w: give the IdP's metadata URL (https://...) or a file", err)}
	}
	defer func() { _ = f.Close() }()
	md, err := idpmetadata.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("--idp-metadata %s: %w", safetext.Escape(src), err)
	}
	return md, nil
}

// runChecks runs the checks o asks for on v (the view of cert) as of now, and
// records them in v.IdPMetadata and v.Check.
func (v *CertView) runChecks(o *certOptions, idp *idpCheck, r *certResult, now time.Time) {
	if !o.warnSet && idp == nil {
		return
	}
	c := &checkView{}
	if o.warnSet {
		e := check.ExpiryAt(now, v.NotBefore, v.NotAfter, o.warnWithin.d)
		switch {
		case e.Status != check.Valid:
			c.Failures = append(c.Failures, v.Remaining)
		case !e.Passed:
			c.Failures = append(c.Failures, fmt.Sprintf("%s, within --warn-within %s", v.Remaining, o.warnWithin.raw))
		}
	}
	if idp != nil {
		v.IdPMetadata = compareIdP(idp, o, entityToJudge(o, r), r.cert, r.held)
		switch {
		case idp.err != nil:
			c.Failures = append(c.Failures, "the IdP metadata could not be read")
		case v.IdPMetadata.Error != "":
			c.Failures = append(c.Failures, v.IdPMetadata.Error)
		case !v.IdPMetadata.Matches:
			c.Failures = append(c.Failures, "the IdP does not sign with this certificate")
		}
	}
	c.Passed = len(c.Failures) == 0
	v.Check = c
}

// entityToJudge is the entity ID r's certificate is judged against: --entity-id,
// else with --all its integration's, else none ("" is the metadata's only entity).
func entityToJudge(o *certOptions, r *certResult) string {
	if r.integration == nil {
		return o.entityID
	}
	return inventory.EntityOf(r.integration, o.entityID)
}

// entityError says why no entity of the metadata could be picked for entityID.
func entityError(err error, entityID string, o *certOptions) string {
	switch {
	case errors.Is(err, check.ErrSeveralEntities):
		return "the IdP metadata describes several entities: pick one with --entity-id"
	case o.entityID != "":
		return fmt.Sprintf("the IdP metadata has no entity %q (--entity-id)", entityID)
	default:
		return fmt.Sprintf("the IdP metadata has no entity %q, the integration's entity ID: fix the integration's SAML issuer, or pick an entity with --entity-id", entityID)
	}
}

// compareIdP compares cert with the signing certificates of the entity entityID of
// the IdP's metadata (see check.ChooseEntity); held are all the certificates SendGrid
// holds beside it for the same integration (with --all), so that a certificate
// already uploaded is not named as one to upload.
func compareIdP(idp *idpCheck, o *certOptions, entityID string, cert *wrapper.Certificate, held []wrapper.Certificate) *idpView {
	if idp.err != nil {
		return &idpView{Error: idp.err.Error(), unread: true}
	}
	e, plan, err := inventory.Judge(idp.md, entityID, held)
	if err != nil {
		return &idpView{Error: entityError(err, entityID, o)}
	}
	x, err := cert.X509()
	if err != nil { // cert parsed in NewCertView already; kept for safety
		return &idpView{Error: err.Error()}
	}
	m := check.MatchEntity(x, e)
	view := &idpView{Matches: m.Matched(), EntityID: e.ID, index: m.Index}
	// What else of the entity the integration holds is the rollover plan's Held.
	atSendGrid := map[idpmetadata.Fingerprint]bool{}
	for _, h := range plan.Held {
		atSendGrid[h.Fingerprint] = true
	}
	for i, s := range m.SigningCertificates {
		view.SigningCertificates = append(view.SigningCertificates, idpCertView{
			EntityID:          s.EntityID,
			SHA256Fingerprint: s.Fingerprint.String(),
			Subject:           s.Subject,
			NotBefore:         s.NotBefore.UTC(),
			NotAfter:          s.NotAfter.UTC(),
			AtSendGrid:        i == m.Index || atSendGrid[s.Fingerprint],
		})
	}
	return view
}

// writeText writes the comparison as cert's text lines: whether it matches, and the
// IdP's other signing certificates, which are the ones to upload before the IdP
// switches to them.
func (m *idpView) writeText(line func(label, format string, args ...any)) {
	switch {
	case m.unread:
		line("idp metadata", "NOT CHECKED: the metadata could not be read (see stderr)")
		return
	case m.Error != "":
		line("idp metadata", "NOT CHECKED: %s", field(m.Error))
		return
	}
	n := len(m.SigningCertificates)
	describe := func(c idpCertView) string {
		return fmt.Sprintf("%s (%s, expires %s)", c.SHA256Fingerprint, field(c.Subject), c.NotAfter.Format(time.RFC3339))
	}
	if !m.Matches {
		if n == 1 {
			line("idp metadata", "DOES NOT MATCH: the IdP signs with %s", describe(m.SigningCertificates[0]))
			return
		}
		line("idp metadata", "DOES NOT MATCH: the IdP signs with %d other certificates; upload the one it uses to SendGrid", n)
		for _, c := range m.SigningCertificates {
			line("idp signs", "%s", describe(c))
		}
		return
	}
	line("idp metadata", "matches signing certificate %d of %d (entity %s)", m.index+1, n, field(m.SigningCertificates[m.index].EntityID))
	for i, c := range m.SigningCertificates {
		switch {
		case i == m.index:
		case c.AtSendGrid:
			line("idp other", "%s: at SendGrid too", describe(c))
		default:
			line("idp other", "%s: not at SendGrid; upload it before the IdP switches to it", describe(c))
		}
	}
}
