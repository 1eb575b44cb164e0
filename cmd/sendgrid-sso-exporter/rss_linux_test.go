package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkExporterRSS1000Certificates runs the exporter binary against a fake
// serving 1,000 certificates, waits for its first refresh, scrapes it b.N times and
// reports its peak resident set size (VmHWM of /proc/PID/status) in MiB.
func BenchmarkExporterRSS1000Certificates(b *testing.B) {
	fake := largeFake(b)
	p := startExporter(b, nil, "--base-url", fake.URL, "--api-key-file", keyFile(b, fake.APIKey))
	p.waitFor(b, "refresh succeeded")
	var size int64
	for b.Loop() {
		size = scrapeOnce(b, "http://"+p.addr+"/metrics")
	}
	b.ReportMetric(float64(size), "body-bytes")
	peak := vmHWM(b, p.cmd.Process.Pid)
	b.ReportMetric(peak, "VmHWM-MiB")
	if peak > targetPeakRSS {
		b.Errorf("the exporter's peak RSS with %d certificates is %.1f MiB, above the %d MiB target", benchCertificates, peak, targetPeakRSS)
	}
}

// vmHWM is the peak RSS of process pid in MiB.
func vmHWM(b *testing.B, pid int) float64 {
	b.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM line in /proc/PID/status")
	return 0
}
