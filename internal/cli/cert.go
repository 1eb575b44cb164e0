package cli

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/internal/inventory"
	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

var certCommand = &command{
	name:     "cert",
	synopsis: "[--format text|json|prometheus] [--warn-within DURATION] [--idp-metadata URL|FILE [--entity-id ID]] [--pem] (--all | CERT_ID...)",
	summary:  "show SSO certificates; check their expiry and the IdP's metadata",
	about: `Fetches the SSO (SAML) certificates CERT_ID... (at most 4 at a time) and prints,
in argument order, each one's ID, integration ID, validity window (RFC 3339, with how
long is left in plain words, rounded to the nearest day, hour, minute or second) and,
parsed from the certificate itself, its subject, issuer, serial and SHA-256
fingerprint. The validity window is the API's not_before and not_after; when the API
sends none, the certificate's own. White space around an ID is dropped.

--all shows instead the certificates of every integration of the account: it lists
the integrations, then the certificates of each (at most 4 lists at a time), and
prints them integration by integration, in the API's order, each with its
integration's name, entity ID (the IdP's issuer) and whether it is enabled.

Checks (each only when asked for; a failed check exits 4; they compare exact times):
` + Table(
		Row{"--warn-within 30d", "fails for a certificate that has expired, is not yet valid, or expires within the window (30d, or any Go duration: 720h)."},
		Row{"--idp-metadata SRC", "fails unless SendGrid's certificate is among the signing certificates of the IdP's SAML 2.0 metadata, read from SRC: an https URL (plain http only on loopback; at most 1 MiB, within --timeout) or a file. The output lists every signing certificate the IdP publishes: during a key rollover, the one not yet at SendGrid is the one to upload before the IdP switches to it."},
		Row{"", "A certificate is judged against one entity of the metadata, never the certificates of all the entities of an aggregate: with --all, the EntityDescriptor whose entityID is its integration's entity ID; with CERT_ID, the metadata's only entity. --entity-id ID picks the entity by hand (for both)."},
	) + `
Formats:
` + Table(
		Row{formatText, "a line per field, its label then its value; a blank line between certificates."},
		Row{formatJSON, "one JSON object per line per certificate (JSON Lines; --json is the same): id (a number), integration_id, not_before and not_after (RFC 3339), expires_in_seconds (negative once expired), status (valid, expired or not yet valid), remaining, subject, issuer, serial (hex), sha256_fingerprint (colon-separated hex, as openssl prints it), public_certificate (PEM); with --idp-metadata, idp_metadata (matches, signing_certificates, error); with a check, check (passed, failures)."},
		Row{formatPrometheus, "the Prometheus text format, for node_exporter's textfile collector: sendgrid_sso_certificate_not_before_timestamp_seconds and _not_after_timestamp_seconds (labels cert_id, integration_id), with --idp-metadata _idp_metadata_match (1 or 0), with --all sendgrid_sso_integration_info (labels integration_id, name, entity_id, enabled; 1) and, with --idp-metadata too, sendgrid_sso_idp_rollover_pending (label integration_id: how many unexpired signing certificates of its entity SendGrid lacks) and sendgrid_sso_idp_certificate_not_after_timestamp_seconds (labels entity_id, fingerprint_sha256; every signing certificate of the metadata), and sendgrid_sso_certificate_check_success (label cert_id): 1 when the certificate was fetched and every check asked for passed, else 0, so that a failed fetch is a series, not a gap. Label values are exactly the IDs (escaped as the format escapes them); on a terminal, other controls are escaped too."},
	) + `
--pem prints the certificates alone, as PEM, for piping:
  sendgrid-sso cert --pem 66138975 | openssl x509 -noout -text

A certificate that cannot be fetched is reported on stderr and left out of text and
json output. With several IDs the exit status is the most severe of all of them, in
this order:
` + exitOrderTable(),
	args:     []string{"CERT_ID"},
	variadic: true,
	optional: true, // --all stands for them
	setup: func(fs *flag.FlagSet) runFunc {
		o := &certOptions{}
		fs.StringVar(&o.format, "format", formatText, "output `format`: text, json or prometheus")
		asJSON := fs.Bool("json", false, "the same as --format json")
		fs.BoolVar(&o.pem, "pem", false, "print the certificates alone, as PEM")
		fs.BoolVar(&o.all, "all", false, "show the certificates of every integration, instead of CERT_ID...")
		fs.Var(&o.warnWithin, "warn-within", "check: fail for a certificate that expires within this `duration` (30d, 720h), has expired or is not yet valid")
		fs.StringVar(&o.idpMetadata, "idp-metadata", "", "check: fail unless the IdP's SAML metadata at this `URL|FILE` lists the certificate for signing")
		fs.StringVar(&o.entityID, "entity-id", "", "with --idp-metadata: judge against the entity with this entityID (`ID`), not the integration's")
		return func(ctx context.Context, g *globals, args []string) error {
			if err := o.resolve(fs, *asJSON, args); err != nil {
				return err
			}
			return runCert(ctx, g, o, args)
		}
	},
}

// certOptions are cert's flags.
type certOptions struct {
	format      string
	pem         bool
	warnWithin  days
	warnSet     bool // --warn-within was given (0 still checks expired and not yet valid)
	idpMetadata string
	all         bool // --all: every integration's certificates, no CERT_ID
	entityID    string
}

// resolve checks the flags against each other and the IDs for repeats.
func (o *certOptions) resolve(fs *flag.FlagSet, asJSON bool, ids []string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o.warnSet = set["warn-within"]
	if err := resolveFormat(fs, &o.format, asJSON, formatText, formatJSON, formatPrometheus); err != nil {
		return err
	}
	if o.pem {
		for _, other := range []string{"json", "format", "warn-within", "idp-metadata"} {
			if set[other] {
				return &UsageError{Err: fmt.Errorf("--%s and --pem exclude each other: --pem prints the certificates alone", other)}
			}
		}
	}
	switch {
	case o.all && len(ids) > 0:
		return &UsageError{Err: fmt.Errorf("--all and CERT_ID %s exclude each other: give one or the other", safetext.Escape(ids[0]))}
	case o.entityID != "" && o.idpMetadata == "":
		return &UsageError{Err: fmt.Errorf("--entity-id picks an entity of --idp-metadata: give --idp-metadata too")}
	case !o.all && len(ids) == 0:
		return &UsageError{Err: fmt.Errorf("missing CERT_ID: give a certificate's ID, or --all")}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return &UsageError{Err: fmt.Errorf("CERT_ID %s is given twice", safetext.Escape(id))}
		}
		seen[id] = true
	}
	return nil
}

// certResult is what cert found for one CERT_ID, or with --all for one certificate
// of an integration; with --all, an integration whose certificates could not be
// listed is one result with no id and the error.
type certResult struct {
	id          string
	cert        *wrapper.Certificate
	integration *wrapper.Integration  // with --all, the certificate's integration
	held        []wrapper.Certificate // with --all, all its integration's certificates
	view        *CertView
	err         error // the fetch's, or the certificate's when it does not parse
}

// listFailed reports whether r stands for an integration whose certificates could
// not be listed, not for a certificate.
func (r *certResult) listFailed() bool { return r.integration != nil && r.id == "" }

// describe names r in an error: the certificate, or the integration it stands for.
func (r *certResult) describe() string {
	if r.listFailed() {
		return "integration " + safetext.Escape(r.integration.ID)
	}
	return "cert " + safetext.Escape(r.id)
}

// runCert fetches the certificates, runs the checks, writes the output in argument
// order and reports each failure on stderr. It returns a reported exit status: the
// most severe of all outcomes (see exitSeverity).
func runCert(ctx context.Context, g *globals, o *certOptions, ids []string) error {
	client, err := g.apiClient()
	if err != nil {
		return err
	}
	var idp *idpCheck
	if o.idpMetadata != "" {
		md, err := loadIdPMetadata(ctx, g, o.idpMetadata)
		if ExitCode(err) == ExitUsage {
			return err
		}
		idp = &idpCheck{md: md, err: err}
	}
	var results []certResult
	var integrations []inventory.Integration
	if o.all {
		integrations, results, err = listAllCertificates(ctx, g, client)
		if err != nil {
			return err
		}
	} else {
		results = fetchCertificates(ctx, ids, func(ctx context.Context, id string) (*wrapper.Certificate, error) {
			return withTimeout(ctx, g, func(ctx context.Context) (*wrapper.Certificate, error) { return client.GetSSOCertificate(ctx, id) })
		})
	}
	now := time.Now()
	for i := range results {
		r := &results[i]
		if r.err == nil {
			r.view, r.err = NewCertView(r.cert, now)
		}
		if r.err == nil {
			r.view.Integration = newIntegrationView(r.integration)
			r.view.runChecks(o, idp, r, now)
		}
	}

	extra := promExtra{}
	for _, in := range integrations {
		extra.integrations = append(extra.integrations, in.Integration)
	}
	if o.all && idp != nil && idp.err == nil {
		extra.md = idp.md
		extra.pending = inventory.RolloverPending(idp.md, integrations, o.entityID, now)
	}
	if err := writeCerts(g.stdout, o, results, extra, idp != nil); err != nil {
		return &outputError{fmt.Errorf("writing the certificate to stdout: %w", err)}
	}

	status := ExitOK
	if idp != nil && idp.err != nil {
		Report(g.stderr, Name, idp.err, g.apiKey)
		status = worseExit(status, ExitCode(idp.err))
	}
	for _, r := range results {
		err := r.err
		if err == nil && r.view.Check != nil && !r.view.Check.Passed {
			err = &checkFailed{id: r.id, failures: r.view.Check.Failures}
		} else if err != nil && (len(ids) > 1 || o.all) {
			err = fmt.Errorf("%s: %w", r.describe(), err)
		}
		if err != nil {
			Report(g.stderr, Name, err, g.apiKey)
			status = worseExit(status, ExitCode(err))
		}
	}
	if status == ExitOK {
		return nil
	}
	return reported(status)
}

// fetchCertificates runs fetch for every ID, at most inventory.MaxConcurrent at a
// time, and returns the results in the order of ids.
func fetchCertificates(ctx context.Context, ids []string, fetch func(context.Context, string) (*wrapper.Certificate, error)) []certResult {
	results := make([]certResult, len(ids))
	inventory.Bounded(len(ids), func(i int) {
		results[i].id = ids[i]
		results[i].cert, results[i].err = fetch(ctx, ids[i])
	})
	return results
}

// listAllCertificates is cert --all's fetch: inventory.Read, each list within
// --timeout. It returns the integrations in the API's order and their certificates
// integration by integration; an integration whose certificates could not be listed
// is one result with the error (see certResult.listFailed).
func listAllCertificates(ctx context.Context, g *globals, client *wrapper.Client) ([]inventory.Integration, []certResult, error) {
	integrations, err := inventory.Read(ctx, client, func(ctx context.Context, call func(context.Context) error) error {
		_, err := withTimeout(ctx, g, func(ctx context.Context) (struct{}, error) { return struct{}{}, call(ctx) })
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var results []certResult
	for i := range integrations {
		in := &integrations[i]
		if in.Err != nil {
			results = append(results, certResult{integration: &in.Integration, err: in.Err})
			continue
		}
		for j := range in.Certificates {
			c := &in.Certificates[j]
			results = append(results, certResult{id: strconv.FormatInt(c.ID, 10), cert: c, integration: &in.Integration, held: in.Certificates})
		}
	}
	return integrations, results, nil
}

// writeCerts writes the certificates fetched in the format o asks for; extra is
// what only the Prometheus format shows.
func writeCerts(w io.Writer, o *certOptions, results []certResult, extra promExtra, withIdP bool) error {
	if o.format == formatPrometheus && !o.pem {
		return writePrometheus(w, results, extra, withIdP)
	}
	first := true
	for _, r := range results {
		if r.view == nil {
			continue
		}
		var err error
		switch {
		case o.pem:
			// Re-encoded from the parsed DER: nothing else the server sent.
			_, err = io.WriteString(w, r.view.PEM)
		case o.format == formatJSON:
			err = r.view.writeJSON(w)
		default:
			if !first {
				_, err = io.WriteString(w, "\n")
			}
			if err == nil {
				err = r.view.WriteText(w)
			}
		}
		if err != nil {
			return err
		}
		first = false
	}
	return nil
}

// CertView is what cert shows of a certificate, in text or as JSON.
type CertView struct {
	ID                int64     `json:"id"`
	IntegrationID     string    `json:"integration_id"`
	NotBefore         time.Time `json:"not_before"`
	NotAfter          time.Time `json:"not_after"`
	ExpiresInSeconds  int64     `json:"expires_in_seconds"`
	Status            string    `json:"status"`
	Remaining         string    `json:"remaining"`
	Subject           string    `json:"subject"`
	Issuer            string    `json:"issuer"`
	Serial            string    `json:"serial"`
	SHA256Fingerprint string    `json:"sha256_fingerprint"`
	PEM               string    `json:"public_certificate"`
	// Integration is the certificate's integration, with --all.
	Integration *integrationView `json:"integration,omitempty"`
	// IdPMetadata is the comparison with --idp-metadata, when given.
	IdPMetadata *idpView `json:"idp_metadata,omitempty"`
	// Check is the outcome of the checks asked for, when any was.
	Check *checkView `json:"check,omitempty"`
}

// NewCertView describes cert as of now. A public certificate that does not parse
// is an invalid response (errors.Is wrapper.ErrInvalidResponse).
func NewCertView(cert *wrapper.Certificate, now time.Time) (*CertView, error) {
	x, err := cert.X509()
	if err != nil {
		return nil, invalidResponse{err}
	}
	notBefore, notAfter := check.Window(cert, x)
	status, remaining := validity(now, notBefore, notAfter)
	return &CertView{
		ID:                cert.ID,
		IntegrationID:     cert.IntegrationID,
		NotBefore:         notBefore.UTC(),
		NotAfter:          notAfter.UTC(),
		ExpiresInSeconds:  int64(notAfter.Sub(now) / time.Second),
		Status:            status,
		Remaining:         remaining,
		Subject:           x.Subject.String(),
		Issuer:            x.Issuer.String(),
		Serial:            serialHex(x),
		SHA256Fingerprint: idpmetadata.FingerprintOf(x).String(),
		PEM:               string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: x.Raw})),
	}, nil
}

// WriteText writes v as cert prints it: one "label  value" line per field, escaped
// for the terminal (the integration ID, the subject, the issuer and what the IdP's
// metadata says are anyone's text).
func (v *CertView) WriteText(w io.Writer) error {
	var lines []string
	line := func(label, format string, args ...any) {
		lines = append(lines, fmt.Sprintf("%-11s  %s", label, fmt.Sprintf(format, args...)))
	}
	line("certificate", "%d", v.ID)
	line("integration", "%s", field(v.IntegrationID))
	if in := v.Integration; in != nil {
		line("name", "%s", field(in.Name))
		line("entity id", "%s", field(in.EntityID))
		line("enabled", "%t", in.Enabled)
	}
	line("valid from", "%s", v.NotBefore.Format(time.RFC3339))
	line("valid until", "%s (%s)", v.NotAfter.Format(time.RFC3339), v.Remaining)
	line("subject", "%s", field(v.Subject))
	line("issuer", "%s", field(v.Issuer))
	line("serial", "%s", v.Serial)
	line("sha256", "%s", v.SHA256Fingerprint)
	if m := v.IdPMetadata; m != nil {
		m.writeText(line)
	}
	if c := v.Check; c != nil {
		if c.Passed {
			line("check", "passed")
		} else {
			line("check", "FAILED: %s", strings.Join(c.Failures, "; "))
		}
	}
	return writeLines(w, lines...)
}

// writeJSON writes v as cert --json prints it: one JSON object on one line, escaped
// for the terminal.
func (v *CertView) writeJSON(w io.Writer) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeJSONSafe(w, append(doc, '\n'))
}

// serialHex is the serial as openssl's -serial prints it: upper-case hex, whole bytes.
func serialHex(x *x509.Certificate) string {
	b := x.SerialNumber.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	s := strings.ToUpper(hex.EncodeToString(b))
	if x.SerialNumber.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// integrationView is what cert --all shows of a certificate's integration.
type integrationView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	EntityID string `json:"entity_id"`
	Enabled  bool   `json:"enabled"`
}

// newIntegrationView is the view of in, or nil for none.
func newIntegrationView(in *wrapper.Integration) *integrationView {
	if in == nil {
		return nil
	}
	return &integrationView{ID: in.ID, Name: in.Name, EntityID: in.EntityID, Enabled: in.Enabled}
}
