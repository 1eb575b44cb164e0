//go:build e2e

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testnet"
)

// The end-to-end test (make e2e-prometheus, which sets the e2e build tag): the
// sendgrid-sso-fake binary serves a certificate expiring in 10 days, the exporter
// reads it, a real Prometheus (the prometheus binary on PATH, or $PROMETHEUS) scrapes
// the exporter every second and evaluates the shipped rules
// (deploy/prometheus/sendgrid-sso-alerts.yml) every second, it must send
// SendGridSSOCertificateExpiring with severity="warning" to its Alertmanager (a
// stand-in the test waits on) within two minutes, and its HTTP API
// (/api/v1/alerts) must then show it firing. A missing prometheus fails the test: it never skips.

// e2eDeadline bounds the wait for the alert.
const e2eDeadline = 2 * time.Minute

// pollClient asks Prometheus' API; its timeout bounds each request, so that a port
// some other process holds (and never answers on) cannot hang the test.
var pollClient = &http.Client{Timeout: 5 * time.Second}

func TestPrometheusFiresExpiringAlert(t *testing.T) {
	promBin := os.Getenv("PROMETHEUS")
	if promBin == "" {
		var err error
		if promBin, err = exec.LookPath("prometheus"); err != nil {
			t.Fatalf("no prometheus binary on PATH (and $PROMETHEUS unset): install it (make prometheus-tools, or Debian's prometheus package): %v", err)
		}
	}
	rules, err := filepath.Abs("../../deploy/prometheus/sendgrid-sso-alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(rules); err != nil {
		t.Fatalf("the shipped rules: %v", err)
	}

	key := clitest.NewKey()
	fake := clitest.StartFake(t, fakeBin, nil, "--addr", "127.0.0.1:0", "--key", key, "--cert-expires-in", "10d")
	exporter := startExporter(t, nil, "--base-url", fake.URL, "--api-key-file", keyFile(t, key), "--interval", "2s")
	exporter.waitFor(t, "refresh succeeded")

	// Prometheus sends what fires to its Alertmanager; this stand-in is one, so that
	// the test waits on the alert's arrival instead of polling for it.
	arrived := make(chan struct{})
	var once sync.Once
	alertmanager := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var alerts []struct {
			Labels map[string]string `json:"labels"`
		}
		if r.Method == http.MethodPost && r.URL.Path == "/api/v2/alerts" && json.NewDecoder(r.Body).Decode(&alerts) == nil {
			for _, a := range alerts {
				if isExpiringWarning(a.Labels) {
					once.Do(func() { close(arrived) })
				}
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(alertmanager.Close)

	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
alerting:
  alertmanagers:
    - static_configs:
        - targets: [%q]
rule_files:
  - %q
scrape_configs:
  - job_name: sendgrid-sso
    static_configs:
      - targets: [%q]
`, strings.TrimPrefix(alertmanager.URL, "http://"), rules, exporter.addr)
	configFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(configFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	// Prometheus cannot be told to pick a port and report it, so its port is one that
	// was free a moment ago: when another process took it in between, Prometheus exits
	// with "address already in use" and starts again on another, at most three times.
	deadline := time.NewTimer(e2eDeadline)
	defer deadline.Stop()
	for attempt := 1; ; attempt++ {
		promAddr := testnet.FreeAddr(t)
		promLog := &syncBuffer{}
		prom := exec.Command(promBin, "--config.file="+configFile,
			"--storage.tsdb.path="+filepath.Join(dir, "data"+strconv.Itoa(attempt)), "--web.listen-address="+promAddr)
		prom.Stdout, prom.Stderr = promLog, promLog
		if err := prom.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() {
			_ = prom.Wait()
			close(exited)
		}()
		t.Cleanup(func() {
			_ = prom.Process.Kill()
			<-exited
		})
		select {
		case <-arrived:
			// What Prometheus sent out, its own API must show firing.
			if firing, body := alertFiring("http://" + promAddr + "/api/v1/alerts"); !firing {
				t.Fatalf("the alert reached the Alertmanager, but /api/v1/alerts does not show it firing:\n%s", body)
			}
			if code := exporter.signal(t, os.Interrupt); code != 0 {
				t.Errorf("the exporter exited %d, want 0", code)
			}
			return
		case <-exited:
			if attempt < 3 && strings.Contains(promLog.String(), "address already in use") {
				t.Logf("port of %s taken before prometheus bound it; another", promAddr)
				continue
			}
			t.Fatalf("prometheus exited:\n%s", promLog)
		case <-deadline.C:
			_, body := alertFiring("http://" + promAddr + "/api/v1/alerts")
			t.Fatalf("SendGridSSOCertificateExpiring{severity=\"warning\"} not sent within %v; /api/v1/alerts:\n%s\nprometheus' log:\n%s\nthe exporter's log:\n%s",
				e2eDeadline, body, promLog, exporter.stderr.String())
		}
	}
}

// isExpiringWarning reports whether labels are those of the alert the test waits for.
func isExpiringWarning(labels map[string]string) bool {
	return labels["alertname"] == "SendGridSSOCertificateExpiring" && labels["severity"] == "warning"
}

// alertFiring asks Prometheus' /api/v1/alerts whether SendGridSSOCertificateExpiring
// with severity="warning" fires, and returns the body it read.
func alertFiring(url string) (bool, string) {
	resp, err := pollClient.Get(url)
	if err != nil {
		return false, err.Error()
	}
	defer func() { _ = resp.Body.Close() }()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	var doc struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return false, strconv.Quote(buf.String())
	}
	for _, a := range doc.Data.Alerts {
		if isExpiringWarning(a.Labels) && a.State == "firing" {
			return true, buf.String()
		}
	}
	return false, buf.String()
}
