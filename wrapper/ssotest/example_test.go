package ssotest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// A test points the real client at the fake.
func ExampleNewServer() {
	srv := ssotest.NewServer(ssotest.WithAccount("customer-42"))
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	cert, err := client.GetSSOCertificate(ctx, fmt.Sprint(ssotest.DefaultCertificateID))
	fmt.Println(cert.ID, cert.IntegrationID, err)

	login, err := client.AuthenticateAccount(ctx, "customer-42")
	fmt.Println(login.URL.Host == srv.URL[len("http://"):], err)

	_, err = client.AuthenticateAccount(ctx, "customer-43")
	fmt.Println(errors.Is(err, wrapper.ErrNotFound))
	fmt.Println(srv.LoginsFollowed(), len(srv.InvalidRequests()), len(srv.InvalidResponses()))
	// Output:
	// 66138975 b0b98502-9408-4b24-9e3d-31ed7cb15312 <nil>
	// true <nil>
	// true
	// 0 0 0
}

// Faults on demand: here a rate limit the client waits out, then an HTML page from a
// load balancer, which the client reports with an excerpt of the page.
func ExampleServer_FailNext() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL),
		wrapper.WithMaxRetries(0), wrapper.WithMaxRetryWait(10*time.Millisecond))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	id := fmt.Sprint(ssotest.DefaultCertificateID)

	srv.FailNext(1, ssotest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	_, err = client.GetSSOCertificate(ctx, id)
	fmt.Println(err)

	srv.FailNext(1, ssotest.Fault{Status: http.StatusBadGateway, HTML: true})
	_, err = client.GetSSOCertificate(ctx, id)
	fmt.Println(err)
	// Output:
	// sendgrid: GetSSOCertificate: 429 Too Many Requests: Too Many Requests [10-42900] (retry after 1s)
	// sendgrid: GetSSOCertificate: 502 Bad Gateway: body "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>"
}

// Requests that break the spec are refused and recorded.
func ExampleServer_InvalidRequests() {
	srv := ssotest.NewServer()
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v3/partners/accounts/42/sso", "", nil) // no API key
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	for _, v := range srv.InvalidRequests() {
		fmt.Println(v)
	}
	// Output:
	// POST /v3/partners/accounts/42/sso: 401: POST /v3/partners/accounts/42/sso (AuthenticateAccount): the request lacks the credentials the spec requires: no Authorization header; send "Authorization: Bearer <API key>"
}

// Serve a certificate that expires in three days, to see an expiry alert fire.
func ExampleCertificate_ExpiringIn() {
	srv := ssotest.NewServer(ssotest.WithCertificate(ssotest.DefaultCertificate().ExpiringIn(72 * time.Hour)))
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	cert, err := client.GetSSOCertificate(context.Background(), "66138975")
	if err != nil {
		fmt.Println(err)
		return
	}
	left := time.Until(cert.NotAfter)
	fmt.Println("expires within 3 days:", left > 71*time.Hour && left <= 72*time.Hour)
	// Output:
	// expires within 3 days: true
}

// A budget of two calls an hour per key: the third call is rate limited until the
// window ends (Retry-After: the hour, less the moments the calls took).
func ExampleWithRateLimit() {
	srv := ssotest.NewServer(ssotest.WithRateLimit(2, time.Hour))
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL), wrapper.WithMaxRetries(0))
	if err != nil {
		panic(err)
	}
	id := fmt.Sprint(ssotest.DefaultCertificateID)
	for range 3 {
		_, err := client.GetSSOCertificate(context.Background(), id)
		var apiErr *wrapper.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.StatusCode, errors.Is(err, wrapper.ErrRateLimited), apiErr.RateLimit.Remaining,
				apiErr.RetryAfter > 59*time.Minute)
			continue
		}
		fmt.Println(err)
	}
	// Output:
	// <nil>
	// <nil>
	// 429 true 0 true
}

// Any language can ask for a declared status with the Prefer header, as with the
// Prism mock server.
func ExampleServer_prefer() {
	srv := ssotest.NewServer()
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/v3/partners/accounts/"+ssotest.DefaultAccountID+"/sso", nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	req.Header.Set("Prefer", "code=503")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.StatusCode, " ", string(body))
	// Output:
	// 503 {"errors":[{"error_id":"10-50300","field":"","message":"Service Unavailable"}]}
}
