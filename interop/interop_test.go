package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
	certStatus  int    // status the GetSsoCertificate sample saw
	loginStatus int    // status the AuthenticateAccount sample saw
	loginBody   string // body it saw
	location    string // the 303's Location, when the caller got it
}

// runAgainstFake starts a fake, runs sample against it, stops it, and returns what the
// caller got and the fake's report.
func runAgainstFake(t *testing.T, sample func(t *testing.T, f *clitest.Fake) outcome) (outcome, clitest.Report) {
	t.Helper()
	f := clitest.StartFake(t, fakeBin, nil, "--addr", "127.0.0.1:0")
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
		script, err := filepath.Abs("node/samples.js")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not a speed check
		defer cancel()
		cmd := exec.CommandContext(ctx, "node", script)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "SENDGRID_API_KEY=" + f.APIKey, "FAKE_URL=" + f.URL,
			"CERT_ID=" + f.CertificateID, "ACCOUNT_ID=" + f.AccountID}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s\n(run `npm ci` in interop/: make interop does)", script, err, stdout.String(), stderr.String())
		}
		var o outcome
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			var r struct {
				Sample     string `json:"sample"`
				StatusCode int    `json:"statusCode"`
				Body       any    `json:"body"`
				Error      string `json:"error"`
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil || r.Error != "" {
				t.Fatalf("sample output %q: %v %s", line, err, r.Error)
			}
			if r.Sample == "GetSsoCertificate" {
				o.certStatus = r.StatusCode
			} else {
				o.loginStatus, o.loginBody = r.StatusCode, strings.TrimSpace(r.Body.(string))
			}
		}
		return o
	})
	wantFollowed(t, got, rep)
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
