package interop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid/sendgrid-go"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// fakeBin is the sendgrid-sso-fake binary TestMain builds.
var fakeBin string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(bins map[string]string) { fakeBin = bins["sendgrid-sso-fake"] },
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso-fake"))
}

// outcome is what a client's caller got from the docs' two samples.
type outcome struct {
	certStatus  int             // status the GetSsoCertificate sample saw
	certBody    json.RawMessage // body it saw, from Node
	loginStatus int             // status the AuthenticateAccount sample saw
	loginBody   string          // body it saw
	location    string          // the 303's Location, when the caller got it
}

// runAgainstFake starts a fake on loopback with the flags args, runs sample against it,
// stops it, and returns what the caller got and the fake's report.
func runAgainstFake(t *testing.T, sample func(t *testing.T, f *clitest.Fake) outcome, args ...string) (outcome, clitest.Report) {
	t.Helper()
	f := clitest.StartFake(t, fakeBin, nil, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	got := sample(t, f)
	status, stderr := f.Interrupt(t)
	if status != 0 {
		t.Fatalf("the fake exited %d; stderr:\n%s", status, stderr)
	}
	rep, err := clitest.ParseReport(stderr)
	if err != nil {
		t.Fatal(err)
	}
	if rep.BadRequests+rep.BadAnswers != 0 {
		t.Errorf("the fake recorded spec violations:\n%s", stderr)
	}
	t.Logf("caller got: GET %d; POST %d %q; fake: %+v", got.certStatus, got.loginStatus, got.loginBody, rep)
	return got, rep
}

// The official Node SDK follows the 303 and spends the code: its caller gets the login
// page's 200, never the Location.
func TestNodeSDK(t *testing.T) {
	got, rep := runAgainstFake(t, func(t *testing.T, f *clitest.Fake) outcome {
		return nodeSamples(t, nodeEnv(f, f.CertificateID, f.AccountID))
	})
	wantFollowed(t, got, rep)
}

// The same samples over HTTPS, against a fake started as another language's test suite
// would start it: --tls with its CA written by --ca-out, which Node trusts through
// NODE_EXTRA_CA_CERTS (verification on), and the certificate and account of a --seed
// file. The SDK follows the 303 over HTTPS too; Node's https module fetches the API
// document, which is the spec this repository checks the fake against.
func TestNodeSDKOverTLS(t *testing.T) {
	dir := t.TempDir()
	ca, seedFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "seed.json")
	const seedCertID, seedAccount = 1001, "acct-seed"
	seedPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: clitest.NewCert(t, "seeded IdP").Raw}))
	seed, err := json.Marshal(map[string]any{
		"integrations": []any{map[string]any{"id": "int-seed", "name": "Okta", "entity_id": "https://idp.example.com/metadata", "enabled": true,
			"certificates": []any{map[string]any{"id": seedCertID, "public_certificate": seedPEM}}}},
		"accounts": []string{seedAccount},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc sampleLine
	got, rep := runAgainstFake(t, func(t *testing.T, f *clitest.Fake) outcome {
		if !strings.HasPrefix(f.URL, "https://") {
			t.Fatalf("the fake's URL %q: want https with --tls", f.URL)
		}
		env := append(nodeEnv(f, strconv.Itoa(seedCertID), seedAccount), "NODE_EXTRA_CA_CERTS="+ca)
		o := nodeSamples(t, env)
		doc = runNode(t, "node/openapi.js", env)[0]
		return o
	}, "--tls", "--ca-out", ca, "--seed", seedFile)
	wantFollowed(t, got, rep)
	var cert struct {
		ID                int    `json:"id"`
		PublicCertificate string `json:"public_certificate"`
	}
	if err := json.Unmarshal(got.certBody, &cert); err != nil || cert.ID != seedCertID || cert.PublicCertificate != seedPEM {
		t.Errorf("GetSsoCertificate sample got %s (%v), want the seed's certificate %d", got.certBody, err, seedCertID)
	}
	if sum := sha256.Sum256(spec); doc.StatusCode != http.StatusOK || doc.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("GET /openapi.yaml from Node: %d, SHA-256 %s; want 200 and api/openapi.yaml's %x", doc.StatusCode, doc.SHA256, sum)
	}
}

// nodeEnv is the environment of a Node sample against f, asking for the certificate
// certID and a login to account: exactly these variables, nothing of this process's
// environment but PATH.
func nodeEnv(f *clitest.Fake, certID, account string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "SENDGRID_API_KEY=" + f.APIKey, "FAKE_URL=" + f.URL,
		"CERT_ID=" + certID, "ACCOUNT_ID=" + account}
}

// sampleLine is one JSON line a Node sample prints: what its caller got.
type sampleLine struct {
	Sample     string          `json:"sample"`
	StatusCode int             `json:"statusCode"`
	Body       json.RawMessage `json:"body"`
	SHA256     string          `json:"sha256"`
	Error      string          `json:"error"`
}

// nodeSamples runs node/samples.js, the docs' two samples, with env.
func nodeSamples(t *testing.T, env []string) outcome {
	t.Helper()
	var o outcome
	for _, r := range runNode(t, "node/samples.js", env) {
		if r.Sample == "GetSsoCertificate" {
			o.certStatus, o.certBody = r.StatusCode, r.Body
			continue
		}
		var body string
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("AuthenticateAccount sample: body %s is not a string: %v", r.Body, err)
		}
		o.loginStatus, o.loginBody = r.StatusCode, strings.TrimSpace(body)
	}
	return o
}

// runNode runs the Node script with exactly the environment env and returns the lines
// it printed, failing the test on a sample's error.
func runNode(t *testing.T, script string, env []string) []sampleLine {
	t.Helper()
	script, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not a speed check
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s\n(run `npm ci` in interop/: make interop does)", script, err, stdout.String(), stderr.String())
	}
	var lines []sampleLine
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var r sampleLine
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.Error != "" {
			t.Fatalf("node %s printed %q: %v %s", filepath.Base(script), line, err, r.Error)
		}
		lines = append(lines, r)
	}
	return lines
}

// The official Go SDK, sendgrid-go v3.16.1, as the docs' Go sample calls it: its default
// http.Client follows the 303 and spends the code; the caller gets 200 and err == nil.
func TestGoSDK(t *testing.T) {
	got, rep := runAgainstFake(t, func(t *testing.T, f *clitest.Fake) outcome {
		var o outcome
		req := sendgrid.GetRequest(f.APIKey, "/v3/sso/certificates/"+f.CertificateID, f.URL)
		resp, err := sendgrid.API(req)
		if err != nil {
			t.Fatalf("GetSsoCertificate sample: %v", err)
		}
		o.certStatus = resp.StatusCode
		req = sendgrid.GetRequest(f.APIKey, "/v3/partners/accounts/"+f.AccountID+"/sso", f.URL)
		req.Method = "POST"
		resp, err = sendgrid.API(req)
		if err != nil {
			t.Fatalf("AuthenticateAccount sample: %v", err)
		}
		o.loginStatus, o.loginBody = resp.StatusCode, strings.TrimSpace(resp.Body)
		return o
	})
	wantFollowed(t, got, rep)
}

// wantFollowed checks the outcome of an SDK that follows the 303: the certificate
// served, the login page's 200 instead of the 303, and one login opened per call.
func wantFollowed(t *testing.T, got outcome, rep clitest.Report) {
	t.Helper()
	if got.certStatus != http.StatusOK {
		t.Errorf("GetSsoCertificate sample: status %d, want 200", got.certStatus)
	}
	if got.loginStatus != http.StatusOK || got.loginBody != "logged in" {
		t.Errorf("AuthenticateAccount sample: %d %q, want the login page's 200 \"logged in\" (the SDK followed the 303)", got.loginStatus, got.loginBody)
	}
	if rep.Requests != 2 || rep.LoginsOpened != 1 {
		t.Errorf("fake: %d API requests, %d logins opened; want 2 and 1 (the code spent by the SDK)", rep.Requests, rep.LoginsOpened)
	}
}

// This module's client hands the 303's URL back, its code unspent.
func TestThisClient(t *testing.T) {
	got, rep := runAgainstFake(t, func(t *testing.T, f *clitest.Fake) outcome {
		c, err := wrapper.New(f.APIKey, wrapper.WithBaseURL(f.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var o outcome
		if _, err := c.GetSSOCertificate(ctx, f.CertificateID); err != nil {
			t.Fatalf("GetSSOCertificate: %v", err)
		}
		o.certStatus = http.StatusOK
		login, err := c.AuthenticateAccount(ctx, f.AccountID)
		if err != nil {
			t.Fatalf("AuthenticateAccount: %v", err)
		}
		o.loginStatus, o.location = http.StatusSeeOther, login.URL.String()
		return o
	})
	if !strings.HasPrefix(got.location, "http://127.0.0.1:") || !strings.Contains(got.location, "/login?code=") {
		t.Errorf("login URL %q, want the fake's login page with a code", got.location)
	}
	if rep.Requests != 2 || rep.LoginsOpened != 0 {
		t.Errorf("fake: %d API requests, %d logins opened; want 2 and 0 (the code left for the person)", rep.Requests, rep.LoginsOpened)
	}
}
