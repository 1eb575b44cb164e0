//go:build e2e

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// The end-to-end test (make e2e-prometheus, which sets the e2e build tag): the
// sendgrid-sso-fake binary serves a certificate expiring in 10 days, the exporter
// reads it, a real Prometheus (the prometheus binary on PATH, or $PROMETHEUS) scrapes
// the exporter every second and evaluates the shipped rules
// (deploy/prometheus/sendgrid-sso-alerts.yml) every second, and its HTTP API must
// report SendGridSSOCertificateExpiring firing with severity="warning" within two
// minutes. A missing prometheus fails the test: it never skips.

// e2eDeadline bounds the wait for the alert.
const e2eDeadline = 2 * time.Minute

// pollClient asks Prometheus' API; its timeout bounds each poll, so that a port some
// other process holds (and never answers on) cannot hang the test.
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

	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %q
scrape_configs:
  - job_name: sendgrid-sso
    static_configs:
      - targets: [%q]
`, rules, exporter.addr)
	configFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(configFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	promAddr, promLog, exited := startPrometheus(t, promBin, configFile, filepath.Join(dir, "data"))

	deadline := time.Now().Add(e2eDeadline)
	var last string
	for {
		select {
		case <-exited:
			t.Fatalf("prometheus exited:\n%s", promLog)
		default:
		}
		firing, body := alertFiring("http://" + promAddr + "/api/v1/alerts")
		if firing {
			break
		}
		last = body
		if time.Now().After(deadline) {
			t.Fatalf("SendGridSSOCertificateExpiring{severity=\"warning\"} not firing within %v; last /api/v1/alerts:\n%s\nprometheus' log:\n%s\nthe exporter's log:\n%s",
				e2eDeadline, last, promLog, exporter.stderr.String())
		}
		time.Sleep(500 * time.Millisecond) // polling an outside process's API, bounded by the deadline
	}
	if code := exporter.signal(t, os.Interrupt); code != 0 {
		t.Errorf("the exporter exited %d, want 0", code)
	}
}

// startPrometheus starts promBin with configFile on a free loopback port and waits
// until its /-/ready answers. Prometheus cannot be told to pick a port and report it,
// so the port is one that was free a moment ago: when another process took it in
// between, Prometheus exits with "address already in use" and it starts again on
// another, at most three times. It returns the address, Prometheus' log (safe to
// read once exited is closed, or for a failure message) and a channel closed when
// the process exits.
func startPrometheus(t *testing.T, promBin, configFile, dataDir string) (string, *syncBuffer, <-chan struct{}) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		addr := freeAddr(t)
		promLog := &syncBuffer{}
		prom := exec.Command(promBin, "--config.file="+configFile, "--storage.tsdb.path="+filepath.Join(dataDir, strconv.Itoa(attempt)),
			"--web.listen-address="+addr)
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
		deadline := time.Now().Add(e2eDeadline)
		for {
			select {
			case <-exited:
				if attempt < 3 && strings.Contains(promLog.String(), "address already in use") {
					t.Logf("port of %s taken before prometheus bound it; another", addr)
				} else {
					t.Fatalf("prometheus exited before it was ready:\n%s", promLog)
				}
			default:
				if resp, err := pollClient.Get("http://" + addr + "/-/ready"); err == nil {
					_ = resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						return addr, promLog, exited
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("prometheus not ready within %v:\n%s", e2eDeadline, promLog)
				}
				time.Sleep(200 * time.Millisecond) // polling an outside process, bounded by the deadline
				continue
			}
			break
		}
	}
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
		if a.Labels["alertname"] == "SendGridSSOCertificateExpiring" && a.Labels["severity"] == "warning" && a.State == "firing" {
			return true, buf.String()
		}
	}
	return false, buf.String()
}

// freeAddr is a loopback address with a port that was free a moment ago, for a
// process that cannot report the port it picked.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
