package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testnet"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// percentEncoded is s with every byte percent-encoded.
func percentEncoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestReportHidesTheKeyInAnySpelling: Report hides the key wherever an error holds
// it, in any case and in any spelling a reader decodes, through internal/redact, one
// mark where it stood; it used to replace the exact spelling only, so a key echoed
// lower-cased or percent-encoded reached stderr.
func TestReportHidesTheKeyInAnySpelling(t *testing.T) {
	t.Parallel()
	const key = "SG.report-key-NEVER-PRINT-ME.0123"
	spellings := map[string]string{
		"as it is":        key,
		"lower-cased":     strings.ToLower(key),
		"upper-cased":     strings.ToUpper(key),
		"percent-encoded": percentEncoded(key),
		"dots as %2E":     strings.ReplaceAll(key, ".", "%2E"),
		"a JSON escape":   `\u0053` + key[1:],
		"twice in a row":  key + strings.ToLower(key),
	}
	for name, spelled := range spellings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				err  error
				want string
			}{
				{fmt.Errorf("the proxy refused %s: try again", spelled), "sendgrid-sso: the proxy refused " + redact.Mark + ": try again\n"},
				{&UsageError{Err: errors.New("bad " + spelled), Usage: "sendgrid-sso " + spelled, Help: "sendgrid-sso --help"},
					"sendgrid-sso: bad " + redact.Mark + "\nusage: sendgrid-sso " + redact.Mark + "\nRun 'sendgrid-sso --help' for more.\n"},
				{&wrapper.APIError{Operation: "GetSSOCertificate", StatusCode: 401, Errors: []wrapper.ErrorDetail{{Message: "bad key " + spelled, ErrorID: "10-40100"}}},
					"sendgrid-sso: GetSSOCertificate: the API answered 401 Unauthorized\n  bad key " + redact.Mark + " [10-40100]\n"},
			} {
				var out strings.Builder
				Report(&out, Name, tc.err, key)
				if out.String() != tc.want {
					t.Errorf("Report(%q) wrote\n%q\nwant\n%q", tc.err, out.String(), tc.want)
				}
			}
		})
	}
}

// TestAPIErrorShowsStatusAndEveryMessage: exit 1, the status, then each message with
// its field and error ID on a line of its own.
func TestAPIErrorShowsStatusAndEveryMessage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errors":[{"message":"access forbidden","field":null,"error_id":"10-40300"},` +
			`{"message":"scope missing","field":"scopes","error_id":"10-40301"}]}`))
	}))
	defer srv.Close()
	for _, args := range [][]string{{"cert", "1"}, {"login", "acct"}} {
		r := sso(t, clitest.KeyEnv(clitest.TestKey), append([]string{"--base-url", srv.URL}, args...)...)
		r.WantExit(t, ExitAPI)
		lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
		if len(lines) != 3 {
			t.Fatalf("%v: want a headline and two message lines, got:\n%s", args, r.Stderr)
		}
		r.WantStderr(t, "403 Forbidden")
		if want := "  access forbidden [10-40300]"; lines[1] != want {
			t.Errorf("%v: line 2 = %q, want %q", args, lines[1], want)
		}
		if want := "  scope missing (field scopes) [10-40301]"; lines[2] != want {
			t.Errorf("%v: line 3 = %q, want %q", args, lines[2], want)
		}
	}
}

func TestWrongKeyIsAnAPIErrorWithoutTheKey(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	const wrong = "SG.wrong-key-NEVER-PRINT-ME"
	r := sso(t, []string{"SENDGRID_API_KEY=" + wrong}, "--base-url", fake.URL, "cert", "1")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "401 Unauthorized")
	// sso already failed the test if stderr showed the key.
}

// TestKeyEchoedByTheServerIsRedacted: even an API (or proxy) that quotes the key in
// its error message does not get it onto stderr.
func TestKeyEchoedByTheServerIsRedacted(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
			"message": "bad key " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "error_id": "10-40100"}}})
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "login", "acct")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "bad key "+redact.Mark+" [10-40100]")
}

// TestRetriesExhaustedSayHowManyAttempts: GET is retried on 5xx; the last error is
// reported with the attempt count, still as an API error.
func TestRetriesExhaustedSayHowManyAttempts(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`[{"message":"try later","error_id":"10-50300"}]`))
	}))
	defer srv.Close()
	r := sso(t, clitest.KeyEnv(clitest.TestKey), "--base-url", srv.URL, "cert", "1")
	r.WantExit(t, ExitAPI)
	r.WantStderr(t, "GetSSOCertificate: the API answered 503 Service Unavailable (gave up after 3 attempts)", "  try later [10-50300]")
}

// TestStrayRequestsDoNotCount: a run meant for another server (here one with
// TestKey, as TestNetworkFailureExits3 makes) that reaches this test's fake, on a
// port the fake now holds, is refused and does not count as the test's request.
func TestStrayRequestsDoNotCount(t *testing.T) {
	t.Parallel()
	fake, other := clitest.NewFake(t), clitest.NewFake(t)
	if fake.APIKey == other.APIKey {
		t.Fatalf("two fakes share the key %q", fake.APIKey)
	}
	for _, key := range []string{clitest.TestKey, other.APIKey} {
		r := sso(t, clitest.KeyEnv(key), "--base-url", fake.URL, "cert", "1")
		r.WantExit(t, ExitAPI)
		r.WantStderr(t, "401 Unauthorized")
	}
	if n, others := fake.Requests(), fake.RequestsWithoutKey(); n != 0 || others != 2 {
		t.Errorf("Requests() = %d, RequestsWithoutKey() = %d; want 0 and the 2 strays", n, others)
	}
}

func TestNetworkFailureExits3(t *testing.T) {
	t.Parallel()
	closed := "http://" + testnet.RefusedAddr(t)
	for _, args := range [][]string{{"login", "acct"}, {"cert", "1"}} {
		r := sso(t, clitest.KeyEnv(clitest.TestKey), append([]string{"--base-url", closed}, args...)...)
		r.WantExit(t, ExitNetwork)
		r.WantStderr(t, "connection refused")
	}
}

func TestTimeoutExits3(t *testing.T) {
	t.Parallel()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the client's disconnect ends it
	}))
	defer hang.Close()
	for _, args := range [][]string{{"login", "acct"}, {"cert", "1"}} {
		r := sso(t, clitest.KeyEnv(clitest.TestKey), append([]string{"--base-url", hang.URL, "--timeout", "200ms"}, args...)...)
		r.WantExit(t, ExitNetwork)
		r.WantStderr(t, "deadline exceeded", "timed out after --timeout 200ms")
	}
}

// TestUsageAndConfigErrorsExit2: each mistake exits 2 with a message saying what was
// wrong, before any request reaches the API.
func TestUsageAndConfigErrorsExit2(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	base := []string{"--base-url", fake.URL}
	cases := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"no command", clitest.KeyEnv(fake.APIKey), nil, []string{"no command given", "sendgrid-sso --help"}},
		{"unknown command", clitest.KeyEnv(fake.APIKey), []string{"certs"}, []string{`unknown command "certs"`, "use one of cert, login, sync, version\n"}},
		{"fake moved", clitest.KeyEnv(fake.APIKey), []string{"fake"}, []string{`"fake" moved out of sendgrid-sso`, "run sendgrid-sso-fake (go install"}},
		{"demo moved", clitest.KeyEnv(fake.APIKey), []string{"demo"}, []string{`"demo" moved out of sendgrid-sso`, "run sendgrid-sso-fake demo (go install"}},
		{"help for a moved command", clitest.KeyEnv(fake.APIKey), []string{"help", "fake"}, []string{"run sendgrid-sso-fake"}},
		{"missing cert ID", clitest.KeyEnv(fake.APIKey), append(base, "cert"), []string{"missing CERT_ID", "usage: sendgrid-sso [global flags] cert [--format text|json|prometheus] [--warn-within DURATION] [--idp-metadata URL|FILE [--entity-id ID]] [--pem] (--all | CERT_ID...)"}},
		{"missing account ID", clitest.KeyEnv(fake.APIKey), append(base, "login"), []string{"missing ACCOUNT_ID", "sendgrid-sso login --help"}},
		{"extra argument", clitest.KeyEnv(fake.APIKey), append(base, "login", "acct", "2"), []string{`unexpected argument "2"`}},
		{"flag after the argument", clitest.KeyEnv(fake.APIKey), append(base, "cert", "1", "--json"), []string{"--json comes after CERT_ID"}},
		{"json and pem", clitest.KeyEnv(fake.APIKey), append(base, "cert", "--json", "--pem", "1"), []string{"--json and --pem exclude each other"}},
		{"global flag after the command", clitest.KeyEnv(fake.APIKey), append(base, "cert", "--region", "eu", "1"), []string{"--region is a global flag: put it before the command"}},
		{"unknown command flag", clitest.KeyEnv(fake.APIKey), append(base, "cert", "--yaml", "1"), []string{"unknown flag --yaml"}},
		{"unknown global flag", clitest.KeyEnv(fake.APIKey), append(base, "--chatty", "cert", "1"), []string{"unknown flag --chatty"}},
		{"zero timeout", clitest.KeyEnv(fake.APIKey), append(base, "--timeout", "0s", "cert", "1"), []string{"--timeout is 0s: give a positive duration"}},
		{"bad timeout", clitest.KeyEnv(fake.APIKey), append(base, "--timeout", "soon", "cert", "1"), []string{`invalid value "soon" for --timeout: not a duration`}},
		{"unknown region flag", clitest.KeyEnv(fake.APIKey), append(base, "--region", "mars", "cert", "1"), []string{"--region", `unknown region "mars"`}},
		{"unknown region env", clitest.KeyEnv(fake.APIKey, "SENDGRID_REGION=mars"), []string{"cert", "1"}, []string{"SENDGRID_REGION", `unknown region "mars"`}},
		{"http base URL off loopback", clitest.KeyEnv(fake.APIKey), []string{"--base-url", "http://api.example.com", "cert", "1"}, []string{"plain http"}},
		{"missing key", nil, append(base, "cert", "1"), []string{"SENDGRID_API_KEY is not set"}},
		{"blank key", []string{"SENDGRID_API_KEY=  "}, append(base, "login", "acct"), []string{"SENDGRID_API_KEY is not set"}},
		{"dot-dot cert ID", clitest.KeyEnv(fake.APIKey), append(base, "cert", ".."), []string{"invalid ID", `".."`}},
		{"empty account ID", clitest.KeyEnv(fake.APIKey), append(base, "login", ""), []string{"invalid ID", "account ID is empty"}},
		{"help for an unknown command", clitest.KeyEnv(fake.APIKey), []string{"help", "nope"}, []string{`unknown command "nope"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sso(t, tc.env, tc.args...)
			r.WantExit(t, ExitUsage)
			r.WantStderr(t, tc.want...)
			if r.Stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.Stdout)
			}
		})
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests; usage errors must be found before any", n)
	}
}
