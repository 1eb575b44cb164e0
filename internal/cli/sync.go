package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
	synopsis: "--idp-metadata URL|FILE [--integration ID] [--apply]",
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
		fs.StringVar(&o.idpMetadata, "idp-metadata", "", "the IdP's SAML metadata: an https `URL|FILE` (required)")
		fs.StringVar(&o.integration, "integration", "", "sync only the integration with this `ID`")
		fs.BoolVar(&o.apply, "apply", false, "upload the missing certificates (without it, a dry run)")
		return func(ctx context.Context, g *globals, _ []string) error {
			if o.idpMetadata == "" {
				return &UsageError{Err: errors.New("missing --idp-metadata: give the IdP's metadata URL (https://...) or a file")}
			}
			return runSync(ctx, g, o)
		}
	},
}

// syncOptions are sync's flags.
type syncOptions struct {
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
	err         error // listing its certificates
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
	var lines []string
	pending, status := 0, ExitOK
	for i := range targets {
		t := &targets[i]
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, fmt.Sprintf("integration  %s (%s)", field(t.integration.ID), field(t.integration.Name)))
		lines = append(lines, fmt.Sprintf("entity id    %s", field(t.entity.ID)))
		if t.err != nil {
			Report(g.stderr, Name, fmt.Errorf("integration %q: %w", t.integration.ID, t.err), g.apiKey)
			status = worseExit(status, ExitCode(t.err))
			lines = append(lines, "NOT SYNCED   its certificates could not be listed (see stderr)")
			continue
		}
		for _, c := range t.plan.Missing {
			if !check.Uploadable(c, now) {
				lines = append(lines, "expired      "+describeIdPCert(c)+": the IdP still publishes it; not uploaded")
				continue
			}
			if !o.apply {
				pending++
				lines = append(lines, "to upload    "+describeIdPCert(c))
				continue
			}
			created, err := withTimeout(ctx, g, func(ctx context.Context) (*wrapper.Certificate, error) {
				return client.CreateSSOCertificate(ctx, t.integration.ID, c.X509)
			})
			if err != nil {
				Report(g.stderr, Name, fmt.Errorf("integration %q: uploading %s: %w", t.integration.ID, c.Fingerprint, err), g.apiKey)
				status = worseExit(status, ExitCode(err))
				lines = append(lines, "NOT UPLOADED "+describeIdPCert(c)+" (see stderr)")
				continue
			}
			lines = append(lines, fmt.Sprintf("uploaded     %s as certificate %d", describeIdPCert(c), created.ID))
		}
		for _, at := range t.plan.Stale {
			c := t.held[at]
			x, _ := c.X509()
			lines = append(lines, fmt.Sprintf("not at IdP   certificate %d %s: the IdP no longer publishes it; kept", c.ID, idpmetadata.FingerprintOf(x)))
		}
		switch {
		case len(t.entity.SigningCertificates) == 0:
			lines = append(lines, "nothing      the entity publishes no signing certificate")
		case len(t.plan.Missing) == 0:
			lines = append(lines, "in step      SendGrid holds every signing certificate of the entity")
		}
	}
	if err := writeLines(g.stdout, lines...); err != nil {
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
