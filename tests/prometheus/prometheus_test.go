// Package prometheus checks that sendgrid-sso cert --format prometheus writes what
// Prometheus' own text parser (github.com/prometheus/common/expfmt) reads. It is a
// module of its own so that the library's go.mod does not grow.
package prometheus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestCertPrometheusFormatParses(t *testing.T) {
	soon := ssotest.DefaultCertificate().ExpiringIn(10 * 24 * time.Hour)
	soon.ID, soon.IntegrationID = 7, `quote " and backslash \ and newline`+"\n"
	fake := clitest.NewFake(t, ssotest.WithCertificate(ssotest.DefaultCertificate()), ssotest.WithCertificate(soon))
	env := func(name string) string { return map[string]string{"SENDGRID_API_KEY": fake.APIKey}[name] }
	metadata := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(metadata, []byte(clitest.IdPMetadata("https://idp.test", nil, clitest.DefaultX509(t))), 0o600); err != nil {
		t.Fatal(err)
	}
	defaultID := strconv.Itoa(ssotest.DefaultCertificateID)

	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), []string{"--base-url", fake.URL, "cert", "--format", "prometheus",
		"--warn-within", "30d", "--idp-metadata", metadata, defaultID, "7", "404"}, cli.Env{Getenv: env, Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitAPI { // 404 is unknown to the fake: an error answer outranks the failed check of 7
		t.Errorf("exit status %d, want %d\nstderr:\n%s", code, cli.ExitAPI, stderr.String())
	}

	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(stdout.Bytes()))
	if err != nil {
		t.Fatalf("Prometheus' parser refuses the output: %v\n%s", err, stdout.String())
	}
	for name, f := range families {
		if f.GetType() != dto.MetricType_GAUGE || f.GetHelp() == "" {
			t.Errorf("%s: type %v, help %q; want a gauge with help", name, f.GetType(), f.GetHelp())
		}
	}
	// value returns the sample of family name for cert_id id, and whether there is one.
	value := func(name, id string) (float64, bool) {
		for _, m := range families[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "cert_id" && l.GetValue() == id {
					return m.GetGauge().GetValue(), true
				}
			}
		}
		return 0, false
	}
	want := []struct {
		name, id string
		value    float64
		present  bool
	}{
		{"sendgrid_sso_certificate_not_before_timestamp_seconds", defaultID, float64(ssotest.DefaultCertificate().NotBefore.Unix()), true},
		{"sendgrid_sso_certificate_not_after_timestamp_seconds", defaultID, float64(ssotest.DefaultCertificate().NotAfter.Unix()), true},
		{"sendgrid_sso_certificate_not_after_timestamp_seconds", "7", float64(soon.NotAfter.Unix()), true},
		{"sendgrid_sso_certificate_not_after_timestamp_seconds", "404", 0, false},
		{"sendgrid_sso_certificate_idp_metadata_match", defaultID, 1, true},
		{"sendgrid_sso_certificate_idp_metadata_match", "7", 1, true},
		{"sendgrid_sso_certificate_check_success", defaultID, 1, true},
		{"sendgrid_sso_certificate_check_success", "7", 0, true},   // expires within 30d
		{"sendgrid_sso_certificate_check_success", "404", 0, true}, // a failed fetch is a series
	}
	for _, w := range want {
		v, ok := value(w.name, w.id)
		if ok != w.present || v != w.value {
			t.Errorf("%s{cert_id=%q} = %v (present %v), want %v (present %v)", w.name, w.id, v, ok, w.value, w.present)
		}
	}
	// Label values round-trip through the format's escaping, exactly.
	for _, m := range families["sendgrid_sso_certificate_not_after_timestamp_seconds"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "integration_id" && m.GetLabel()[0].GetValue() == "7" {
				if want := soon.IntegrationID; l.GetValue() != want {
					t.Errorf("integration_id = %q, want %q", l.GetValue(), want)
				}
			}
		}
	}
}

// TestDistinctIDsAreDistinctSeries: the IDs "1\n2" and `1\x0a2` used to come out as one
// series twice (escaped for the terminal, then for the format), which Prometheus'
// parser refuses, and node_exporter with it the whole file.
func TestDistinctIDsAreDistinctSeries(t *testing.T) {
	fake := clitest.NewFake(t)
	env := func(name string) string { return map[string]string{"SENDGRID_API_KEY": fake.APIKey}[name] }
	ids := []string{"1\n2", `1\x0a2`}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"--base-url", fake.URL, "cert", "--format", "prometheus"}, ids...),
		cli.Env{Getenv: env, Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitAPI { // the fake knows neither ID
		t.Errorf("exit status %d, want %d\nstderr:\n%s", code, cli.ExitAPI, stderr.String())
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(stdout.Bytes()))
	if err != nil {
		t.Fatalf("Prometheus' parser refuses the output: %v\n%s", err, stdout.String())
	}
	var got []string
	for _, m := range families["sendgrid_sso_certificate_check_success"].GetMetric() {
		got = append(got, m.GetLabel()[0].GetValue())
	}
	if len(got) != 2 || got[0] != ids[0] || got[1] != ids[1] {
		t.Errorf("cert_id labels %q, want %q", got, ids)
	}
}

// TestCertAllPrometheusParses: cert --all's families (integration info, rollover
// pending, the IdP's certificates' ends) parse, and a label value with a quote, a
// backslash and a line feed reads back exactly.
func TestCertAllPrometheusParses(t *testing.T) {
	name := `quote " and backslash \ and newline` + "\n"
	in := ssotest.DefaultIntegration()
	in.Name, in.EntityID = name, "https://idp.test"
	fake := clitest.NewFake(t, ssotest.WithIntegration(in), ssotest.WithCertificate(ssotest.DefaultCertificate()))
	env := func(name string) string { return map[string]string{"SENDGRID_API_KEY": fake.APIKey}[name] }
	next := clitest.NewCert(t, "next")
	metadata := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(metadata, []byte(clitest.IdPMetadata("https://idp.test", nil, clitest.DefaultX509(t), next)), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), []string{"--base-url", fake.URL, "cert", "--all", "--format", "prometheus", "--idp-metadata", metadata},
		cli.Env{Getenv: env, Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitOK {
		t.Errorf("exit status %d, want %d\nstderr:\n%s", code, cli.ExitOK, stderr.String())
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(stdout.Bytes()))
	if err != nil {
		t.Fatalf("Prometheus' parser refuses the output: %v\n%s", err, stdout.String())
	}
	labels := func(m *dto.Metric) map[string]string {
		out := map[string]string{}
		for _, l := range m.GetLabel() {
			out[l.GetName()] = l.GetValue()
		}
		return out
	}
	info := families["sendgrid_sso_integration_info"].GetMetric()
	if len(info) != 1 || labels(info[0])["name"] != name || labels(info[0])["entity_id"] != "https://idp.test" || labels(info[0])["enabled"] != "true" {
		t.Errorf("integration info %v", info)
	}
	pending := families["sendgrid_sso_idp_rollover_pending"].GetMetric()
	if len(pending) != 1 || labels(pending[0])["integration_id"] != in.ID || pending[0].GetGauge().GetValue() != 1 {
		t.Errorf("rollover pending %v, want 1 (next) for %s", pending, in.ID)
	}
	ends := families["sendgrid_sso_idp_certificate_not_after_timestamp_seconds"].GetMetric()
	if len(ends) != 2 || labels(ends[1])["fingerprint_sha256"] != clitest.Fingerprint(next) || ends[1].GetGauge().GetValue() != float64(next.NotAfter.Unix()) {
		t.Errorf("IdP certificates' ends %v", ends)
	}
}
