package deploy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// alertRules is the part of a Prometheus rule file that TestAlertRulesDocumented reads.
type alertRules struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert       string            `json:"alert"`
			Expr        string            `json:"expr"`
			For         string            `json:"for"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

// runbookBase is where each alert's runbook_url points: a section of
// docs/operations.md named after the alert (its GitHub anchor, lower case).
const runbookBase = "https://github.com/sendgrid-sso/sendgrid-sso/blob/main/docs/operations.md#"

// TestAlertRulesDocumented checks the rule file's shape, which promtool's tests (make
// test-alerts) do not: one group, sendgrid-sso; the alert names that dashboards,
// silences and the exporter's end-to-end test rely on; every rule with a severity, a
// summary, a description and a runbook_url to a heading of docs/operations.md named
// after the alert; SendGridSSOCertificateExpiring as a warning and a critical rule,
// the warning firing at once (a `for` of a minute at most).
func TestAlertRulesDocumented(t *testing.T) {
	var f alertRules
	readYAML(t, "prometheus/sendgrid-sso-alerts.yml", &f)
	if len(f.Groups) != 1 || f.Groups[0].Name != "sendgrid-sso" {
		t.Fatalf("want one group, sendgrid-sso; got %d", len(f.Groups))
	}
	ops, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	expiring := map[string]string{} // severity -> for
	for _, r := range f.Groups[0].Rules {
		names = append(names, r.Alert)
		if s := r.Labels["severity"]; s != "warning" && s != "critical" {
			t.Errorf("%s: severity %q, want warning or critical", r.Alert, s)
		}
		for _, a := range []string{"summary", "description"} {
			if r.Annotations[a] == "" {
				t.Errorf("%s: no %s annotation", r.Alert, a)
			}
		}
		if want := runbookBase + strings.ToLower(r.Alert); r.Annotations["runbook_url"] != want {
			t.Errorf("%s: runbook_url %q, want %q", r.Alert, r.Annotations["runbook_url"], want)
		}
		heading := regexp.MustCompile(`(?m)^#{2,4} ` + regexp.QuoteMeta(r.Alert) + `\s*$`)
		if !heading.Match(ops) {
			t.Errorf("%s: docs/operations.md has no heading %q for its runbook_url", r.Alert, r.Alert)
		}
		if r.Alert == "SendGridSSOCertificateExpiring" {
			expiring[r.Labels["severity"]] = r.For
		}
	}
	for _, n := range []string{"SendGridSSOCertificateExpiring", "SendGridSSOCertificateExpired",
		"SendGridSSOCertificateCheckFailing", "SendGridSSORolloverPending", "SendGridSSOIdPCertificateExpiring", "SendGridSSOExporterRefreshFailing",
		"SendGridSSOExporterStale", "SendGridSSOTextfileStale"} {
		if !slices.Contains(names, n) {
			t.Errorf("no alert %s", n)
		}
	}
	if len(expiring) != 2 {
		t.Errorf("SendGridSSOCertificateExpiring has severities %v, want warning and critical", expiring)
	}
	if d, ok := expiring["warning"]; ok && d != "" {
		if v, err := time.ParseDuration(d); err != nil || v > time.Minute {
			t.Errorf("SendGridSSOCertificateExpiring (warning) waits for %q: it must fire within an evaluation or two", d)
		}
	}
}
