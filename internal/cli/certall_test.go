package cli

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// allFake serves three integrations: "okta" with one certificate, "entra" (disabled,
// a name and entity ID with a quote, a backslash and a line feed) with two, and
// "empty" with none. It returns the certificates' IDs, integration by integration.
func allFake(t *testing.T, extra ...ssotest.Option) (*ssotest.Server, []int64) {
	fake, ids, _ := allFakeCerts(t, extra...)
	return fake, ids
}

// allFakeCerts is allFake, and the certificates it serves by ID.
func allFakeCerts(t *testing.T, extra ...ssotest.Option) (*ssotest.Server, []int64, map[int64]*x509.Certificate) {
	t.Helper()
	opts := []ssotest.Option{
		ssotest.WithIntegration(ssotest.Integration{ID: "okta", Name: "Okta", EntityID: "http://www.okta.com/exk1", Enabled: true}),
		ssotest.WithIntegration(ssotest.Integration{ID: "entra", Name: "Entra \"ID\"\n\\", EntityID: "https://sts.windows.net/t/\n", Enabled: false}),
		ssotest.WithIntegration(ssotest.Integration{ID: "empty", Name: "Empty", EntityID: "urn:empty", Enabled: true}),
	}
	ids := []int64{7, 9, 8}
	owners := []string{"okta", "entra", "entra"}
	certs := map[int64]*x509.Certificate{}
	for i, id := range ids {
		x := clitest.NewCert(t, "cert-"+strconv.FormatInt(id, 10))
		certs[id] = x
		opts = append(opts, heldBy(id, x, owners[i]))
	}
	// The fake lists an integration's certificates by ID.
	return clitest.NewFake(t, append(opts, extra...)...), []int64{7, 8, 9}, certs
}

// TestCertAllJSON: --all lists every integration's certificates, integration by
// integration, each line carrying its integration's ID, name and entity ID.
func TestCertAllJSON(t *testing.T) {
	t.Parallel()
	fake, ids := allFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--json")
	r.WantExit(t, ExitOK)
	type line struct {
		ID            int64  `json:"id"`
		IntegrationID string `json:"integration_id"`
		Integration   struct {
			ID, Name string
			EntityID string `json:"entity_id"`
			Enabled  bool
		} `json:"integration"`
	}
	var got []line
	for _, s := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		var l line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("line %q: %v", s, err)
		}
		got = append(got, l)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(ids), r.Stdout)
	}
	wantOwner := []string{"okta", "entra", "entra"}
	for i, l := range got {
		if l.ID != ids[i] || l.IntegrationID != wantOwner[i] || l.Integration.ID != wantOwner[i] {
			t.Errorf("line %d: id %d integration %q/%q, want %d %q", i, l.ID, l.IntegrationID, l.Integration.ID, ids[i], wantOwner[i])
		}
	}
	if g := got[0].Integration; g.Name != "Okta" || g.EntityID != "http://www.okta.com/exk1" || !g.Enabled {
		t.Errorf("okta's integration %+v", g)
	}
	if g := got[1].Integration; g.Name != "Entra \"ID\"\n\\" || g.EntityID != "https://sts.windows.net/t/\n" || g.Enabled {
		t.Errorf("entra's integration %+v", g)
	}
	if r.Stderr != "" {
		t.Errorf("stderr: %s", r.Stderr)
	}
}

// TestCertAllText: the text blocks name each certificate's integration, escaped for
// the terminal.
func TestCertAllText(t *testing.T) {
	t.Parallel()
	fake, _ := allFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all")
	r.WantExit(t, ExitOK)
	blocks := strings.Split(strings.TrimSpace(r.Stdout), "\n\n")
	if len(blocks) != 3 {
		t.Fatalf("%d blocks, want 3:\n%s", len(blocks), r.Stdout)
	}
	f := clitest.TextFields(t, blocks[0])
	if f["certificate"] != "7" || f["name"] != "Okta" || f["entity id"] != "http://www.okta.com/exk1" || f["enabled"] != "true" {
		t.Errorf("first block %v", f)
	}
	f = clitest.TextFields(t, blocks[2])
	if f["certificate"] != "9" || f["enabled"] != "false" || strings.ContainsAny(f["name"]+f["entity id"], "\n") {
		t.Errorf("last block %v: the entity ID's line feed must be escaped", f)
	}
}

// TestCertAllPrometheus: one info series per integration, those without
// certificates too, its label values escaped once for the format.
func TestCertAllPrometheus(t *testing.T) {
	t.Parallel()
	fake, _ := allFake(t)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--format", "prometheus")
	r.WantExit(t, ExitOK)
	series := promSeries(t, r.Stdout)
	info := series[metricIntegration]
	if len(info) != 3 {
		t.Fatalf("%d %s series, want 3:\n%s", len(info), metricIntegration, r.Stdout)
	}
	want := []map[string]string{
		{"integration_id": "okta", "name": "Okta", "entity_id": "http://www.okta.com/exk1", "enabled": "true"},
		{"integration_id": "entra", "name": "Entra \"ID\"\n\\", "entity_id": "https://sts.windows.net/t/\n", "enabled": "false"},
		{"integration_id": "empty", "name": "Empty", "entity_id": "urn:empty", "enabled": "true"},
	}
	for i, w := range want {
		for k, v := range w {
			if info[i][k] != v {
				t.Errorf("series %d: %s = %q, want %q", i, k, info[i][k], v)
			}
		}
	}
	if n := len(series[metricNotAfter]); n != 3 {
		t.Errorf("%d %s series, want 3", n, metricNotAfter)
	}
}

// TestCertAllWarnWithin: --warn-within judges every certificate; one within the
// window fails the run with exit status 4 and names it.
func TestCertAllWarnWithin(t *testing.T) {
	t.Parallel()
	now := time.Now()
	soon := certValid(t, "soon", now.Add(-time.Hour), now.Add(48*time.Hour))
	fake, _ := allFake(t, heldBy(12, soon, "empty"))
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--warn-within", "30d")
	r.WantExit(t, ExitCheck)
	r.WantStderr(t, "cert 12: check failed")
	if n := strings.Count(r.Stderr, "check failed"); n != 1 { // 7, 8 and 9 pass
		t.Errorf("%d failures on stderr, want 1 (cert 12):\n%s", n, r.Stderr)
	}
}

// TestCertAllUsage: --all replaces the IDs; without it an ID is required.
func TestCertAllUsage(t *testing.T) {
	t.Parallel()
	fake, _ := allFake(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cert", "--all", "7"}, "--all and CERT_ID 7 exclude each other"},
		{[]string{"cert"}, "missing CERT_ID"},
		{[]string{"cert", "--all", "--entity-id", "urn:x"}, "--entity-id picks an entity of --idp-metadata: give --idp-metadata too"},
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL}, tc.args...)...)
		r.WantExit(t, ExitUsage)
		r.WantStderr(t, tc.want, "(--all | CERT_ID...)")
	}
}

// aggregateFile writes metadata of two entities to a file: okta's
// ("http://www.okta.com/exk1", signing with oktaCerts) and "urn:other" (signing with
// otherCerts).
func aggregateFile(t *testing.T, oktaCerts, otherCerts []*x509.Certificate) string {
	t.Helper()
	keys := func(cs []*x509.Certificate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, testcert.KeyDescriptor(` use="signing"`, c))
		}
		return out
	}
	doc := `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` +
		testcert.IdPEntity("http://www.okta.com/exk1", keys(oktaCerts)...) +
		testcert.IdPEntity("urn:other", keys(otherCerts)...) + `</md:EntitiesDescriptor>`
	return tempFile(t, doc)
}

// tempFile writes doc to a file of its own and returns its path.
func tempFile(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "metadata.xml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// certValid is a new self-signed certificate for cn valid from notBefore to notAfter.
func certValid(t *testing.T, cn string, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	return testcert.New(t, testcert.Spec{CN: cn, Serial: notBefore.UnixNano(), NotBefore: notBefore, NotAfter: notAfter}).X
}

// heldBy serves x as SendGrid's certificate id of the integration integrationID.
func heldBy(id int64, x *x509.Certificate, integrationID string) ssotest.Option {
	return ssotest.WithCertificate(ssotest.Certificate{ID: id, PublicCertificate: testcert.PEM(x), NotBefore: x.NotBefore, NotAfter: x.NotAfter, IntegrationID: integrationID})
}

// certChecks runs cert with args and returns each certificate's check outcome from
// its JSON line: "passed", or the failures joined.
func certChecks(t *testing.T, fake *ssotest.Server, want int, args ...string) map[int64]string {
	t.Helper()
	r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL, "cert", "--json"}, args...)...)
	r.WantExit(t, want)
	out := map[int64]string{}
	for _, s := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		var l struct {
			ID    int64 `json:"id"`
			Check struct {
				Passed   bool     `json:"passed"`
				Failures []string `json:"failures"`
			} `json:"check"`
		}
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("line %q: %v", s, err)
		}
		out[l.ID] = "passed"
		if !l.Check.Passed {
			out[l.ID] = strings.Join(l.Check.Failures, "; ")
		}
	}
	return out
}

// TestCertAllJudgesOwnEntity: with --all, each integration is judged against the
// entity of its own entity ID, never the certificates of the whole aggregate: cert 8
// is signed for by urn:other, which is not its integration's entity.
func TestCertAllJudgesOwnEntity(t *testing.T) {
	t.Parallel()
	fake, _, certs := allFakeCerts(t)
	next := clitest.NewCert(t, "okta-next")
	md := aggregateFile(t, []*x509.Certificate{certs[7], next}, []*x509.Certificate{certs[8]})
	got := certChecks(t, fake, ExitCheck, "--all", "--idp-metadata", md)
	if got[7] != "passed" {
		t.Errorf("cert 7 (okta's, in okta's entity): %s", got[7])
	}
	for _, id := range []int64{8, 9} {
		if !strings.Contains(got[id], `the IdP metadata has no entity "https://sts.windows.net/t/\n", the integration's entity ID`) {
			t.Errorf("cert %d (entra's, whose entity the metadata lacks): %q", id, got[id])
		}
	}

	// --entity-id judges every certificate against urn:other.
	got = certChecks(t, fake, ExitCheck, "--all", "--idp-metadata", md, "--entity-id", "urn:other")
	if got[8] != "passed" || got[7] != "the IdP does not sign with this certificate" || got[9] != got[7] {
		t.Errorf("against urn:other: %v", got)
	}
}

// TestCertByIDAggregateNeedsEntity: by ID (no integration known), an aggregate
// needs --entity-id; a single entity does not.
func TestCertByIDAggregateNeedsEntity(t *testing.T) {
	t.Parallel()
	fake, _, certs := allFakeCerts(t)
	md := aggregateFile(t, []*x509.Certificate{certs[7]}, []*x509.Certificate{certs[8]})
	got := certChecks(t, fake, ExitCheck, "--idp-metadata", md, "8")
	if got[8] != "the IdP metadata describes several entities: pick one with --entity-id" {
		t.Errorf("cert 8 against the aggregate: %q", got[8])
	}
	got = certChecks(t, fake, ExitOK, "--idp-metadata", md, "--entity-id", "urn:other", "8")
	if got[8] != "passed" {
		t.Errorf("cert 8 against urn:other: %q", got[8])
	}
	got = certChecks(t, fake, ExitCheck, "--idp-metadata", md, "--entity-id", "urn:nope", "8")
	if got[8] != `the IdP metadata has no entity "urn:nope" (--entity-id)` {
		t.Errorf("cert 8 against urn:nope: %q", got[8])
	}
}

// TestCertAllKnowsWhatTheIntegrationHolds: with --all, an IdP certificate that
// another certificate of the same integration already is counts as at SendGrid (it
// was named as one to upload, after sync --apply had uploaded it); one held by another
// integration does not.
func TestCertAllKnowsWhatTheIntegrationHolds(t *testing.T) {
	t.Parallel()
	fake, _, certs := allFakeCerts(t)
	md := aggregateFile(t, []*x509.Certificate{certs[7]}, []*x509.Certificate{certs[8], certs[9]})
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--json", "--all", "--idp-metadata", md, "--entity-id", "urn:other")
	r.WantExit(t, ExitCheck) // cert 7 is not urn:other's
	held := map[int64][]bool{}
	for _, s := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		var l struct {
			ID  int64 `json:"id"`
			IdP struct {
				Signing []struct {
					AtSendGrid bool `json:"at_sendgrid"`
				} `json:"signing_certificates"`
			} `json:"idp_metadata"`
		}
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("line %q: %v", s, err)
		}
		for _, c := range l.IdP.Signing {
			held[l.ID] = append(held[l.ID], c.AtSendGrid)
		}
	}
	for id, want := range map[int64][]bool{8: {true, true}, 9: {true, true}, 7: {false, false}} {
		if fmt.Sprint(held[id]) != fmt.Sprint(want) {
			t.Errorf("cert %d: at_sendgrid %v, want %v", id, held[id], want)
		}
	}
	text := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--idp-metadata", md, "--entity-id", "urn:other")
	if strings.Count(text.Stdout, ": at SendGrid too") != 2 || strings.Contains(text.Stdout, "not at SendGrid") {
		t.Errorf("text: want each entra certificate to name the other as at SendGrid too, and none as missing:\n%s", text.Stdout)
	}
}
