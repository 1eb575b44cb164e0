package cli

import (
	"io"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/metrics"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// cert --format prometheus: the Prometheus text exposition format (version 0.0.4), as
// node_exporter's textfile collector and any scraper read it. The families (names,
// help, labels, values) are package metrics', which sendgrid-sso-exporter serves too;
// here they are built from cert's results and written as text. Label values are the
// IDs exactly, escaped once, as the format escapes them (metrics.LabelValue); on a
// terminal, writeDocument also escapes what the terminal would act on.

// Metric names of cert --format prometheus, for the tests.
const (
	metricNotAfter    = metrics.NotAfter
	metricCheckResult = metrics.CheckResult
	metricIntegration = metrics.Integration
	metricPending     = metrics.Pending
	metricIdPNotAfter = metrics.IdPNotAfter
)

// promExtra is what cert --all's Prometheus output shows beyond the certificates: the
// integrations listed and, with --idp-metadata read, the metadata and the rollover
// pending of each integration.
type promExtra struct {
	integrations []wrapper.Integration
	md           *idpmetadata.Metadata
	pending      []metrics.RolloverPending
}

// writePrometheus writes the metrics of results; withIdP adds the metadata match;
// integrations (cert --all's) add an info series each. A certificate that could not
// be fetched has only its check_success sample, 0.
func writePrometheus(w io.Writer, results []certResult, extra promExtra, withIdP bool) error {
	in := metrics.Input{Integrations: extra.integrations, Metadata: extra.md, Pending: extra.pending}
	for _, r := range results {
		if r.listFailed() { // reported on stderr; no certificate to label
			continue
		}
		c := metrics.Cert{ID: r.id}
		if v := r.view; v != nil {
			c.Fetched, c.IntegrationID, c.NotBefore, c.NotAfter = true, v.IntegrationID, v.NotBefore, v.NotAfter
			if withIdP && v.IdPMetadata != nil && v.IdPMetadata.Error == "" {
				c.IdPMatch = &v.IdPMetadata.Matches
			}
			c.Passed = v.Check == nil || v.Check.Passed
		}
		in.Certs = append(in.Certs, c)
	}
	var b strings.Builder
	metrics.WriteText(&b, metrics.Families(in))
	return writeDocument(w, b.String())
}
