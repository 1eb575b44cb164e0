package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The certificate watch: cert with several IDs, --format, --warn-within and
// --idp-metadata.

// certIDs returns the "certificate" values of cert's text output, in order.
func certIDs(out string) []string {
	var ids []string
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "certificate  "); ok {
			ids = append(ids, strings.TrimSpace(v))
		}
	}
	return ids
}

func TestCertSeveralIDsInArgumentOrder(t *testing.T) {
	t.Parallel()
	fake := windowFake(t, time.Now())
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "2", "41", "3")
	r.WantExit(t, ExitOK)
	if got := certIDs(r.Stdout); fmt.Sprint(got) != "[2 41 3]" {
		t.Errorf("text: certificates %v, want [2 41 3]:\n%s", got, r.Stdout)
	}
	if !strings.Contains(r.Stdout, "\n\ncertificate  41\n") {
		t.Errorf("text: no blank line between certificates:\n%s", r.Stdout)
	}

	for _, flags := range [][]string{{"--json"}, {"--format", "json"}} {
		r = sso(t, clitest.KeyEnv(fake.APIKey), append(append([]string{"--base-url", fake.URL, "cert"}, flags...), "41", "2", "3")...)
		r.WantExit(t, ExitOK)
		lines := strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n")
		var got []int64
		for _, l := range lines {
			var v struct{ ID int64 }
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("%v: line %q is not one JSON object: %v", flags, l, err)
			}
			got = append(got, v.ID)
		}
		if fmt.Sprint(got) != "[41 2 3]" {
			t.Errorf("%v: ids %v, want [41 2 3], one object per line", flags, got)
		}
	}

	r = sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--pem", "41", "3")
	r.WantExit(t, ExitOK)
	if n := strings.Count(r.Stdout, "-----BEGIN CERTIFICATE-----"); n != 2 {
		t.Errorf("--pem with two IDs printed %d PEM blocks", n)
	}
}

// gatedServer serves the default certificate for any ID, holding each request until
// limit requests are in flight (or all total have arrived), and records the most it
// saw in flight at once.
type gatedServer struct {
	mu                sync.Mutex
	cond              *sync.Cond
	limit, total      int
	arrived, inflight int
	maxInflight       int
	open              int // requests released so far
}

func (g *gatedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.arrived++
	g.inflight++
	g.maxInflight = max(g.maxInflight, g.inflight)
	if g.inflight >= g.limit || g.arrived == g.total {
		g.open = g.arrived
		g.cond.Broadcast()
	}
	me := g.arrived
	for me > g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()

	c := ssotest.DefaultCertificate()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": c.ID, "public_certificate": c.PublicCertificate, "intergration_id": "i"})

	g.mu.Lock()
	g.inflight--
	g.mu.Unlock()
}

// TestCertFetchesConcurrentlyAtMostFour: with ten IDs, four requests are in flight
// together (the server holds each until four are: a sequential fetch would stall and
// time out), and none more was seen. That no fifth can start is shown
// deterministically by TestFetchCertificatesBounded.
func TestCertFetchesConcurrentlyAtMostFour(t *testing.T) {
	t.Parallel()
	g := &gatedServer{limit: 4, total: 10}
	g.cond = sync.NewCond(&g.mu)
	srv := httptest.NewServer(g)
	defer srv.Close()
	args := []string{"--base-url", srv.URL, "--timeout", "30s", "cert"}
	for i := 1; i <= g.total; i++ {
		args = append(args, strconv.Itoa(i))
	}
	r := sso(t, clitest.KeyEnv(clitest.TestKey), args...)
	r.WantExit(t, ExitOK)
	if got := len(certIDs(r.Stdout)); got != g.total {
		t.Errorf("printed %d certificates, want %d", got, g.total)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.maxInflight != 4 {
		t.Errorf("at most %d requests were in flight at once, want 4", g.maxInflight)
	}
}

// TestCertWarnWithin: the check fails (exit 4) for a certificate that expires within
// the window, has expired or is not yet valid, in every format.
func TestCertWarnWithin(t *testing.T) {
	t.Parallel()
	fake := windowFake(t, time.Now()) // 41: 41¼ days left; 3: expired; 2: not yet valid
	cases := []struct {
		id, window string
		exit       int
		failure    string
	}{
		{"41", "30d", ExitOK, ""},
		{"41", "720h", ExitOK, ""},
		{"41", "42d", ExitCheck, "expires in 41 days, within --warn-within 42d"},
		{"41", "1000h", ExitCheck, "expires in 41 days, within --warn-within 1000h"},
		{"3", "0s", ExitCheck, "expired 3 days ago"},
		{"2", "0d", ExitCheck, "not valid yet: starts in 2 days"},
	}
	for _, tc := range cases {
		t.Run(tc.id+" within "+tc.window, func(t *testing.T) {
			t.Parallel()
			base := []string{"--base-url", fake.URL, "cert", "--warn-within", tc.window}

			r := sso(t, clitest.KeyEnv(fake.APIKey), append(base, tc.id)...)
			r.WantExit(t, tc.exit)
			check := clitest.TextFields(t, r.Stdout)["check"]
			if tc.failure == "" {
				if check != "passed" || r.Stderr != "" {
					t.Errorf("check = %q, stderr %q; want passed and nothing on stderr", check, r.Stderr)
				}
			} else {
				if check != "FAILED: "+tc.failure {
					t.Errorf("check = %q, want FAILED: %s", check, tc.failure)
				}
				r.WantStderr(t, "sendgrid-sso: cert "+tc.id+": check failed: "+tc.failure)
			}

			r = sso(t, clitest.KeyEnv(fake.APIKey), append(base[:len(base):len(base)], "--format", "json", tc.id)...)
			r.WantExit(t, tc.exit)
			var v struct {
				Check struct {
					Passed   bool
					Failures []string
				}
			}
			if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
				t.Fatalf("json: %v\n%s", err, r.Stdout)
			}
			if v.Check.Passed != (tc.failure == "") || (tc.failure != "" && (len(v.Check.Failures) != 1 || v.Check.Failures[0] != tc.failure)) {
				t.Errorf("json check = %+v, want failure %q", v.Check, tc.failure)
			}

			r = sso(t, clitest.KeyEnv(fake.APIKey), append(base[:len(base):len(base)], "--format", "prometheus", tc.id)...)
			r.WantExit(t, tc.exit)
			want := fmt.Sprintf("sendgrid_sso_certificate_check_success{cert_id=%q} %d\n", tc.id, map[bool]int{true: 1, false: 0}[tc.failure == ""])
			if !strings.Contains(r.Stdout, want) {
				t.Errorf("prometheus output lacks %q:\n%s", want, r.Stdout)
			}
		})
	}
}

// TestCertExitStatusWithSeveralIDs: the most severe status wins: 3, then 1, then 4.
func TestCertExitStatusWithSeveralIDs(t *testing.T) {
	t.Parallel()
	now := time.Now()
	pemText := ssotest.DefaultCertificate().PublicCertificate
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := filepath.Base(r.URL.Path)
		switch id {
		case "404":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"message":"no such certificate"}]}`))
		case "hangup":
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		default: // "ok" is valid for a year, "soon" for a day
			left := 365 * 24 * time.Hour
			if id == "soon" {
				left = 24 * time.Hour
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"id": 1, "public_certificate": pemText, "not_before": now.Add(-time.Hour).Unix(), "not_after": now.Add(left).Unix()})
		}
	}))
	t.Cleanup(srv.Close)
	cases := []struct {
		ids  []string
		exit int
	}{
		{[]string{"ok", "ok2"}, ExitOK},
		{[]string{"ok", "soon"}, ExitCheck},
		{[]string{"soon", "404", "ok"}, ExitAPI},
		{[]string{"404", "hangup", "soon"}, ExitNetwork},
	}
	for _, tc := range cases {
		for _, format := range []string{"text", "json", "prometheus"} {
			t.Run(strings.Join(tc.ids, ",")+" "+format, func(t *testing.T) {
				t.Parallel()
				args := append([]string{"--base-url", srv.URL, "cert", "--format", format, "--warn-within", "30d"}, tc.ids...)
				r := sso(t, clitest.KeyEnv(clitest.TestKey), args...)
				if r.Code != tc.exit {
					t.Errorf("exit %d, want %d\nstderr:\n%s", r.Code, tc.exit, r.Stderr)
				}
				for _, id := range tc.ids {
					fetched := id != "404" && id != "hangup"
					if format == "prometheus" {
						if !strings.Contains(r.Stdout, fmt.Sprintf("check_success{cert_id=%q} ", id)) {
							t.Errorf("no check_success series for %s:\n%s", id, r.Stdout)
						}
					} else if !fetched && !strings.Contains(r.Stderr, "sendgrid-sso: cert "+id+": ") {
						t.Errorf("stderr does not name the failed %s:\n%s", id, r.Stderr)
					}
				}
			})
		}
	}
}

// TestCertUsageErrors: flag mistakes of the certificate watch exit 2 before any
// request.
func TestCertUsageErrors(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	base := []string{"--base-url", fake.URL, "cert"}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "yaml", "1"}, `--format "yaml": use text, json or prometheus`},
		{[]string{"--json", "--format", "prometheus", "1"}, "--json and --format prometheus exclude each other"},
		{[]string{"--pem", "--warn-within", "30d", "1"}, "--warn-within and --pem exclude each other"},
		{[]string{"--pem", "--format", "json", "1"}, "--format and --pem exclude each other"},
		{[]string{"--warn-within", "a month", "1"}, `"a month" is not a duration: give whole days such as 30d`},
		{[]string{"--warn-within", "-1d", "1"}, `"-1d" is not a number of days`},
		{[]string{"--warn-within", "-5h", "1"}, `"-5h" is negative`},
		{[]string{"1", "2", "1"}, "CERT_ID 1 is given twice"},
		{[]string{"1", "--json"}, "flag --json comes after CERT_ID"},
		{[]string{"--idp-metadata", filepath.Join(t.TempDir(), "missing.xml"), "1"}, "--idp-metadata: open "},
		{[]string{"--idp-metadata", "http://idp.example.com/metadata", "1"}, "uses plain http: use https"},
		{[]string{"--idp-metadata", "ftp://idp.example.com/metadata", "1"}, `has scheme "ftp": use https`},
	}
	for _, tc := range cases {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append(base[:len(base):len(base)], tc.args...)...)
		if r.Code != ExitUsage || !strings.Contains(r.Stderr, tc.want) || r.Stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 saying %q and no output", tc.args, r.Code, r.Stderr, r.Stdout, tc.want)
		}
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests; usage errors must be found before any", n)
	}
}

// TestCertIdPMetadata compares the certificate SendGrid holds with IdP metadata read
// from a file and from loopback http, in every format.
func TestCertIdPMetadata(t *testing.T) {
	t.Parallel()
	sendgrid := clitest.DefaultX509(t)
	next := clitest.NewCert(t, "idp.example.com next")
	other := clitest.NewCert(t, "someone else")
	fake := clitest.NewFake(t)
	id := strconv.Itoa(ssotest.DefaultCertificateID)
	fp := clitest.Fingerprint
	cases := []struct {
		name  string
		doc   string
		exit  int
		text  []string // lines of text output
		match int      // the Prometheus sample: 1 or 0, or -1 for none
	}{
		{"one signing certificate, SendGrid's", clitest.IdPMetadata("https://idp.test/a", nil, sendgrid), ExitOK,
			[]string{"idp metadata  matches signing certificate 1 of 1 (entity https://idp.test/a)", "check        passed"}, 1},
		{"a rollover: SendGrid holds the old one", clitest.IdPMetadata("e", nil, sendgrid, next), ExitOK,
			[]string{"idp metadata  matches signing certificate 1 of 2 (entity e)",
				"idp other    " + fp(next) + " (CN=idp.example.com next, expires " + next.NotAfter.UTC().Format(time.RFC3339) + "): not at SendGrid; upload it before the IdP switches to it"}, 1},
		{"a rollover: SendGrid holds the new one", clitest.IdPMetadata("e", nil, next, sendgrid), ExitOK,
			[]string{"idp metadata  matches signing certificate 2 of 2 (entity e)"}, 1},
		{"the IdP signs with another", clitest.IdPMetadata("e", sendgrid, other), ExitCheck,
			[]string{"idp metadata  DOES NOT MATCH: the IdP signs with " + fp(other) + " (CN=someone else, expires " + other.NotAfter.UTC().Format(time.RFC3339) + ")",
				"check        FAILED: the IdP does not sign with this certificate"}, 0},
		{"the IdP signs with two others", clitest.IdPMetadata("e", nil, other, next), ExitCheck,
			[]string{"idp metadata  DOES NOT MATCH: the IdP signs with 2 other certificates; upload the one it uses to SendGrid",
				"idp signs    " + fp(other), "idp signs    " + fp(next)}, 0},
		{"encryption only", clitest.IdPMetadata("e", sendgrid), ExitAPI,
			[]string{"idp metadata  NOT CHECKED: the metadata could not be read (see stderr)", "check        FAILED: the IdP metadata could not be read"}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			file := writeFile(t, "metadata.xml", tc.doc)
			served := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/samlmetadata+xml")
				_, _ = w.Write([]byte(tc.doc))
			}))
			defer served.Close()
			for _, src := range []string{file, served.URL + "/metadata"} {
				base := []string{"--base-url", fake.URL, "cert", "--idp-metadata", src}
				r := sso(t, clitest.KeyEnv(fake.APIKey), append(base, id)...)
				r.WantExit(t, tc.exit)
				for _, line := range tc.text {
					if !strings.Contains(r.Stdout, line) {
						t.Errorf("%s: text lacks %q:\n%s", src, line, r.Stdout)
					}
				}
				if tc.exit == ExitAPI {
					r.WantStderr(t, "invalid idp metadata: the IdP publishes no signing certificate, only 1 for encryption")
				}

				r = sso(t, clitest.KeyEnv(fake.APIKey), append(base[:len(base):len(base)], "--json", id)...)
				r.WantExit(t, tc.exit)
				var v struct {
					IdPMetadata struct {
						Matches             bool
						Error               string
						SigningCertificates []struct {
							SHA256Fingerprint string `json:"sha256_fingerprint"`
							AtSendGrid        bool   `json:"at_sendgrid"`
						} `json:"signing_certificates"`
					} `json:"idp_metadata"`
				}
				if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
					t.Fatalf("%s: json: %v\n%s", src, err, r.Stdout)
				}
				if v.IdPMetadata.Matches != (tc.match == 1) || (tc.match < 0) != (v.IdPMetadata.Error != "") {
					t.Errorf("%s: json idp_metadata = %+v", src, v.IdPMetadata)
				}
				for _, s := range v.IdPMetadata.SigningCertificates {
					if s.AtSendGrid != (s.SHA256Fingerprint == fp(sendgrid)) {
						t.Errorf("%s: json: %s at_sendgrid %v", src, s.SHA256Fingerprint, s.AtSendGrid)
					}
				}

				r = sso(t, clitest.KeyEnv(fake.APIKey), append(base[:len(base):len(base)], "--format", "prometheus", id)...)
				r.WantExit(t, tc.exit)
				sample := "sendgrid_sso_certificate_idp_metadata_match{cert_id=\"" + id + "\""
				if has := strings.Contains(r.Stdout, sample); has != (tc.match >= 0) {
					t.Errorf("%s: prometheus: idp_metadata_match sample present %v, want %v:\n%s", src, has, tc.match >= 0, r.Stdout)
				}
				if tc.match >= 0 && !strings.Contains(r.Stdout, fmt.Sprintf("} %d\n# HELP sendgrid_sso_certificate_check_success", tc.match)) {
					t.Errorf("%s: prometheus: idp_metadata_match is not %d:\n%s", src, tc.match, r.Stdout)
				}
			}
		})
	}
}

// TestCertIdPMetadataURLBoundedByTimeout: a metadata URL that accepts the connection
// and never answers holds cert only until --timeout; the certificate is still
// shown, and the run exits 3. The server is released by the test's cleanup. The
// --timeout of 2s bounds the fake's answer too, so it is far above what a loaded
// machine takes for it (500ms was not, when the binary ran).
func TestCertIdPMetadataURLBoundedByTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(release) }) // runs first: LIFO
	// A listener that never accepts: the connection waits in the backlog.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })

	fake := clitest.NewFake(t)
	for name, src := range map[string]string{
		"a server that never answers":   silent.URL + "/metadata",
		"a listener that never accepts": "http://" + l.Addr().String() + "/metadata",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "--timeout", "2s", "cert", "--idp-metadata", src, strconv.Itoa(ssotest.DefaultCertificateID))
			r.WantExit(t, ExitNetwork)
			r.WantStderr(t, "--idp-metadata: fetching idp metadata", "timed out after --timeout 2s")
			if !strings.Contains(r.Stdout, "idp metadata  NOT CHECKED") || !strings.Contains(r.Stdout, "certificate  66138975") {
				t.Errorf("stdout:\n%s", r.Stdout)
			}
		})
	}
}

// TestCertTextEscapesServerText: control and bidi runes from the API reach the
// terminal escaped. Prometheus output, to a pipe here, holds the value exactly, as a
// parser must read it back; on a terminal it is escaped (TestPrometheusOnATerminal).
func TestCertTextEscapesServerText(t *testing.T) {
	t.Parallel()
	c := ssotest.DefaultCertificate()
	c.IntegrationID = "i\x1b]0;owned\x07\u202egnp.exe"
	fake := clitest.NewFake(t, ssotest.WithCertificate(c))
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", strconv.FormatInt(c.ID, 10))
	r.WantExit(t, ExitOK)
	if strings.ContainsAny(r.Stdout, "\x1b\x07\u202e") {
		t.Errorf("stdout holds raw control or bidi runes: %q", r.Stdout)
	}
	if want := `integration  i\x1b]0;owned\x07\u202egnp.exe`; !strings.Contains(r.Stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.Stdout)
	}
	r = sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--format", "prometheus", strconv.FormatInt(c.ID, 10))
	if want := `integration_id="` + c.IntegrationID + `"`; !strings.Contains(r.Stdout, want) {
		t.Errorf("prometheus output to a pipe lacks the exact label %q:\n%q", want, r.Stdout)
	}
}
