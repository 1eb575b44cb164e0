package ssotest_test

import (
	"context"
	"errors"
	"fmt"
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
