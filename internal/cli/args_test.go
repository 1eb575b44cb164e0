package cli

import (
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestIDsAreTrimmed: white space around an ID (a copy and paste brings it along) is
// dropped, so " 66138975" is certificate 66138975, not a 400 or a 404 for an ID with
// spaces; after trimming, two spellings of one ID are one ID given twice.
func TestIDsAreTrimmed(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	env := clitest.KeyEnv(fake.APIKey)
	r := sso(t, env, "--base-url", fake.URL, "cert", " \t66138975 \n")
	if r.Code != ExitOK || !strings.HasPrefix(r.Stdout, "certificate  66138975\n") {
		t.Errorf("cert \" \\t66138975 \\n\": exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	r = sso(t, env, "--base-url", fake.URL, "login", " "+ssotest.DefaultAccountID+" ")
	if r.Code != ExitOK || !strings.HasPrefix(r.Stdout, fake.URL+"/login?code=") {
		t.Errorf("login with spaces around the ID: exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	before := fake.Requests()
	r = sso(t, env, "--base-url", fake.URL, "cert", " 66138975", "66138975")
	if r.Code != ExitUsage || !strings.Contains(r.Stderr, "CERT_ID 66138975 is given twice") {
		t.Errorf("one ID given twice, once with a space: exit %d\nstderr:\n%s", r.Code, r.Stderr)
	}
	if n := fake.Requests() - before; n != 0 {
		t.Errorf("the fake answered %d requests for a usage error", n)
	}
}

// TestIDsRefusedBeforeAnyRequest: an ID that is only white space, or that is not
// valid UTF-8 (no API ID is, and no Prometheus label can hold it), is a usage error
// found before any request.
func TestIDsRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cert", "  "}, "the certificate ID is empty"},
		{[]string{"login", "\t"}, "the account ID is empty"},
		{[]string{"cert", "1", "a\xffb"}, `CERT_ID "a\xffb" is not valid UTF-8`},
		{[]string{"cert", "--format", "prometheus", "\xc3"}, `CERT_ID "\xc3" is not valid UTF-8`},
		{[]string{"login", "acct\xfe"}, `ACCOUNT_ID "acct\xfe" is not valid UTF-8`},
	} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), append([]string{"--base-url", fake.URL}, tc.args...)...)
		if r.Code != ExitUsage || r.Stdout != "" || !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%q: exit %d, stdout %q; want exit %d and stderr with %q:\n%s", tc.args, r.Code, r.Stdout, ExitUsage, tc.want, r.Stderr)
		}
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests; these IDs must be refused before any", n)
	}
}

// TestBaseURLEndingInV3: every request path starts with /v3, so a base URL that ends
// in /v3 sent /v3/v3/... and got a 404; it is refused before any request, saying to
// drop /v3.
func TestBaseURLEndingInV3(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	for _, base := range []string{fake.URL + "/v3", fake.URL + "/v3/", fake.URL + "/proxy/v3"} {
		r := sso(t, clitest.KeyEnv(fake.APIKey), "--base-url", base, "cert", "66138975")
		if r.Code != ExitUsage || r.Stdout != "" || !strings.Contains(r.Stderr, "ends in /v3") || !strings.Contains(r.Stderr, "drop the /v3") {
			t.Errorf("--base-url %s: exit %d, stdout %q; want exit %d and an error saying to drop /v3:\n%s", base, r.Code, r.Stdout, ExitUsage, r.Stderr)
		}
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests; the base URL must be refused before any", n)
	}
}
