package readme_test

// The Go code README.md and docs/*.md show, each block inside the function its marker
// names (see doc.go). Functions that would call the real API are compiled, not run;
// TestLogin, docs/testing.md's test against the fake, runs.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Compiled only: they would call the real API.
var _ = []any{readmeCheckCertificate, readmeIdPMetadata, readmeLogin, readmeLogger, readmeErrors, readmeTransport, readmeLogWriter, readmeRateLimit, readmeFaults}

func readmeCheckCertificate(ctx context.Context) {
	client, err := wrapper.New(os.Getenv("SENDGRID_API_KEY")) // global region
	if err != nil {
		log.Fatal(err)
	}
	cert, err := client.GetSSOCertificate(ctx, "66138975")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cert.ID, cert.IntegrationID, "expires", cert.NotAfter)
	x, err := cert.X509() // PEM or bare base64 DER, parsed with crypto/x509
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Subject, x.SerialNumber)
}

func readmeIdPMetadata(ctx context.Context, cert *wrapper.Certificate) {
	md, err := idpmetadata.Fetch(ctx, nil, "https://idp.example.com/app/sso/saml/metadata")
	// or, from a file: md, err := idpmetadata.Parse(f)
	if err != nil {
		log.Fatal(err) // errors.Is(err, idpmetadata.ErrInvalid): not usable metadata
	}
	x, err := cert.X509()
	if err != nil {
		log.Fatal(err)
	}
	atSendGrid := idpmetadata.FingerprintOf(x) // SHA-256 of the DER: PEM or base64 alike
	// One entity per IdP (an aggregate lists several): judge yours alone.
	for _, e := range md.Entities {
		for _, c := range e.SigningCertificates { // an IdP rolling over publishes two
			fmt.Println(e.ID, c.Fingerprint == atSendGrid, c.Fingerprint, c.Subject, "expires", c.NotAfter)
		}
	}
}

func readmeLogin(ctx context.Context, apiKey string, w http.ResponseWriter, r *http.Request) {
	client, err := wrapper.New(apiKey, wrapper.WithRegion(wrapper.RegionEU)) // EU subusers
	if err != nil {
		log.Fatal(err)
	}
	if r.Method != http.MethodPost { // mint for a POST only: link scanners and prefetchers GET
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	login, err := client.AuthenticateAccount(ctx, "sg2a2bcd3ef4ab5c67d8efab91c01de2fa")
	if err != nil {
		log.Fatal(err)
	}
	// Hand the URL to the person's browser before login.ExpiresAt (60 s); never fetch it yourself.
	if err := login.Redirect(w, r); err != nil { // 303, Cache-Control: no-store, Referrer-Policy: no-referrer
		log.Print(err) // wraps wrapper.ErrLoginExpired once the 60 s are over
	}
	log.Printf("minted %v", login) // prints the host only: the code is redacted
}

func readmeLogger(apiKey string) (*wrapper.Client, error) {
	client, err := wrapper.New(apiKey, wrapper.WithLogger(slog.Default()))
	return client, err
}

func readmeErrors(ctx context.Context, client *wrapper.Client, id string) {
	_, err := client.AuthenticateAccount(ctx, id)
	var apiErr *wrapper.APIError
	switch {
	case err == nil: // the login
	case errors.Is(err, wrapper.ErrNotFound): // 404: no such account
	case errors.Is(err, wrapper.ErrRateLimited) && errors.As(err, &apiErr): // 429 after the retries ran out
		log.Printf("rate limited: try again in %v", apiErr.RetryAfter)
	case errors.As(err, &apiErr): // any other status: apiErr.StatusCode, apiErr.Errors
	case errors.Is(err, wrapper.ErrInvalidResponse): // 303 without a trusted Location, a body over 1 MiB, bad JSON
	case errors.Is(err, wrapper.ErrInvalidID): // "", "." or "..": refused before sending
	default: // network failure, timeout, cancellation
	}
}

func readmeTransport(key string) (*wrapper.Client, error) {
	tr := wrapper.DefaultTransport()
	tr.ResponseHeaderTimeout = 10 * time.Second
	client, err := wrapper.New(key, wrapper.WithHTTPClient(&http.Client{
		Transport: tr,
		Timeout:   20 * time.Second, // per attempt
	}))
	return client, err
}

func readmeLogWriter(client *wrapper.Client) {
	log.SetOutput(client.LogWriter(os.Stderr))
}

func TestLogin(t *testing.T) {
	srv := ssotest.NewServer(ssotest.WithAccount("customer-42"))
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}

	login, err := client.AuthenticateAccount(t.Context(), "customer-42") // 303 to a login page on the fake
	if err != nil {
		t.Fatal(err)
	}
	// ... your code under test, handed login.URL ...
	if !strings.HasPrefix(login.URL.String(), srv.URL+"/") {
		t.Error("the login URL is not on the fake")
	}

	if srv.LoginsFollowed() != 0 {
		t.Error("something followed the one-time login URL and spent its code")
	}
	if v := srv.InvalidRequests(); len(v) > 0 {
		t.Errorf("requests the spec does not allow: %v", v)
	}
}

func readmeRateLimit() *ssotest.Server {
	srv := ssotest.NewServer(ssotest.WithRateLimit(2, time.Hour)) // the third call gets a 429
	return srv
}

func readmeFaults(srv *ssotest.Server) {
	srv.FailNext(2, ssotest.Fault{Status: 429, RetryAfter: time.Second}) // rate limited twice
	srv.FailNext(1, ssotest.Fault{Status: 502, HTML: true})              // a load balancer's HTML page
	srv.FailNext(1, ssotest.Fault{Status: 503, Header: http.Header{"X-RateLimit-Reset": {"1700000000"}}})
	srv.FailNext(1, ssotest.Fault{Delay: 5 * time.Second})         // slow, then served normally
	srv.FailNext(1, ssotest.Fault{Drop: true})                     // connection closed, no answer
	srv.FailNext(1, ssotest.Fault{Status: 200, Body: `{"id": 1}`}) // any body you like
}
