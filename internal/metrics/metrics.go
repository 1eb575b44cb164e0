// Package metrics is the one home of the Prometheus metric families that describe SSO
// certificates: their names, help texts, labels and values, built from what was read
// and judged (Families). Both tools that serve them start here: sendgrid-sso cert
// --format prometheus renders them as the text exposition format (WriteText), and
// sendgrid-sso-exporter turns them into const metrics of its collector. It knows no
// flag, no output stream and no client library.
package metrics

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// Metric names. Every family is a gauge.
const (
	NotBefore   = "sendgrid_sso_certificate_not_before_timestamp_seconds"
	NotAfter    = "sendgrid_sso_certificate_not_after_timestamp_seconds"
	IdPMatch    = "sendgrid_sso_certificate_idp_metadata_match"
	CheckResult = "sendgrid_sso_certificate_check_success"
	Integration = "sendgrid_sso_integration_info"
	Pending     = "sendgrid_sso_idp_rollover_pending"
	IdPNotAfter = "sendgrid_sso_idp_certificate_not_after_timestamp_seconds"
)

// Cert is what the families show of one certificate.
type Cert struct {
	// ID is the certificate's ID (the cert_id label).
	ID string
	// Fetched is false for a certificate that could not be fetched or parsed: it has
	// its check_success sample alone, 0.
	Fetched bool
	// IntegrationID, NotBefore and NotAfter are its integration and validity window.
	IntegrationID       string
	NotBefore, NotAfter time.Time
	// IdPMatch, when not nil, is whether the IdP's metadata lists it for signing.
	IdPMatch *bool
	// Passed is whether every check asked for passed.
	Passed bool
}

// RolloverPending is how many unexpired signing certificates of its entity an
// integration lacks at SendGrid (check.Rollover.Pending).
type RolloverPending struct {
	IntegrationID string
	N             int
}

// Input is everything the families show.
type Input struct {
	// Certs are the certificates, in the order to show them.
	Certs []Cert
	// Integrations are the account's integrations (cert --all and the exporter).
	Integrations []wrapper.Integration
	// Metadata is the IdP's metadata read, when any: one series per signing
	// certificate of each entity.
	Metadata *idpmetadata.Metadata
	// Pending is the rollover pending of each integration judged.
	Pending []RolloverPending
}

// Sample is one sample: its label pairs (name, value, name, value...) and its value.
type Sample struct {
	Labels []string
	Value  int64
}

// Family is one metric family: a gauge with its name, help text and samples; every
// sample has the same label names, in the same order.
type Family struct {
	Name, Help string
	Samples    []Sample
}

// Families returns the families of in, in a fixed order; a family without samples is
// there too, empty (WriteText and the exporter leave it out).
func Families(in Input) []Family {
	notBefore := Family{Name: NotBefore, Help: "Start of the SSO certificate's validity window (SendGrid's not_before), unix seconds."}
	notAfter := Family{Name: NotAfter, Help: "End of the SSO certificate's validity window (SendGrid's not_after), unix seconds. Alert on it minus time()."}
	match := Family{Name: IdPMatch, Help: "1 when the certificate is among the signing certificates of the IdP's SAML metadata, else 0."}
	success := Family{Name: CheckResult, Help: "1 when the certificate was fetched and every check asked for passed, else 0."}
	info := Family{Name: Integration, Help: "1 for each SSO integration of the account, labelled with its name, entity ID (the IdP's issuer) and whether it is enabled."}
	pending := Family{Name: Pending, Help: "How many unexpired signing certificates of the integration's entity, in the IdP's metadata, SendGrid lacks: upload them (sendgrid-sso sync) before the IdP switches keys."}
	for _, p := range in.Pending {
		pending.Samples = append(pending.Samples, Sample{[]string{"integration_id", p.IntegrationID}, int64(p.N)})
	}
	idpNotAfter := Family{Name: IdPNotAfter, Help: "End of the validity window of each signing certificate of each entity of the IdP's metadata, unix seconds."}
	if in.Metadata != nil {
		seen := map[[2]string]bool{} // an aggregate may repeat an entity: one series each
		for _, e := range in.Metadata.Entities {
			for _, c := range e.SigningCertificates {
				key := [2]string{e.ID, c.Fingerprint.String()}
				if seen[key] {
					continue
				}
				seen[key] = true
				idpNotAfter.Samples = append(idpNotAfter.Samples, Sample{[]string{"entity_id", e.ID, "fingerprint_sha256", c.Fingerprint.String()}, c.NotAfter.Unix()})
			}
		}
	}
	for _, i := range in.Integrations {
		info.Samples = append(info.Samples, Sample{[]string{"integration_id", i.ID, "name", i.Name, "entity_id", i.EntityID, "enabled", strconv.FormatBool(i.Enabled)}, 1})
	}
	for _, c := range in.Certs {
		ok := int64(0)
		if c.Fetched {
			labels := []string{"cert_id", c.ID, "integration_id", c.IntegrationID}
			notBefore.Samples = append(notBefore.Samples, Sample{labels, c.NotBefore.Unix()})
			notAfter.Samples = append(notAfter.Samples, Sample{labels, c.NotAfter.Unix()})
			if c.IdPMatch != nil {
				match.Samples = append(match.Samples, Sample{labels, boolValue(*c.IdPMatch)})
			}
			if c.Passed {
				ok = 1
			}
		}
		success.Samples = append(success.Samples, Sample{[]string{"cert_id", c.ID}, ok})
	}
	return []Family{notBefore, notAfter, match, success, info, pending, idpNotAfter}
}

// WriteText writes fams in the Prometheus text exposition format (version 0.0.4):
// each family with samples, as a gauge preceded by its # HELP and # TYPE lines, its
// label values escaped once, as the format escapes them (LabelValue).
func WriteText(b *strings.Builder, fams []Family) {
	for _, f := range fams {
		if len(f.Samples) == 0 {
			continue
		}
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", f.Name, f.Help, f.Name)
		for _, s := range f.Samples {
			b.WriteString(f.Name)
			b.WriteByte('{')
			for i := 0; i+1 < len(s.Labels); i += 2 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, "%s=\"%s\"", s.Labels[i], LabelValue(s.Labels[i+1]))
			}
			fmt.Fprintf(b, "} %d\n", s.Value)
		}
	}
}

// labelEscaper escapes a label value as the text format does: backslash, double
// quote and line feed, the only escapes its parsers know.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// LabelValue is v as a label value of the text format, escaped once, as the format
// wants, so that a parser reads back v exactly and distinct IDs stay distinct series.
// (It used to be escaped for the terminal first: the IDs "\n" and `\x0a` became one
// series, twice, and node_exporter refused the whole file.) The IDs must be valid
// UTF-8, as the format requires: the CLI refuses others, and encoding/json decodes
// the API's.
func LabelValue(v string) string {
	return labelEscaper.Replace(v)
}

func boolValue(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
