package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Fetch an SSO certificate and check how long it stays valid. The fake API stands in
// for SendGrid; against the real one, call wrapper.New(apiKey) or wrapper.NewFromEnv().
func ExampleClient_GetSSOCertificate() {
	srv := ssotest.NewServer()
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
	x, err := cert.X509()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("certificate", cert.ID, "of integration", cert.IntegrationID)
	fmt.Println("subject:", x.Subject)
	fmt.Println("window matches the X.509 validity:", cert.NotAfter.Equal(x.NotAfter))
	// Output:
	// certificate 66138975 of integration b0b98502-9408-4b24-9e3d-31ed7cb15312
	// subject: CN=idp.example.com,O=Example IdP
	// window matches the X.509 validity: true
}

// Mint a one-time login into a customer account and hand the URL on. The client never
// follows the 303, so the code is still unspent.
func ExampleClient_AuthenticateAccount() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	login, err := client.AuthenticateAccount(context.Background(), ssotest.DefaultAccountID)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Redirect the support engineer's browser to login.URL.String() within 60 seconds.
	fmt.Println("valid for about a minute:", time.Until(login.ExpiresAt) > 55*time.Second)
	fmt.Println("followed by the client:", srv.LoginsFollowed())
	fmt.Println(login.URL.Query().Has("code"))
	// Output:
	// valid for about a minute: true
	// followed by the client: 0
	// true
}

// Errors from the API are *wrapper.APIError values; the sentinels classify them.
func ExampleAPIError() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.AuthenticateAccount(context.Background(), "no-such-account")
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode)
		fmt.Println("not found:", errors.Is(err, wrapper.ErrNotFound))
	}
	// Output:
	// status: 404
	// not found: true
}

// Choose the EU region for EU regional subusers; a key works only in its own region.
func ExampleWithRegion() {
	client, err := wrapper.New("SG.example-key", wrapper.WithRegion(wrapper.RegionEU))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client) // the key is never printed
	// Output:
	// wrapper.Client{BaseURL: https://api.eu.sendgrid.com/, Region: "eu", APIKey: [REDACTED]}
}

// Read the key from SENDGRID_API_KEY and the region from SENDGRID_REGION. Here the
// example sets both, as export would in your shell; an unset key is an error wrapping
// ErrInvalidConfig.
func ExampleNewFromEnv() {
	os.Setenv(wrapper.EnvAPIKey, "SG.example-key")
	os.Setenv(wrapper.EnvRegion, "eu")

	client, err := wrapper.NewFromEnv(wrapper.WithMaxRetries(4))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client)
	// Output:
	// wrapper.Client{BaseURL: https://api.eu.sendgrid.com/, Region: "eu", APIKey: [REDACTED]}
}
