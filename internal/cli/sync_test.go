package cli

import (
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// rolloverSetup is allFake with okta mid-rollover: SendGrid also holds "old"
// (certificate 20), which the IdP no longer publishes, and okta's entity publishes
// cert 7, next (not at SendGrid) and an expired certificate; urn:other signs with
// cert 8 and matches no integration.
func rolloverSetup(t *testing.T) (fake *ssotest.Server, md string, next, expired, old *x509.Certificate) {
	t.Helper()
	now := time.Now()
	old = clitest.NewCert(t, "old")
	expired = certValid(t, "expired", now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	next = clitest.NewCert(t, "next")
	fake, _, certs := allFakeCerts(t, heldBy(20, old, "okta"))
	md = aggregateFile(t, []*x509.Certificate{certs[7], next, expired}, []*x509.Certificate{certs[8]})
	return fake, md, next, expired, old
}

// certCount is how many certificates cert --all lists.
func certCount(t *testing.T, fake *ssotest.Server) int {
	t.Helper()
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--all", "--json")
	r.WantExit(t, ExitOK)
	return strings.Count(r.Stdout, "\n")
}

// TestSyncDryRun: without --apply, sync shows the certificate to upload, the expired
// one it will not upload and the one SendGrid holds that the IdP dropped, sends
// nothing, and exits 4; only okta's integration matches an entity.
func TestSyncDryRun(t *testing.T) {
	t.Parallel()
	fake, md, next, expired, old := rolloverSetup(t)
	before := certCount(t, fake)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "sync", "--idp-metadata", md)
	r.WantExit(t, ExitCheck)
	r.WantStderr(t, "dry run: 1 certificate(s) to upload, nothing sent: rerun with --apply")
	for _, want := range []string{
		"integration  okta (Okta)",
		"entity id    http://www.okta.com/exk1",
		"to upload    " + clitest.Fingerprint(next) + " CN=next, valid " + next.NotBefore.UTC().Format(time.RFC3339) + " to " + next.NotAfter.UTC().Format(time.RFC3339),
		"expired      " + clitest.Fingerprint(expired) + " CN=expired",
		"not at IdP   certificate 20 " + clitest.Fingerprint(old) + ": the IdP no longer publishes it; kept",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, "entra") || strings.Count(r.Stdout, "to upload") != 1 {
		t.Errorf("stdout plans more than okta's one upload:\n%s", r.Stdout)
	}
	if after := certCount(t, fake); after != before {
		t.Errorf("a dry run changed SendGrid's certificates: %d, then %d", before, after)
	}
}

// TestSyncInStep: when SendGrid holds every signing certificate of the entity, sync
// says so and exits 0.
func TestSyncInStep(t *testing.T) {
	t.Parallel()
	fake, _, certs := allFakeCerts(t)
	md := aggregateFile(t, []*x509.Certificate{certs[7]}, []*x509.Certificate{certs[8]})
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "sync", "--idp-metadata", md)
	r.WantExit(t, ExitOK)
	if !strings.Contains(r.Stdout, "in step      SendGrid holds every signing certificate of the entity") || r.Stderr != "" {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
}

// TestSyncNoMatch: metadata whose entities are no integration's, an unknown
// --integration, and an --integration whose entity the metadata lacks are errors,
// and nothing is sent.
func TestSyncNoMatch(t *testing.T) {
	t.Parallel()
	fake, _, certs := allFakeCerts(t)
	other := tempFile(t, clitest.IdPMetadata("urn:other", nil, certs[8]))
	before := certCount(t, fake)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--idp-metadata", other}, `no integration has the entity ID of the metadata's entities ("urn:other"): nothing sent`},
		{[]string{"--idp-metadata", other, "--integration", "nope"}, `no integration "nope"`},
		{[]string{"--idp-metadata", other, "--integration", "entra"}, `integration "entra": the IdP metadata has no entity "https://sts.windows.net/t/\n"`},
		{nil, "missing --idp-metadata"},
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL, "sync"}, tc.args...)...)
		r.WantExit(t, ExitUsage)
		r.WantStderr(t, tc.want)
	}
	if after := certCount(t, fake); after != before {
		t.Errorf("SendGrid's certificates changed: %d, then %d", before, after)
	}
}

// TestSyncApply: --apply uploads the missing certificate (not the expired one, and
// deleting nothing), says so and exits 0; a second run finds nothing to do, and a dry
// run after it exits 0.
func TestSyncApply(t *testing.T) {
	t.Parallel()
	fake, md, next, expired, _ := rolloverSetup(t)
	before := certCount(t, fake)
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "sync", "--idp-metadata", md, "--apply")
	r.WantExit(t, ExitOK)
	if want := "uploaded     " + clitest.Fingerprint(next) + " CN=next"; !strings.Contains(r.Stdout, want) || !strings.Contains(r.Stdout, " as certificate ") {
		t.Errorf("stdout lacks %q ... as certificate N:\n%s", want, r.Stdout)
	}
	if strings.Contains(r.Stdout, "uploaded     "+clitest.Fingerprint(expired)) || r.Stderr != "" {
		t.Errorf("the expired certificate was uploaded, or stderr is not empty:\nstdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
	}
	if after := certCount(t, fake); after != before+1 {
		t.Errorf("%d certificates after --apply, want %d (one uploaded, none deleted)", after, before+1)
	}
	// The uploaded one is held, with its own fingerprint, by okta's integration.
	held := certChecks(t, fake, ExitOK, "--all")
	if len(held) != before+1 {
		t.Errorf("cert --all lists %d certificates, want %d", len(held), before+1)
	}

	for _, args := range [][]string{{"--apply"}, nil} {
		r = sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL, "sync", "--idp-metadata", md}, args...)...)
		r.WantExit(t, ExitOK)
		if strings.Contains(r.Stdout, "uploaded     ") || strings.Contains(r.Stdout, "to upload    ") {
			t.Errorf("sync %v after --apply found something to do:\n%s", args, r.Stdout)
		}
	}
	if after := certCount(t, fake); after != before+1 {
		t.Errorf("%d certificates after the rerun, want %d: a rerun duplicated", after, before+1)
	}
}

// TestSyncHelp: sync --help states the dry run, --apply and the exit statuses.
func TestSyncHelp(t *testing.T) {
	t.Parallel()
	r := sso(t, nil, "sync", "--help")
	r.WantExit(t, ExitOK)
	for _, want := range []string{"Usage: sendgrid-sso [global flags] sync [--format text|json] --idp-metadata URL|FILE [--integration ID] [--apply]", "--format format", "action is one of: to_upload", "cert --all --format prometheus", "--apply", "--integration ID", "Exit statuses:", "dry run: there are certificates to upload", "never deleted", "never uploaded"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("sync --help lacks %q:\n%s", want, r.Stdout)
		}
	}
}

// TestCertAllPrometheusRollover: with --idp-metadata, cert --all's metrics count each
// integration's pending uploads against its own entity (expired ones left out), and
// give the end of every signing certificate of the metadata.
func TestCertAllPrometheusRollover(t *testing.T) {
	t.Parallel()
	fake, md, next, expired, _ := rolloverSetup(t)
	args := []string{"--base-url", fake.URL, "cert", "--all", "--format", "prometheus", "--idp-metadata", md}
	pendingOf := func(args ...string) map[string]string {
		r := sso(t, clitest.KeyEnv(fake.APIKey), args...)
		r.WantExit(t, ExitCheck) // entra's entity is not in the metadata
		got := map[string]string{}
		for _, line := range strings.Split(r.Stdout, "\n") {
			if rest, ok := strings.CutPrefix(line, metricPending+`{integration_id="`); ok {
				id, n, _ := strings.Cut(rest, `"} `)
				got[id] = n
			}
		}
		series := promSeries(t, r.Stdout)
		if n := len(series[metricIdPNotAfter]); n != 4 {
			t.Errorf("%d %s series, want 4 (3 of okta's entity, 1 of urn:other)", n, metricIdPNotAfter)
		}
		return got
	}
	if got := pendingOf(args...); len(got) != 1 || got["okta"] != "1" {
		t.Errorf("pending %v, want okta's 1 only (next; not the expired one; entra and empty have no entity)", got)
	}
	if got := pendingOf(append(args, "--entity-id", "urn:other")...); len(got) != 3 || got["okta"] != "1" || got["entra"] != "0" || got["empty"] != "1" {
		t.Errorf("pending against urn:other %v, want okta 1, entra 0, empty 1", got)
	}

	r := sso(t, clitest.KeyEnv(fake.APIKey), args...)
	want := map[string]int64{clitest.Fingerprint(next): next.NotAfter.Unix(), clitest.Fingerprint(expired): expired.NotAfter.Unix()}
	for _, line := range strings.Split(r.Stdout, "\n") {
		for fp, na := range want {
			if strings.HasPrefix(line, metricIdPNotAfter+`{entity_id="http://www.okta.com/exk1",fingerprint_sha256="`+fp+`"} `) {
				if !strings.HasSuffix(line, " "+strconv.FormatInt(na, 10)) {
					t.Errorf("%s, want value %d", line, na)
				}
				delete(want, fp)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("no %s series for %v:\n%s", metricIdPNotAfter, want, r.Stdout)
	}
}

// TestSyncAndCertAllEscapeServerText: an integration name with an escape sequence, a
// carriage return and a bidi control, from the API, reaches neither sync's nor cert
// --all's terminal output raw.
func TestSyncAndCertAllEscapeServerText(t *testing.T) {
	t.Parallel()
	hostile := "Okta\x1b]0;pwned\x07\r\u202eforged"
	_, _, certs := allFakeCerts(t)
	fake, _, _ := allFakeCerts(t, ssotest.WithIntegration(ssotest.Integration{ID: "okta", Name: hostile, EntityID: "http://www.okta.com/exk1", Enabled: true}))
	md := aggregateFile(t, []*x509.Certificate{certs[7]}, nil)
	for _, args := range [][]string{{"sync", "--idp-metadata", md}, {"sync", "--idp-metadata", md, "--format", "json"}, {"cert", "--all"}, {"cert", "--all", "--json"}} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL}, args...)...)
		if strings.ContainsAny(r.Stdout+r.Stderr, "\x1b\x07\r\u202e") {
			t.Errorf("%v: output carries the server's control characters raw:\n%q", args, r.Stdout)
		}
		if !strings.Contains(r.Stdout, "Okta") {
			t.Errorf("%v: the integration's name is not shown:\n%q", args, r.Stdout)
		}
	}
	// The JSON escapes decode to the name exactly.
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "sync", "--idp-metadata", md, "--json")
	for _, l := range syncJSONLines(t, r.Stdout) {
		if l.Integration.Name != hostile {
			t.Errorf("sync --json: integration name %q, want %q", l.Integration.Name, hostile)
		}
	}
}
