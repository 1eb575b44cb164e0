package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/internal/inventory"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

var syncCommand = &command{
	name:     "sync",
	synopsis: "[--format text|json] --idp-metadata URL|FILE [--integration ID] [--apply]",
	summary:  "upload the IdP's new signing certificates to SendGrid (a dry run without --apply)",
	about: `Compares, for each integration whose entity ID is the entityID of an entity of the
IdP's SAML metadata (or only for --integration ID, judged against the entity of its
entity ID), the IdP's signing certificates with the certificates SendGrid holds, by
SHA-256 fingerprint, and prints each one SendGrid lacks (subject, fingerprint,
validity). The certificates of an aggregate's entities are never pooled.

Without --apply nothing is sent: exit status 4 when there is something to upload, 0
when SendGrid is in step. With --apply each missing certificate is uploaded
(enabled), from a list made in this run, so that a rerun finds nothing to do; an
expired certificate is never uploaded. Certificates SendGrid holds that the IdP no
longer publishes are reported and never deleted.

Metadata none of whose entities is an integration's entity ID, without
--integration, is an error (exit 2) and nothing is sent.

Formats:
` + Table(
		Row{formatText, "a block of lines per integration, a label then the finding; a blank line between integrations."},
		Row{formatJSON, "one JSON object per line per certificate of the plan (JSON Lines; --json is the same): action, integration_id, integration (id, name, entity_id, enabled, as cert --all --format json has it), id (SendGrid's certificate, a number: for held, not_at_idp and uploaded), sha256_fingerprint, subject, not_before and not_after (RFC 3339). action is one of: to_upload (dry run), uploaded (--apply; id is the new certificate's), upload_failed (--apply; the error is on stderr), held (SendGrid holds it), not_at_idp (SendGrid holds it, the IdP no longer publishes it: kept), expired (the IdP publishes it, SendGrid lacks it: never uploaded). An integration whose certificates could not be listed has no line."},
		Row{formatPrometheus, "not for sync: sendgrid-sso cert --all --format prometheus --idp-metadata URL|FILE exports the same plan as sendgrid_sso_idp_rollover_pending."},
	) + `
Exit statuses:
` + Table(
		Row{"0", "in step, or with --apply everything missing was uploaded"},
		Row{"1", "an error answer, an unusable response or unusable IdP metadata"},
		Row{"2", "usage, or no integration matches the metadata"},
		Row{"3", "no answer"},
		Row{"4", "dry run: there are certificates to upload (rerun with --apply)"},
		Row{"5", "the output could not be written"},
	),
	setup: func(fs *flag.FlagSet) runFunc {
		o := &syncOptions{}
		fs.StringVar(&o.format, "format", formatText, "output `format`: text or json")
		asJSON := fs.Bool("json", false, "the same as --format json")
		fs.StringVar(&o.idpMetadata, "idp-metadata", "", "the IdP's SAML metadata: an https `URL|FILE` (required)")
		fs.StringVar(&o.integration, "integration", "", "sync only the integration with this `ID`")
		fs.BoolVar(&o.apply, "apply", false, "upload the missing certificates (without it, a dry run)")
		return func(ctx context.Context, g *globals, _ []string) error {
			if o.format == formatPrometheus {
				return &UsageError{Err: errors.New("--format prometheus: sync writes text or json; for metrics of the rollover use sendgrid-sso cert --all --format prometheus --idp-metadata URL|FILE (sendgrid_sso_idp_rollover_pending)")}
			}
			if err := resolveFormat(fs, &o.format, *asJSON, formatText, formatJSON); err != nil {
				return err
			}
			if o.idpMetadata == "" {
				return &UsageError{Err: errors.New("missing --idp-metadata: give the IdP's metadata URL (https://...) or a file")}
			}
			return runSync(ctx, g, o)
		}
	},
}

// syncOptions are sync's flags.
type syncOptions struct {
	format      string // formatText or formatJSON
	idpMetadata string
	integration string
	apply       bool
}

// syncTarget is one integration sync works on: its entity, and, once listed, its
// certificates and its rollover plan.
type syncTarget struct {
	integration wrapper.Integration
	entity      idpmetadata.Entity
	held        []wrapper.Certificate // those that parse, in the API's order
	plan        check.Rollover
	err         error         // listing its certificates
	findings    []syncFinding // what sync found, or did, for each certificate
}

// runSync is sync: it picks the integrations, lists their certificates (at most
// inventory.MaxConcurrent lists at a time), plans, prints the plan and, with --apply,
// uploads.
func runSync(ctx context.Context, g *globals, o *syncOptions) error {
	client, err := g.apiClient()
	if err != nil {
		return err
	}
	md, err := loadIdPMetadata(ctx, g, o.idpMetadata)
	if err != nil {
		return err
	}
	integrations, err := withTimeout(ctx, g, client.ListSSOIntegrations)
	if err != nil {
		return fmt.Errorf("listing the integrations: %w", err)
	}
	targets, err := syncTargets(md, integrations, o.integration)
	if err != nil {
		return err
	}
	inventory.Bounded(len(targets), func(i int) {
		t := &targets[i]
		var list []wrapper.Certificate
		list, t.err = withTimeout(ctx, g, func(ctx context.Context) ([]wrapper.Certificate, error) {
			return client.ListSSOCertificates(ctx, t.integration.ID)
		})
		for _, c := range list {
			if _, err := c.X509(); err == nil { // one that does not parse cannot match
				t.held = append(t.held, c)
			}
		}
		t.plan = check.PlanRollover(t.entity, inventory.ParsedCerts(t.held))
	})

	now := time.Now()
	pending, status := 0, ExitOK
	for i := range targets {
		t := &targets[i]
		if t.err != nil {
			Report(g.stderr, Name, fmt.Errorf("integration %q: %w", t.integration.ID, t.err), g.apiKey)
			status = worseExit(status, ExitCode(t.err))
			continue
		}
		for _, c := range t.plan.Missing {
			switch {
			case !check.Uploadable(c, now):
				t.findings = append(t.findings, syncFinding{action: actionExpired, cert: c})
			case !o.apply:
				pending++
				t.findings = append(t.findings, syncFinding{action: actionToUpload, cert: c})
			default:
				created, err := withTimeout(ctx, g, func(ctx context.Context) (*wrapper.Certificate, error) {
					return client.CreateSSOCertificate(ctx, t.integration.ID, c.X509)
				})
				if err != nil {
					Report(g.stderr, Name, fmt.Errorf("integration %q: uploading %s: %w", t.integration.ID, c.Fingerprint, err), g.apiKey)
					status = worseExit(status, ExitCode(err))
					t.findings = append(t.findings, syncFinding{action: actionUploadFailed, cert: c})
					continue
				}
				t.findings = append(t.findings, syncFinding{action: actionUploaded, cert: c, id: created.ID})
			}
		}
		t.findings = append(t.findings, t.heldFindings()...)
	}
	write := writeSyncText
	if o.format == formatJSON {
		write = writeSyncJSON
	}
	if err := write(g.stdout, targets); err != nil {
		return &outputError{fmt.Errorf("writing the plan to stdout: %w", err)}
	}
	if pending > 0 && !o.apply {
		Report(g.stderr, Name, fmt.Errorf("dry run: %d certificate(s) to upload, nothing sent: rerun with --apply to upload them", pending), g.apiKey)
		status = worseExit(status, ExitCheck)
	}
	if status == ExitOK {
		return nil
	}
	return reported(status)
}

// Actions of sync's findings: what the plan says of one certificate (the action
// field of sync --format json).
const (
	actionToUpload     = "to_upload"     // dry run: the entity publishes it, SendGrid lacks it
	actionUploaded     = "uploaded"      // --apply: uploaded, as certificate id
	actionUploadFailed = "upload_failed" // --apply: the upload failed (reported on stderr)
	actionHeld         = "held"          // the entity publishes it and SendGrid holds it, as id
	actionNotAtIdP     = "not_at_idp"    // SendGrid holds it (id), the entity no longer publishes it: kept
	actionExpired      = "expired"       // the entity publishes it, SendGrid lacks it, it has expired: not uploaded
)

// syncFinding is what sync found, or did, for one certificate of an integration.
type syncFinding struct {
	action string
	cert   idpmetadata.Certificate // the IdP's; for not_at_idp, SendGrid's, described alike
	id     int64                   // SendGrid's certificate: held, not_at_idp, uploaded
}

// heldFindings are t's held findings, in the entity's order, then its not_at_idp
// ones, in the API's order.
func (t *syncTarget) heldFindings() []syncFinding {
	var out []syncFinding
	ids := map[idpmetadata.Fingerprint]int64{}
	for i := len(t.held) - 1; i >= 0; i-- { // the first of duplicates wins
		x, _ := t.held[i].X509()
		ids[idpmetadata.FingerprintOf(x)] = t.held[i].ID
	}
	for _, c := range t.plan.Held {
		out = append(out, syncFinding{action: actionHeld, cert: c, id: ids[c.Fingerprint]})
	}
	for _, at := range t.plan.Stale {
		c := &t.held[at]
		x, _ := c.X509()
		notBefore, notAfter := check.Window(c, x)
		out = append(out, syncFinding{action: actionNotAtIdP, id: c.ID, cert: idpmetadata.Certificate{
			EntityID: t.entity.ID, Fingerprint: idpmetadata.FingerprintOf(x), Subject: x.Subject.String(),
			NotBefore: notBefore, NotAfter: notAfter, X509: x,
		}})
	}
	return out
}

// writeSyncText writes the plan as sync prints it by default: a block of lines per
// integration, a blank line between blocks, escaped for the terminal.
func writeSyncText(w io.Writer, targets []syncTarget) error {
	var lines []string
	for i := range targets {
		t := &targets[i]
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, fmt.Sprintf("integration  %s (%s)", field(t.integration.ID), field(t.integration.Name)))
		lines = append(lines, fmt.Sprintf("entity id    %s", field(t.entity.ID)))
		if t.err != nil {
			lines = append(lines, "NOT SYNCED   its certificates could not be listed (see stderr)")
			continue
		}
		for _, f := range t.findings {
			switch f.action {
			case actionExpired:
				lines = append(lines, "expired      "+describeIdPCert(f.cert)+": the IdP still publishes it; not uploaded")
			case actionToUpload:
				lines = append(lines, "to upload    "+describeIdPCert(f.cert))
			case actionUploadFailed:
				lines = append(lines, "NOT UPLOADED "+describeIdPCert(f.cert)+" (see stderr)")
			case actionUploaded:
				lines = append(lines, fmt.Sprintf("uploaded     %s as certificate %d", describeIdPCert(f.cert), f.id))
			case actionNotAtIdP:
				lines = append(lines, fmt.Sprintf("not at IdP   certificate %d %s: the IdP no longer publishes it; kept", f.id, f.cert.Fingerprint))
			}
		}
		switch {
		case len(t.entity.SigningCertificates) == 0:
			lines = append(lines, "nothing      the entity publishes no signing certificate")
		case len(t.plan.Missing) == 0:
			lines = append(lines, "in step      SendGrid holds every signing certificate of the entity")
		}
	}
	return writeLines(w, lines...)
}

// syncJSON is one line of sync --format json: one finding.
type syncJSON struct {
	Action        string `json:"action"`
	IntegrationID string `json:"integration_id"`
	// Integration is as cert --all --format json shows it.
	Integration       *integrationView `json:"integration"`
	ID                int64            `json:"id,omitempty"` // SendGrid's certificate, when it holds it
	SHA256Fingerprint string           `json:"sha256_fingerprint"`
	Subject           string           `json:"subject"`
	NotBefore         time.Time        `json:"not_before"`
	NotAfter          time.Time        `json:"not_after"`
}

// writeSyncJSON writes the plan as sync --format json prints it: one JSON object per
// line per finding (JSON Lines), escaped for the terminal. An integration whose
// certificates could not be listed has no line (its error is on stderr).
func writeSyncJSON(w io.Writer, targets []syncTarget) error {
	var b bytes.Buffer
	for i := range targets {
		t := &targets[i]
		for _, f := range t.findings {
			doc, err := json.Marshal(syncJSON{
				Action:            f.action,
				IntegrationID:     t.integration.ID,
				Integration:       newIntegrationView(&t.integration),
				ID:                f.id,
				SHA256Fingerprint: f.cert.Fingerprint.String(),
				Subject:           f.cert.Subject,
				NotBefore:         f.cert.NotBefore.UTC(),
				NotAfter:          f.cert.NotAfter.UTC(),
			})
			if err != nil {
				return err
			}
			b.Write(doc)
			b.WriteByte('\n')
		}
	}
	return writeJSONSafe(w, b.Bytes())
}

// syncTargets picks the integrations to sync and the entity of each: the one named
// by only (judged against the entity of its entity ID), or every integration whose
// entity ID is an entity's of md. None is a usage error.
func syncTargets(md *idpmetadata.Metadata, integrations []wrapper.Integration, only string) ([]syncTarget, error) {
	var targets []syncTarget
	for _, in := range integrations {
		if only != "" && in.ID != only {
			continue
		}
		e, err := check.ChooseEntity(md, in.EntityID)
		if in.EntityID == "" {
			err = check.ErrNoEntity // an integration without an entity ID trusts no entity
		}
		if err != nil {
			if only != "" {
				return nil, &UsageError{Err: fmt.Errorf("integration %q: the IdP metadata has no entity %q, its entity ID: give the metadata of its IdP", in.ID, in.EntityID)}
			}
			continue
		}
		targets = append(targets, syncTarget{integration: in, entity: e})
	}
	switch {
	case only != "" && len(targets) == 0:
		return nil, &UsageError{Err: fmt.Errorf("no integration %q: list them with sendgrid-sso cert --all", only)}
	case len(targets) == 0:
		ids := make([]string, len(md.Entities))
		for i, e := range md.Entities {
			ids[i] = strconv.Quote(e.ID)
		}
		return nil, &UsageError{Err: fmt.Errorf("no integration has the entity ID of the metadata's entities (%s): nothing sent; check the metadata, or name the integration with --integration", strings.Join(ids, ", "))}
	}
	return targets, nil
}

// describeIdPCert is an IdP certificate as sync shows it: fingerprint, subject and
// validity window.
func describeIdPCert(c idpmetadata.Certificate) string {
	return fmt.Sprintf("%s %s, valid %s to %s", c.Fingerprint, field(c.Subject), c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
}
