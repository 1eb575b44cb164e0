package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// --api-key (and --key, its new spelling) sets the key the fake accepts and
// announces; random makes a fresh one for each run. Another key is answered 401 and counted apart in the report.
func TestAPIKeyFlag(t *testing.T) {
	t.Parallel()
	method, path, _ := operationPath(t, "GetSsoCertificate")
	mine := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--api-key", "SG.mine")
	r1 := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--api-key", "random")
	r2 := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--key=random") // --api-key's new spelling
	if mine.APIKey != "SG.mine" || !slices.Contains(mine.Try, "export SENDGRID_API_KEY=SG.mine") {
		t.Errorf("--api-key SG.mine: announced %q, Try it %q", mine.APIKey, mine.Try)
	}
	if r1.APIKey == r2.APIKey || !strings.HasPrefix(r1.APIKey, "SG.") || r1.APIKey == defaultAPIKey {
		t.Errorf("--api-key random twice: %q and %q, want two fresh SendGrid-like keys", r1.APIKey, r2.APIKey)
	}
	for _, f := range []*clitest.Fake{mine, r1} {
		for key, want := range map[string]int{f.APIKey: 200, r2.APIKey: 401, defaultAPIKey: 401} {
			if resp, body := call(t, f.URL, key, method, path, "", ""); resp.StatusCode != want {
				t.Errorf("fake with %s, key %s: %d, want %d: %s", f.APIKey, key, resp.StatusCode, want, body)
			}
		}
	}
	mine.WantReport(t, clitest.Report{Requests: 1, WithoutKey: 2})
}

// Without --api-key the fake accepts the published defaultAPIKey, as README's examples
// have it.
func TestAPIKeyFlagDefault(t *testing.T) {
	t.Parallel()
	var f apiKeyFlag
	srv := ssotest.NewServer(f.options()...)
	defer srv.Close()
	if srv.APIKey != defaultAPIKey || f.String() != defaultAPIKey {
		t.Errorf("unset --api-key: the fake accepts %q, the flag shows %q; want %q", srv.APIKey, f.String(), defaultAPIKey)
	}
	for _, args := range [][]string{{"--api-key", ""}, {"--api-key", "SG.a b"}, {"--api-key", "SG.\x1b[2J"}, {"--api-key", "SG." + strings.Repeat("k", 300)}} {
		r := clitest.Run(t, bin, nil, args...)
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, "invalid value", "for --api-key: want a key")
	}
	r := clitest.Run(t, bin, nil, "--api-key", "random", "demo")
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, "--api-key does not apply to demo")
}

// The report on Ctrl-C lists the first 100 requests that broke the spec, and says how
// many more there were.
func TestReportListsTheViolationsKept(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0")
	for i := range 105 {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v3/nothing/%d", f.URL, i), nil)
		req.Header.Set("Authorization", "Bearer "+f.APIKey)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	stderr := f.WantReport(t, clitest.Report{Requests: 105, BadRequests: 105})
	if n := strings.Count(stderr, "\n  request: GET /v3/nothing/"); n != 100 || !strings.Contains(stderr, "/v3/nothing/99: 404") ||
		!strings.Contains(stderr, "\n  (5 more requests not kept)\n") {
		t.Errorf("stderr lists %d requests, want the first 100 and a count of 5 more:\n%s", n, stderr)
	}
}
