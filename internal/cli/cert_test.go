package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestFetchCertificatesBounded: of ten fetches, exactly 4 (cert --help says so) run at a
// time, and the results come back in argument order although the fetches end in
// another. synctest.Wait returns once every goroutine of the bubble is blocked, so
// "no fifth fetch has started" is observed, not hoped for.
func TestFetchCertificatesBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ids := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
		var mu sync.Mutex
		running := map[int64]chan struct{}{} // fetches started and not yet released
		var results []certResult
		done := make(chan struct{})
		go func() {
			results = fetchCertificates(context.Background(), ids, func(_ context.Context, id string) (*wrapper.Certificate, error) {
				n, _ := strconv.ParseInt(id, 10, 64)
				release := make(chan struct{})
				mu.Lock()
				running[n] = release
				mu.Unlock()
				<-release
				return &wrapper.Certificate{ID: n}, nil
			})
			close(done)
		}()
		for left := len(ids); left > 0; left-- {
			synctest.Wait()
			mu.Lock()
			if want := min(4, left); len(running) != want { // 4: the bound cert --help states
				t.Fatalf("%d fetches running with %d left, want %d", len(running), left, want)
			}
			// End the newest first, so that results arrive out of order.
			newest := slices.Max(slices.Collect(maps.Keys(running)))
			close(running[newest])
			delete(running, newest)
			mu.Unlock()
		}
		<-done
		var got []string
		for _, r := range results {
			got = append(got, fmt.Sprintf("%s=%d", r.id, r.cert.ID))
		}
		if fmt.Sprint(got) != "[1=1 2=2 3=3 4=4 5=5 6=6 7=7 8=8 9=9 10=10]" {
			t.Errorf("results %v, want argument order", got)
		}
	})
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
	t.Parallel()
	fake := clitest.NewFake(t)
	x := clitest.DefaultX509(t)
	want := ssotest.DefaultCertificate()
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", strconv.FormatInt(want.ID, 10))
	r.WantExit(t, ExitOK)
	f := clitest.TextFields(t, r.Stdout)
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
	clitest.WantFingerprint(t, f["sha256"], x.Raw)
	if r.Stderr != "" {
		t.Errorf("stderr is not empty:\n%s", r.Stderr)
	}
}

// windowFake serves the default certificate's bytes under three IDs whose API validity
// windows differ.
func windowFake(t *testing.T, now time.Time) *ssotest.Server {
	pemText := ssotest.DefaultCertificate().PublicCertificate
	day := 24 * time.Hour
	return clitest.NewFake(t,
		ssotest.WithCertificate(ssotest.Certificate{ID: 41, PublicCertificate: pemText, NotBefore: now.Add(-day), NotAfter: now.Add(41*day + 6*time.Hour), IntegrationID: "i-41"}),
		ssotest.WithCertificate(ssotest.Certificate{ID: 3, PublicCertificate: pemText, NotBefore: now.Add(-100 * day), NotAfter: now.Add(-3*day - 6*time.Hour), IntegrationID: "i-3"}),
		ssotest.WithCertificate(ssotest.Certificate{ID: 2, PublicCertificate: pemText, NotBefore: now.Add(2*day + 6*time.Hour), NotAfter: now.Add(100 * day), IntegrationID: "i-2"}),
	)
}

func TestCertRemainingInPlainWords(t *testing.T) {
	t.Parallel()
	fake := windowFake(t, time.Now())
	for id, want := range map[string]string{
		"41": "(expires in 41 days)",
		"3":  "(expired 3 days ago)",
		"2":  "(not valid yet: starts in 2 days)",
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", id)
		r.WantExit(t, ExitOK)
		if got := clitest.TextFields(t, r.Stdout)["valid until"]; !strings.HasSuffix(got, want) {
			t.Errorf("cert %s: valid until = %q, want it to end in %q", id, got, want)
		}
	}
}

func TestCertJSON(t *testing.T) {
	t.Parallel()
	now := time.Now()
	fake := windowFake(t, now)
	x := clitest.DefaultX509(t)
	for _, tc := range []struct {
		id, status, remaining string
		expired               bool
	}{
		{"41", "valid", "expires in 41 days", false},
		{"3", "expired", "expired 3 days ago", true},
		{"2", "not yet valid", "not valid yet: starts in 2 days", false},
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--json", tc.id)
		r.WantExit(t, ExitOK)

		// Numbers are JSON numbers, times RFC 3339 strings.
		var raw map[string]any
		dec := json.NewDecoder(strings.NewReader(r.Stdout))
		dec.UseNumber()
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("cert --json %s: not one JSON object: %v\n%s", tc.id, err, r.Stdout)
		}
		if dec.More() {
			t.Errorf("cert --json %s: more than one JSON value:\n%s", tc.id, r.Stdout)
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
		clitest.WantFingerprint(t, str("sha256_fingerprint"), x.Raw)
		if block, _ := pem.Decode([]byte(str("public_certificate"))); block == nil || !bytes.Equal(block.Bytes, x.Raw) {
			t.Errorf("public_certificate is not the certificate as PEM: %q", raw["public_certificate"])
		}
	}
}

func TestCertPEM(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--pem", strconv.Itoa(ssotest.DefaultCertificateID))
	r.WantExit(t, ExitOK)
	block, rest := pem.Decode([]byte(r.Stdout))
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("stdout is not a PEM CERTIFICATE block:\n%s", r.Stdout)
	}
	if !bytes.Equal(block.Bytes, clitest.DefaultX509(t).Raw) {
		t.Errorf("the PEM block is not the served certificate")
	}
	if len(rest) != 0 {
		t.Errorf("stdout has more than the PEM block: %q", rest)
	}
}

// TestCertWindowFallsBackToTheCertificate: when the API sends no not_before or
// not_after, cert shows the certificate's own validity window.
func TestCertWindowFallsBackToTheCertificate(t *testing.T) {
	t.Parallel()
	x := clitest.DefaultX509(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": 7, "public_certificate": ssotest.DefaultCertificate().PublicCertificate})
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "cert", "7")
	r.WantExit(t, ExitOK)
	f := clitest.TextFields(t, r.Stdout)
	if want := x.NotBefore.UTC().Format(time.RFC3339); f["valid from"] != want {
		t.Errorf("valid from = %q, want the certificate's %q", f["valid from"], want)
	}
	if want := x.NotAfter.UTC().Format(time.RFC3339); !strings.HasPrefix(f["valid until"], want) {
		t.Errorf("valid until = %q, want the certificate's %q", f["valid until"], want)
	}
}

// TestCertUnusableResponses: a 200 the tool cannot use exits 1 with what was wrong.
func TestCertUnusableResponses(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t, ssotest.WithCertificate(ssotest.Certificate{ID: 9, PublicCertificate: "bm90IGEgY2VydGlmaWNhdGU=", NotAfter: time.Now()}))
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "9")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "certificate 9")
	if r.Stdout != "" {
		t.Errorf("stdout is not empty:\n%s", r.Stdout)
	}

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>maintenance</html>"))
	}))
	defer html.Close()
	r = sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", html.URL, "cert", "9")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "invalid response", "maintenance")
}

// TestCertOutputThatCannotBeWritten: a full disk is not a network failure: exit 5.
func TestCertOutputThatCannotBeWritten(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	for _, format := range []string{"--json", "--pem", "--json=false", "--format=prometheus"} {
		r := ssoTo(t, fullDisk{}, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", format, strconv.Itoa(ssotest.DefaultCertificateID))
		r.WantExit(t, ExitOutput)
		r.WantStderr(t, "writing the certificate to stdout: write /dev/stdout: no space left on device")
	}
}
