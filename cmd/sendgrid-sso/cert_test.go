package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// defaultX509 is the fake's default certificate, parsed here independently of the CLI.
func defaultX509(t *testing.T) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode([]byte(ssotest.DefaultCertificate().PublicCertificate))
	if block == nil {
		t.Fatal("the default certificate is not PEM")
	}
	x, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// textFields reads cert's text output: "label  value" lines into a map.
func textFields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		label, value, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("line %q has no label", line)
		}
		m[label] = strings.TrimSpace(value)
	}
	return m
}

// wantFingerprint fails unless fp is the colon-separated SHA-256 of der.
func wantFingerprint(t *testing.T, fp string, der []byte) {
	t.Helper()
	got, err := hex.DecodeString(strings.ReplaceAll(fp, ":", ""))
	if err != nil {
		t.Fatalf("fingerprint %q is not colon-separated hex: %v", fp, err)
	}
	if want := sha256.Sum256(der); !bytes.Equal(got, want[:]) {
		t.Errorf("fingerprint %s is not the certificate's SHA-256", fp)
	}
	if len(fp) != 32*3-1 || strings.ToUpper(fp) != fp {
		t.Errorf("fingerprint %q is not upper-case hex pairs joined by colons, as openssl prints it", fp)
	}
}

// wantSerial fails unless s is the hex serial of x.
func wantSerial(t *testing.T, s string, x *x509.Certificate) {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	if !ok || n.Cmp(x.SerialNumber) != 0 {
		t.Errorf("serial %q, want %X", s, x.SerialNumber)
	}
}

func TestCertText(t *testing.T) {
	fake := newFake(t)
	x := defaultX509(t)
	want := ssotest.DefaultCertificate()
	r := sso(t, keyEnv(), "--base-url", fake.URL, "cert", strconv.FormatInt(want.ID, 10))
	r.wantExit(t, exitOK)
	f := textFields(t, r.stdout)
	checks := map[string]string{
		"certificate": strconv.FormatInt(want.ID, 10),
		"integration": want.IntegrationID,
		"valid from":  want.NotBefore.UTC().Format(time.RFC3339),
		"subject":     x.Subject.String(),
		"issuer":      x.Issuer.String(),
	}
	for label, v := range checks {
		if f[label] != v {
			t.Errorf("%s = %q, want %q", label, f[label], v)
		}
	}
	if until := want.NotAfter.UTC().Format(time.RFC3339); !strings.HasPrefix(f["valid until"], until+" (expires in ") {
		t.Errorf("valid until = %q, want %s (expires in ...)", f["valid until"], until)
	}
	wantSerial(t, f["serial"], x)
	wantFingerprint(t, f["sha256"], x.Raw)
	if r.stderr != "" {
		t.Errorf("stderr is not empty:\n%s", r.stderr)
	}
}

// windowFake serves the default certificate's bytes under three IDs whose API validity
// windows differ.
func windowFake(t *testing.T, now time.Time) *ssotest.Server {
	pemText := ssotest.DefaultCertificate().PublicCertificate
	day := 24 * time.Hour
	return newFake(t,
		ssotest.WithCertificate(ssotest.Certificate{ID: 41, PublicCertificate: pemText, NotBefore: now.Add(-day), NotAfter: now.Add(41*day + 12*time.Hour), IntegrationID: "i-41"}),
		ssotest.WithCertificate(ssotest.Certificate{ID: 3, PublicCertificate: pemText, NotBefore: now.Add(-100 * day), NotAfter: now.Add(-3*day - 12*time.Hour), IntegrationID: "i-3"}),
		ssotest.WithCertificate(ssotest.Certificate{ID: 2, PublicCertificate: pemText, NotBefore: now.Add(2*day + 12*time.Hour), NotAfter: now.Add(100 * day), IntegrationID: "i-2"}),
	)
}

func TestCertRemainingInPlainWords(t *testing.T) {
	fake := windowFake(t, time.Now())
	for id, want := range map[string]string{
		"41": "(expires in 41 days)",
		"3":  "(expired 3 days ago)",
		"2":  "(not valid yet: starts in 2 days)",
	} {
		r := sso(t, keyEnv(), "--base-url", fake.URL, "cert", id)
		r.wantExit(t, exitOK)
		if got := textFields(t, r.stdout)["valid until"]; !strings.HasSuffix(got, want) {
			t.Errorf("cert %s: valid until = %q, want it to end in %q", id, got, want)
		}
	}
}

func TestCertJSON(t *testing.T) {
	now := time.Now()
	fake := windowFake(t, now)
	x := defaultX509(t)
	for _, tc := range []struct {
		id, status, remaining string
		expired               bool
	}{
		{"41", "valid", "expires in 41 days", false},
		{"3", "expired", "expired 3 days ago", true},
		{"2", "not yet valid", "not valid yet: starts in 2 days", false},
	} {
		r := sso(t, keyEnv(), "--base-url", fake.URL, "cert", "--json", tc.id)
		r.wantExit(t, exitOK)

		// Numbers are JSON numbers, times RFC 3339 strings.
		var raw map[string]any
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.UseNumber()
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("cert --json %s: not one JSON object: %v\n%s", tc.id, err, r.stdout)
		}
		if dec.More() {
			t.Errorf("cert --json %s: more than one JSON value:\n%s", tc.id, r.stdout)
		}
		if n, ok := raw["id"].(json.Number); !ok || n.String() != tc.id {
			t.Errorf("id = %#v, want the JSON number %s", raw["id"], tc.id)
		}
		secs, ok := raw["expires_in_seconds"].(json.Number)
		if !ok {
			t.Fatalf("expires_in_seconds = %#v, want a JSON number", raw["expires_in_seconds"])
		}
		if n, _ := secs.Int64(); (n < 0) != tc.expired {
			t.Errorf("cert %s: expires_in_seconds = %d, negative should mean expired (%v)", tc.id, n, tc.expired)
		}
		for _, field := range []string{"not_before", "not_after"} {
			s, _ := raw[field].(string)
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.Errorf("%s = %#v, want an RFC 3339 time: %v", field, raw[field], err)
			}
		}

		// The wire names are checked here, not through the CLI's own type.
		str := func(field string) string {
			v, ok := raw[field].(string)
			if !ok {
				t.Errorf("cert --json %s: %s = %#v, want a string", tc.id, field, raw[field])
			}
			return v
		}
		if got := str("integration_id"); got != "i-"+tc.id {
			t.Errorf("integration_id = %q, want i-%s", got, tc.id)
		}
		if got := str("status"); got != tc.status {
			t.Errorf("status = %q, want %q", got, tc.status)
		}
		if got := str("remaining"); got != tc.remaining {
			t.Errorf("remaining = %q, want %q", got, tc.remaining)
		}
		if got := str("subject"); got != x.Subject.String() {
			t.Errorf("subject = %q, want %q", got, x.Subject)
		}
		if got := str("issuer"); got != x.Issuer.String() {
			t.Errorf("issuer = %q, want %q", got, x.Issuer)
		}
		wantSerial(t, str("serial"), x)
		wantFingerprint(t, str("sha256_fingerprint"), x.Raw)
		if block, _ := pem.Decode([]byte(str("public_certificate"))); block == nil || !bytes.Equal(block.Bytes, x.Raw) {
			t.Errorf("public_certificate is not the certificate as PEM: %q", raw["public_certificate"])
		}
	}
}

func TestCertPEM(t *testing.T) {
	fake := newFake(t)
	r := sso(t, keyEnv(), "--base-url", fake.URL, "cert", "--pem", strconv.Itoa(ssotest.DefaultCertificateID))
	r.wantExit(t, exitOK)
	block, rest := pem.Decode([]byte(r.stdout))
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("stdout is not a PEM CERTIFICATE block:\n%s", r.stdout)
	}
	if !bytes.Equal(block.Bytes, defaultX509(t).Raw) {
		t.Errorf("the PEM block is not the served certificate")
	}
	if len(rest) != 0 {
		t.Errorf("stdout has more than the PEM block: %q", rest)
	}
}

// TestCertWindowFallsBackToTheCertificate: when the API sends no not_before or
// not_after, cert shows the certificate's own validity window.
func TestCertWindowFallsBackToTheCertificate(t *testing.T) {
	x := defaultX509(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": 7, "public_certificate": ssotest.DefaultCertificate().PublicCertificate})
	}))
	defer srv.Close()
	r := sso(t, keyEnv(), "--base-url", srv.URL, "cert", "7")
	r.wantExit(t, exitOK)
	f := textFields(t, r.stdout)
	if want := x.NotBefore.UTC().Format(time.RFC3339); f["valid from"] != want {
		t.Errorf("valid from = %q, want the certificate's %q", f["valid from"], want)
	}
	if want := x.NotAfter.UTC().Format(time.RFC3339); !strings.HasPrefix(f["valid until"], want) {
		t.Errorf("valid until = %q, want the certificate's %q", f["valid until"], want)
	}
}

// TestCertUnusableResponses: a 200 the tool cannot use exits 1 with what was wrong.
func TestCertUnusableResponses(t *testing.T) {
	fake := newFake(t, ssotest.WithCertificate(ssotest.Certificate{ID: 9, PublicCertificate: "bm90IGEgY2VydGlmaWNhdGU=", NotAfter: time.Now()}))
	r := sso(t, keyEnv(), "--base-url", fake.URL, "cert", "9")
	r.wantExit(t, exitAPI)
	r.wantStderr(t, "certificate 9")
	if r.stdout != "" {
		t.Errorf("stdout is not empty:\n%s", r.stdout)
	}

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>maintenance</html>"))
	}))
	defer html.Close()
	r = sso(t, keyEnv(), "--base-url", html.URL, "cert", "9")
	r.wantExit(t, exitAPI)
	r.wantStderr(t, "invalid response", "maintenance")
}
