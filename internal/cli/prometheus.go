package cli

import (
	"crypto/x509"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// cert --format prometheus: the Prometheus text exposition format (version 0.0.4), as
// node_exporter's textfile collector and any scraper read it. Every metric is a gauge
// preceded by its # HELP and # TYPE lines. Label values are the IDs exactly, escaped
// once, as the format escapes them (promLabelValue); on a terminal, writeDocument
// also escapes what the terminal would act on.

// Metric names of cert --format prometheus.
const (
	metricNotBefore   = "sendgrid_sso_certificate_not_before_timestamp_seconds"
	metricNotAfter    = "sendgrid_sso_certificate_not_after_timestamp_seconds"
	metricIdPMatch    = "sendgrid_sso_certificate_idp_metadata_match"
	metricCheckResult = "sendgrid_sso_certificate_check_success"
	metricIntegration = "sendgrid_sso_integration_info"
	metricPending     = "sendgrid_sso_idp_rollover_pending"
	metricIdPNotAfter = "sendgrid_sso_idp_certificate_not_after_timestamp_seconds"
)

// promExtra is what cert --all's Prometheus output shows beyond the certificates: the
// integrations listed and, with --idp-metadata read, the metadata and the rollover
// pending of each integration.
type promExtra struct {
	integrations []wrapper.Integration
	md           *idpmetadata.Metadata
	pending      []pendingCount
}

// pendingCount is how many of its entity's signing certificates an integration lacks
// at SendGrid, expired ones left out (check.Rollover.Pending).
type pendingCount struct {
	integrationID string
	n             int
}

// rolloverPending is the pendingCount of each integration of cert --all, in the API's
// order, judged against its entity (entityToJudge); an integration whose
// certificates could not be listed, or whose entity the metadata lacks, has none.
func rolloverPending(o *certOptions, md *idpmetadata.Metadata, integrations []wrapper.Integration, results []certResult, now time.Time) []pendingCount {
	var out []pendingCount
	for i := range integrations {
		in := &integrations[i]
		e, err := check.ChooseEntity(md, entityToJudge(o, &certResult{integration: in}))
		if err != nil {
			continue
		}
		var held []*x509.Certificate
		failed := false
		for _, r := range results {
			if r.integration == nil || r.integration.ID != in.ID {
				continue
			}
			failed = failed || r.listFailed()
			if r.cert != nil {
				if x, err := r.cert.X509(); err == nil {
					held = append(held, x)
				}
			}
		}
		if !failed {
			out = append(out, pendingCount{in.ID, check.PlanRollover(e, held).Pending(now)})
		}
	}
	return out
}

// promSample is one sample: its label pairs (name, value) and its value.
type promSample struct {
	labels []string
	value  int64
}

// promFamily is one metric family: a gauge with its help text and samples.
type promFamily struct {
	name, help string
	samples    []promSample
}

// writePrometheus writes the metrics of results; withIdP adds the metadata match;
// integrations (cert --all's) add an info series each. A certificate that could not
// be fetched has only its check_success sample, 0.
func writePrometheus(w io.Writer, results []certResult, extra promExtra, withIdP bool) error {
	notBefore := promFamily{name: metricNotBefore, help: "Start of the SSO certificate's validity window (SendGrid's not_before), unix seconds."}
	notAfter := promFamily{name: metricNotAfter, help: "End of the SSO certificate's validity window (SendGrid's not_after), unix seconds. Alert on it minus time()."}
	match := promFamily{name: metricIdPMatch, help: "1 when the certificate is among the signing certificates of the IdP's SAML metadata, else 0."}
	success := promFamily{name: metricCheckResult, help: "1 when the certificate was fetched and every check asked for passed, else 0."}
	info := promFamily{name: metricIntegration, help: "1 for each SSO integration of the account, labelled with its name, entity ID (the IdP's issuer) and whether it is enabled."}
	pending := promFamily{name: metricPending, help: "How many unexpired signing certificates of the integration's entity, in the IdP's metadata, SendGrid lacks: upload them (sendgrid-sso sync) before the IdP switches keys."}
	for _, p := range extra.pending {
		pending.samples = append(pending.samples, promSample{[]string{"integration_id", p.integrationID}, int64(p.n)})
	}
	idpNotAfter := promFamily{name: metricIdPNotAfter, help: "End of the validity window of each signing certificate of each entity of the IdP's metadata, unix seconds."}
	if extra.md != nil {
		seen := map[[2]string]bool{} // an aggregate may repeat an entity: one series each
		for _, e := range extra.md.Entities {
			for _, c := range e.SigningCertificates {
				key := [2]string{e.ID, c.Fingerprint.String()}
				if seen[key] {
					continue
				}
				seen[key] = true
				idpNotAfter.samples = append(idpNotAfter.samples, promSample{[]string{"entity_id", e.ID, "fingerprint_sha256", c.Fingerprint.String()}, c.NotAfter.Unix()})
			}
		}
	}
	for _, in := range extra.integrations {
		info.samples = append(info.samples, promSample{[]string{"integration_id", in.ID, "name", in.Name, "entity_id", in.EntityID, "enabled", strconv.FormatBool(in.Enabled)}, 1})
	}
	for _, r := range results {
		if r.listFailed() { // reported on stderr; no certificate to label
			continue
		}
		ok := int64(0)
		if v := r.view; v != nil {
			labels := []string{"cert_id", r.id, "integration_id", v.IntegrationID}
			notBefore.samples = append(notBefore.samples, promSample{labels, v.NotBefore.Unix()})
			notAfter.samples = append(notAfter.samples, promSample{labels, v.NotAfter.Unix()})
			if withIdP && v.IdPMetadata != nil && v.IdPMetadata.Error == "" {
				match.samples = append(match.samples, promSample{labels, boolValue(v.IdPMetadata.Matches)})
			}
			if v.Check == nil || v.Check.Passed {
				ok = 1
			}
		}
		success.samples = append(success.samples, promSample{[]string{"cert_id", r.id}, ok})
	}
	var b strings.Builder
	for _, f := range []promFamily{notBefore, notAfter, match, success, info, pending, idpNotAfter} {
		f.write(&b)
	}
	return writeDocument(w, b.String())
}

// write writes f, or nothing when it has no sample.
func (f promFamily) write(b *strings.Builder) {
	if len(f.samples) == 0 {
		return
	}
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s gauge\n", f.name, f.help, f.name)
	for _, s := range f.samples {
		b.WriteString(f.name)
		b.WriteByte('{')
		for i := 0; i+1 < len(s.labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, "%s=\"%s\"", s.labels[i], promLabelValue(s.labels[i+1]))
		}
		fmt.Fprintf(b, "} %d\n", s.value)
	}
}

// promLabelEscaper escapes a label value as the text format does: backslash, double
// quote and line feed, the only escapes its parsers know.
var promLabelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// promLabelValue is v as a label value, escaped once, as the format wants, so that a
// parser reads back v exactly and distinct IDs stay distinct series. (It used to be
// escaped for the terminal first: the IDs "\n" and `\x0a` became one series, twice,
// and node_exporter refused the whole file.) The IDs are valid UTF-8, as the format
// requires: cleanArgs refuses others, and encoding/json decodes the API's.
func promLabelValue(v string) string {
	return promLabelEscaper.Replace(v)
}

func boolValue(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
