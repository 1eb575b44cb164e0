package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// promSeries reads the samples of a text-format document: for each, its metric name
// and labels (values unescaped as the format's parsers do: \\, \" and \n, and no other
// escape) in a string "name{k=v,...}", exactly once each. It fails the test on any
// line it cannot read.
func promSeries(t *testing.T, doc string) map[string][]map[string]string {
	t.Helper()
	series := map[string][]map[string]string{}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(doc, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, "{")
		if !ok {
			t.Fatalf("sample %q has no labels", line)
		}
		labels := map[string]string{}
		for !strings.HasPrefix(rest, "}") {
			key, after, ok := strings.Cut(strings.TrimPrefix(rest, ","), `="`)
			if !ok {
				t.Fatalf("sample %q: no label at %q", line, rest)
			}
			var v strings.Builder
			i := 0
			for ; i < len(after) && after[i] != '"'; i++ {
				if after[i] != '\\' {
					v.WriteByte(after[i])
					continue
				}
				i++
				switch {
				case i < len(after) && after[i] == '\\', i < len(after) && after[i] == '"':
					v.WriteByte(after[i])
				case i < len(after) && after[i] == 'n':
					v.WriteByte('\n')
				default:
					t.Fatalf("sample %q: an escape the format does not have", line)
				}
			}
			if i == len(after) {
				t.Fatalf("sample %q: unterminated label value", line)
			}
			labels[key] = v.String()
			rest = after[i+1:]
		}
		if key := fmt.Sprintf("%s%q", name, labels); seen[key] {
			t.Errorf("series %s appears twice:\n%s", key, doc)
		} else {
			seen[key] = true
		}
		series[name] = append(series[name], labels)
	}
	return series
}

// TestPrometheusLabelsAreExact: distinct IDs are distinct series whose labels read
// back as the IDs. The IDs "\n" and `\x0a` were one series twice (escaped for the
// terminal, then for the format), which node_exporter refuses, dropping every metric
// of the file; and a label read back as something else than the ID.
func TestPrometheusLabelsAreExact(t *testing.T) {
	t.Parallel()
	ids := []string{"\n", `\x0a`, `a"b\`, "\x1b[31m\u202e"}
	var results []certResult
	for i, id := range ids {
		r := certResult{id: id}
		if i == len(ids)-1 {
			r.view = &CertView{IntegrationID: `i-"` + "\n\\\x1b"}
		}
		results = append(results, r)
	}
	var out strings.Builder
	if err := writePrometheus(&out, results, promExtra{}, false); err != nil {
		t.Fatal(err)
	}
	got := promSeries(t, out.String())[metricCheckResult]
	if len(got) != len(ids) {
		t.Fatalf("%d %s series for %d IDs:\n%s", len(got), metricCheckResult, len(ids), out.String())
	}
	for i, id := range ids {
		if got[i]["cert_id"] != id {
			t.Errorf("cert_id reads back as %q, want %q", got[i]["cert_id"], id)
		}
	}
	after := promSeries(t, out.String())[metricNotAfter]
	if len(after) != 1 || after[0]["integration_id"] != `i-"`+"\n\\\x1b" {
		t.Errorf("integration_id reads back as %q, want %q", after, `i-"`+"\n\\\x1b")
	}
}

// TestPrometheusIDsOnTheCommandLine: the same through cert, for two IDs that differ
// inside (white space around an ID is dropped), against a fake that knows neither.
func TestPrometheusIDsOnTheCommandLine(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--format", "prometheus", "1\n2", `1\x0a2`)
	if r.Code != ExitAPI {
		t.Errorf("exit %d, want %d (unknown IDs)\nstderr:\n%s", r.Code, ExitAPI, r.Stderr)
	}
	got := promSeries(t, r.Stdout)[metricCheckResult]
	if len(got) != 2 || got[0]["cert_id"] != "1\n2" || got[1]["cert_id"] != `1\x0a2` {
		t.Errorf("series %q, want cert_id \"1\\n2\" and `1\\x0a2`:\n%s", got, r.Stdout)
	}
}
