package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// syncLine is one line of sync --format json, as a reader decodes it.
type syncLine struct {
	Action        string `json:"action"`
	IntegrationID string `json:"integration_id"`
	Integration   struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		EntityID string `json:"entity_id"`
		Enabled  bool   `json:"enabled"`
	} `json:"integration"`
	ID                int64     `json:"id"`
	SHA256Fingerprint string    `json:"sha256_fingerprint"`
	Subject           string    `json:"subject"`
	NotBefore         time.Time `json:"not_before"`
	NotAfter          time.Time `json:"not_after"`
}

// syncJSONLines decodes stdout, sync's JSON Lines, refusing a field syncLine does
// not know, and returns the lines by fingerprint (each once).
func syncJSONLines(t *testing.T, stdout string) map[string]syncLine {
	t.Helper()
	out := map[string]syncLine{}
	for _, s := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var l syncLine
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %q: %v", s, err)
		}
		if _, dup := out[l.SHA256Fingerprint]; dup {
			t.Fatalf("fingerprint %s on two lines:\n%s", l.SHA256Fingerprint, stdout)
		}
		out[l.SHA256Fingerprint] = l
	}
	return out
}

// wantSyncLine fails unless got describes x with action and SendGrid's certificate
// id (0 for none), for the integration rollover.
func wantSyncLine(t *testing.T, got map[string]syncLine, x *x509.Certificate, action string, id int64) {
	t.Helper()
	l, ok := got[clitest.Fingerprint(x)]
	switch {
	case !ok:
		t.Errorf("no line for %s (%s)", x.Subject, action)
	case l.Action != action || l.ID != id:
		t.Errorf("%s: action %q id %d, want %q id %d", x.Subject, l.Action, l.ID, action, id)
	case l.IntegrationID != "rollover" || l.Integration.ID != "rollover" || l.Integration.Name != "Roll \"over\"" || l.Integration.EntityID != "https://idp.test/rollover" || !l.Integration.Enabled:
		t.Errorf("%s: integration %q %+v", x.Subject, l.IntegrationID, l.Integration)
	case l.Subject != x.Subject.String() || !l.NotBefore.Equal(x.NotBefore) || !l.NotAfter.Equal(x.NotAfter) || l.NotAfter.Location() != time.UTC:
		t.Errorf("%s: subject %q, window %v to %v, want %v to %v (UTC)", x.Subject, l.Subject, l.NotBefore, l.NotAfter, x.NotBefore, x.NotAfter)
	}
}

// TestSyncJSONRollover: against the rollover shape of IdP metadata (the current and
// the next certificate), with SendGrid holding the current one and one the IdP
// dropped, sync --format json gives a line per certificate: to_upload, held (with
// SendGrid's ID) and not_at_idp, exit 4 and nothing sent; --apply gives uploaded with
// the created certificate's ID, and a rerun shows both held and exits 0.
func TestSyncJSONRollover(t *testing.T) {
	t.Parallel()
	sign, next, enc, old := clitest.NewCert(t, "sign"), clitest.NewCert(t, "next"), clitest.NewCert(t, "enc"), clitest.NewCert(t, "old")
	fake := clitest.NewFake(t,
		ssotest.WithIntegration(ssotest.Integration{ID: "rollover", Name: "Roll \"over\"", EntityID: "https://idp.test/rollover", Enabled: true}),
		heldBy(30, sign, "rollover"), heldBy(31, old, "rollover"))
	md := tempFile(t, testcert.IdPShapes(sign, next, enc)["rollover"])
	run := func(want int, args ...string) map[string]syncLine {
		t.Helper()
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL, "sync", "--idp-metadata", md}, args...)...)
		r.WantExit(t, want)
		got := syncJSONLines(t, r.Stdout)
		if len(got) != 3 {
			t.Errorf("sync %v: %d lines, want 3:\n%s", args, len(got), r.Stdout)
		}
		return got
	}

	for _, flags := range [][]string{{"--format", "json"}, {"--json"}} {
		got := run(ExitCheck, flags...)
		wantSyncLine(t, got, next, actionToUpload, 0)
		wantSyncLine(t, got, sign, actionHeld, 30)
		wantSyncLine(t, got, old, actionNotAtIdP, 31)
	}
	if n := certCount(t, fake); n != 2 {
		t.Fatalf("a dry run changed SendGrid's certificates: %d, want 2", n)
	}

	got := run(ExitOK, "--format", "json", "--apply")
	created := got[clitest.Fingerprint(next)].ID
	if created == 0 || created == 30 || created == 31 {
		t.Fatalf("uploaded as certificate %d, want the new certificate's ID", created)
	}
	wantSyncLine(t, got, next, actionUploaded, created)
	wantSyncLine(t, got, sign, actionHeld, 30)
	wantSyncLine(t, got, old, actionNotAtIdP, 31)
	if ids := certChecks(t, fake, ExitOK, "--all"); len(ids) != 3 || !hasKey(ids, created) {
		t.Errorf("cert --all lists %v, want 30, 31 and the uploaded %d", ids, created)
	}

	got = run(ExitOK, "--format", "json")
	wantSyncLine(t, got, next, actionHeld, created)
	wantSyncLine(t, got, sign, actionHeld, 30)
	wantSyncLine(t, got, old, actionNotAtIdP, 31)
}

// TestSyncJSONExpiredAndUploadFailed: an expired certificate the IdP still publishes
// is expired (never uploaded, on a dry run and with --apply), and a refused upload is
// upload_failed with no ID, its error on stderr only.
func TestSyncJSONExpiredAndUploadFailed(t *testing.T) {
	t.Parallel()
	fake, md, next, expired, _ := rolloverSetup(t)
	actions := func(r clitest.Result) map[string]string {
		t.Helper()
		out := map[string]string{}
		for fp, l := range syncJSONLines(t, r.Stdout) {
			out[fp] = l.Action
			if l.Action == actionUploadFailed && l.ID != 0 {
				t.Errorf("upload_failed with id %d", l.ID)
			}
		}
		return out
	}
	r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "sync", "--idp-metadata", md, "--format", "json")
	r.WantExit(t, ExitCheck)
	r.WantStderr(t, "dry run: 1 certificate(s) to upload")
	if got := actions(r); got[clitest.Fingerprint(next)] != actionToUpload || got[clitest.Fingerprint(expired)] != actionExpired {
		t.Errorf("actions %v: want next to_upload, expired expired", got)
	}

	base := failing(t, fake, func(r *http.Request) bool { return r.Method == http.MethodPost })
	r = sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", base, "sync", "--idp-metadata", md, "--format", "json", "--apply")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "refused by the test")
	if got := actions(r); got[clitest.Fingerprint(next)] != actionUploadFailed || got[clitest.Fingerprint(expired)] != actionExpired {
		t.Errorf("actions %v: want next upload_failed, expired expired", got)
	}
	if strings.Contains(r.Stdout, "refused") {
		t.Errorf("the server's error reached stdout:\n%s", r.Stdout)
	}
}

// TestSyncFormatUsage: --format prometheus is refused (exit 2, nothing on stdout,
// nothing sent) and names cert --all --format prometheus; so are an unknown format
// and --json beside another --format.
func TestSyncFormatUsage(t *testing.T) {
	t.Parallel()
	fake, md, _, _, _ := rolloverSetup(t)
	before := certCount(t, fake)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "prometheus", "--apply"}, "--format prometheus: sync writes text or json; for metrics of the rollover use sendgrid-sso cert --all --format prometheus --idp-metadata"},
		{[]string{"--format", "yaml"}, `--format "yaml": use text or json`},
		{[]string{"--json", "--format", "text"}, "--json and --format text exclude each other"},
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL, "sync", "--idp-metadata", md}, tc.args...)...)
		r.WantExit(t, ExitUsage)
		r.WantStderr(t, tc.want)
		if r.Stdout != "" {
			t.Errorf("%v: stdout %q", tc.args, r.Stdout)
		}
	}
	if after := certCount(t, fake); after != before {
		t.Errorf("SendGrid's certificates changed: %d, then %d", before, after)
	}
}

// TestSyncTextUnchanged: --format text prints what sync prints without it, byte for
// byte.
func TestSyncTextUnchanged(t *testing.T) {
	t.Parallel()
	fake, md, _, _, _ := rolloverSetup(t)
	args := []string{"--base-url", fake.URL, "sync", "--idp-metadata", md}
	plain := sso(t, clitest.KeyEnv(fake.APIKey), args...)
	text := sso(t, clitest.KeyEnv(fake.APIKey), append(args, "--format", "text")...)
	if plain.Stdout != text.Stdout || plain.Stderr != text.Stderr || plain.Code != text.Code || !bytes.Contains([]byte(text.Stdout), []byte("to upload    ")) {
		t.Errorf("--format text differs from the default:\n%s\n---\n%s", plain.Stdout, text.Stdout)
	}
}

// hasKey reports whether m has the key k.
func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}
