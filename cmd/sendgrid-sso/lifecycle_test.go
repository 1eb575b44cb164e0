package main

import (
	"crypto/x509"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestCertificateLifecycle is the rotation end to end, for each shape of metadata
// real IdPs publish (testcert.IdPShapes), served over loopback https with a test CA
// that the process trusts through SSL_CERT_FILE: sync's dry run lists what to upload
// and exits 4, sync --apply uploads exactly that and exits 0, a second dry run finds
// SendGrid in step, and cert --all --idp-metadata finds every certificate SendGrid
// holds signed with. The API side is an in-process ssotest fake, since
// sendgrid-sso-fake serves one integration whose entity ID no shape has; every
// integration's entity ID is an entity of the shape's metadata.
func TestCertificateLifecycle(t *testing.T) {
	t.Parallel()
	sign, next, enc := clitest.NewCert(t, "sign"), clitest.NewCert(t, "next"), clitest.NewCert(t, "encryption")
	shapes := testcert.IdPShapes(sign, next, enc)
	// An integration, the certificates SendGrid already holds for it, and those sync
	// must upload to it.
	type integration struct {
		entityID   string
		held, want []*x509.Certificate
	}
	for _, tc := range []struct {
		shape        string
		integrations []integration
		binary       bool // against sendgrid-sso-fake --seed --tls; needs a held certificate
	}{
		{shape: "okta", integrations: []integration{{entityID: "http://www.okta.com/exk1", want: []*x509.Certificate{sign}}}},
		{shape: "entra", integrations: []integration{{entityID: "https://sts.windows.net/t/", want: []*x509.Certificate{sign, next}}}},
		{shape: "google", integrations: []integration{{entityID: "https://accounts.google.test/o/saml2?idpid=C1", want: []*x509.Certificate{sign}}}},
		{shape: "keycloak", integrations: []integration{{entityID: "https://kc.test/realms/r", want: []*x509.Certificate{sign}}}},
		{shape: "aggregate", integrations: []integration{
			{entityID: "https://idp1.test/shibboleth", want: []*x509.Certificate{sign}},
			{entityID: "https://idp2.test/shibboleth", want: []*x509.Certificate{next}},
		}},
		{shape: "rollover", integrations: []integration{{entityID: "https://idp.test/rollover", held: []*x509.Certificate{sign}, want: []*x509.Certificate{next}}}},
		{shape: "rollover", integrations: []integration{{entityID: "https://idp.test/rollover", held: []*x509.Certificate{sign}, want: []*x509.Certificate{next}}}, binary: true},
	} {
		name := tc.shape
		if tc.binary {
			name += "/sendgrid-sso-fake"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, ok := shapes[tc.shape]
			if !ok {
				t.Fatalf("testcert.IdPShapes has no %q", tc.shape)
			}
			var opts []ssotest.Option
			var seed []any // the same, as a --seed file has it
			var wantUploads, held int
			for i, in := range tc.integrations {
				id := integrationID(i)
				opts = append(opts, ssotest.WithIntegration(ssotest.Integration{ID: id, Name: id, EntityID: in.entityID, Enabled: true, LastUpdated: time.Unix(1700000000, 0)}))
				var certs []any
				for j, c := range in.held {
					certID := int64(100*i + j + 1)
					opts = append(opts, ssotest.WithCertificate(ssotest.Certificate{
						ID: certID, PublicCertificate: testcert.PEM(c), NotBefore: c.NotBefore, NotAfter: c.NotAfter, IntegrationID: id,
					}))
					certs = append(certs, map[string]any{"id": certID, "public_certificate": testcert.PEM(c)})
				}
				seed = append(seed, map[string]any{"id": id, "name": id, "entity_id": in.entityID, "last_updated": 1700000000, "certificates": certs})
				wantUploads += len(in.want)
				held += len(in.held)
			}
			mdURL, caFile := serveMetadata(t, doc)
			var fakeURL, fakeKey string
			if tc.binary {
				fake := startFakeBinary(t, map[string]any{"integrations": seed}, caFile)
				fakeURL, fakeKey = fake.URL, fake.APIKey
				defer func() {
					_, stderr := fake.Interrupt(t)
					if rep, err := clitest.ParseReport(stderr); err != nil || rep.BadRequests != 0 || rep.BadAnswers != 0 || rep.WithoutKey != 0 || rep.Requests == 0 {
						t.Errorf("the fake's report %+v, %v: want requests with the key, and none that broke the spec", rep, err)
					}
				}()
			} else {
				fake := clitest.NewFake(t, opts...)
				fakeURL, fakeKey = fake.URL, fake.APIKey
			}
			env := clitest.KeyEnv(fakeKey, "SSL_CERT_FILE="+caFile)
			run := func(want int, args ...string) clitest.Result {
				t.Helper()
				r := sso(t, env, append([]string{"--base-url", fakeURL}, args...)...)
				r.WantExit(t, want)
				return r
			}

			dry := run(cli.ExitCheck, "sync", "--idp-metadata", mdURL)
			applied := run(cli.ExitOK, "sync", "--idp-metadata", mdURL, "--apply")
			for _, step := range []struct {
				out, prefix string
			}{{dry.Stdout, "to upload    "}, {applied.Stdout, "uploaded     "}} {
				if n := strings.Count(step.out, step.prefix); n != wantUploads {
					t.Errorf("%d lines %q, want %d:\n%s", n, step.prefix, wantUploads, step.out)
				}
				for _, in := range tc.integrations {
					for _, c := range in.want {
						if line := step.prefix + clitest.Fingerprint(c) + " " + c.Subject.String(); !strings.Contains(step.out, line) {
							t.Errorf("stdout lacks %q (entity %s):\n%s", line, in.entityID, step.out)
						}
					}
				}
				if fp := clitest.Fingerprint(enc); strings.Contains(step.out, fp) {
					t.Errorf("the certificate not published for signing (%s) is listed:\n%s", fp, step.out)
				}
			}

			again := run(cli.ExitOK, "sync", "--idp-metadata", mdURL)
			if strings.Contains(again.Stdout, "to upload    ") {
				t.Errorf("sync after --apply finds something to upload:\n%s", again.Stdout)
			}
			// Each certificate SendGrid now holds is its integration's, and the IdP
			// signs with it.
			want := map[string]string{} // fingerprint: integration ID
			for i, in := range tc.integrations {
				for _, c := range append(in.held, in.want...) {
					want[clitest.Fingerprint(c)] = integrationID(i)
				}
			}
			got := map[string]string{}
			all := run(cli.ExitOK, "cert", "--all", "--json", "--idp-metadata", mdURL)
			for _, line := range strings.Split(strings.TrimSuffix(all.Stdout, "\n"), "\n") {
				var v struct {
					IntegrationID string `json:"integration_id"`
					Fingerprint   string `json:"sha256_fingerprint"`
					IdP           struct {
						Matches bool `json:"matches"`
					} `json:"idp_metadata"`
				}
				if err := json.Unmarshal([]byte(line), &v); err != nil || !v.IdP.Matches {
					t.Errorf("cert --all --idp-metadata: %v, or the IdP does not sign with: %s", err, line)
				}
				got[v.Fingerprint] = v.IntegrationID
			}
			if !maps.Equal(got, want) {
				t.Errorf("SendGrid holds (fingerprint: integration) %v, want %v", got, want)
			}
		})
	}
}

// integrationID is the ID of the test's i-th integration.
func integrationID(i int) string {
	return "lifecycle-" + string(rune('a'+i))
}

// serveMetadata serves doc over https on loopback, with a test CA, and returns its URL
// and a PEM file of the CA for SSL_CERT_FILE.
func serveMetadata(t *testing.T, doc string) (url, caFile string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/samlmetadata+xml")
		_, _ = w.Write([]byte(doc))
	}))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, []byte(testcert.PEM(srv.Certificate())), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/metadata", caFile
}

// startFakeBinary starts sendgrid-sso-fake with seed as its --seed file, serving HTTPS
// (--tls) under a CA it writes (--ca-out), and appends that CA to the PEM file
// caFile, so that an SSL_CERT_FILE of caFile trusts it.
func startFakeBinary(t *testing.T, seed map[string]any, caFile string) *clitest.Fake {
	t.Helper()
	dir := t.TempDir()
	seedFile, fakeCA := filepath.Join(dir, "seed.json"), filepath.Join(dir, "fake-ca.pem")
	b, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seedFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	fake := clitest.StartFake(t, fakeBin, nil, "--addr", "127.0.0.1:0", "--seed", seedFile, "--tls", "--ca-out", fakeCA)
	if !strings.HasPrefix(fake.URL, "https://") {
		t.Fatalf("the fake with --tls serves %s", fake.URL)
	}
	ca, err := os.ReadFile(fakeCA)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(caFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(ca); err != nil {
		t.Fatal(err)
	}
	return fake
}
