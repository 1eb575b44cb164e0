package cli

import (
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// testKey is the API key of the fakes of the in-process tests.
const testKey = "SG.cli-inprocess-key-NEVER-PRINT-ME"

// newFake starts an ssotest fake that takes testKey, puts the key in the environment
// for Run (so the test must not be parallel), and stops the fake when the test ends.
func newFake(t *testing.T, opts ...ssotest.Option) *ssotest.Server {
	t.Helper()
	srv := ssotest.NewServer(append([]ssotest.Option{ssotest.WithAPIKey(testKey)}, opts...)...)
	t.Cleanup(srv.Close)
	t.Setenv(wrapper.EnvAPIKey, testKey)
	t.Setenv(wrapper.EnvRegion, "")
	t.Setenv(envBrowser, "")
	return srv
}

// TestIDsAreTrimmed: white space around an ID (a copy and paste brings it along) is
// dropped, so " 66138975" is certificate 66138975, not a 400 or a 404 for an ID with
// spaces; after trimming, two spellings of one ID are one ID given twice.
func TestIDsAreTrimmed(t *testing.T) {
	fake := newFake(t)
	code, stdout, stderr := run(t, "--base-url", fake.URL, "cert", " \t66138975 \n")
	if code != ExitOK || !strings.HasPrefix(stdout, "certificate  66138975\n") {
		t.Errorf("cert \" \\t66138975 \\n\": exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "--base-url", fake.URL, "login", " "+ssotest.DefaultAccountID+" ")
	if code != ExitOK || !strings.HasPrefix(stdout, fake.URL+"/login?code=") {
		t.Errorf("login with spaces around the ID: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	before := fake.Requests()
	code, _, stderr = run(t, "--base-url", fake.URL, "cert", " 66138975", "66138975")
	if code != ExitUsage || !strings.Contains(stderr, "CERT_ID 66138975 is given twice") {
		t.Errorf("one ID given twice, once with a space: exit %d\nstderr:\n%s", code, stderr)
	}
	if n := fake.Requests() - before; n != 0 {
		t.Errorf("the fake answered %d requests for a usage error", n)
	}
}

// TestIDsRefusedBeforeAnyRequest: an ID that is only white space, or that is not
// valid UTF-8 (no API ID is, and no Prometheus label can hold it), is a usage error
// found before any request.
func TestIDsRefusedBeforeAnyRequest(t *testing.T) {
	fake := newFake(t)
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
		code, stdout, stderr := run(t, append([]string{"--base-url", fake.URL}, tc.args...)...)
		if code != ExitUsage || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stdout %q; want exit %d and stderr with %q:\n%s", tc.args, code, stdout, ExitUsage, tc.want, stderr)
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
	fake := newFake(t)
	for _, base := range []string{fake.URL + "/v3", fake.URL + "/v3/", fake.URL + "/proxy/v3"} {
		code, stdout, stderr := run(t, "--base-url", base, "cert", "66138975")
		if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "ends in /v3") || !strings.Contains(stderr, "drop the /v3") {
			t.Errorf("--base-url %s: exit %d, stdout %q; want exit %d and an error saying to drop /v3:\n%s", base, code, stdout, ExitUsage, stderr)
		}
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests; the base URL must be refused before any", n)
	}
}
