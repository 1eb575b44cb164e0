package wrapper_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// List the account's SSO integrations: their IDs are what ListSSOCertificates and
// CreateSSOCertificate take.
func ExampleClient_ListSSOIntegrations() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	integrations, err := client.ListSSOIntegrations(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range integrations {
		fmt.Println(i.ID, i.Name, "enabled:", i.Enabled, "completed:", i.Completed)
		fmt.Println("issuer:", i.EntityID)
		fmt.Println("last updated:", i.LastUpdated.UTC())
	}
	// Output:
	// b0b98502-9408-4b24-9e3d-31ed7cb15312 Twilio SendGrid enabled: true completed: true
	// issuer: http://www.okta.com/${org.externalKey}
	// last updated: 2021-05-17 21:55:20 +0000 UTC
}

// List the certificates of one integration, with their validity windows.
func ExampleClient_ListSSOCertificates() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	certs, err := client.ListSSOCertificates(context.Background(), ssotest.DefaultIntegrationID)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range certs {
		fmt.Println(c.ID, "valid until", c.NotAfter.UTC().Format("2006-01-02"))
	}
	// Output:
	// 66138975 valid until 2045-01-01
}

// Add the IdP's new certificate (from its metadata, PEM) to an integration, before
// the old one expires. The certificate is parsed first, so that nothing malformed is
// sent; it is created enabled.
func ExampleClient_CreateSSOCertificate() {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	newPEM := ssotest.DefaultCertificate().PublicCertificate // the IdP's next certificate
	block, _ := pem.Decode([]byte(newPEM))
	if block == nil {
		fmt.Println("no PEM block")
		return
	}
	next, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	created, err := client.CreateSSOCertificate(ctx, ssotest.DefaultIntegrationID, next)
	if err != nil {
		fmt.Println(err)
		return
	}
	certs, err := client.ListSSOCertificates(ctx, ssotest.DefaultIntegrationID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created a new ID:", created.ID != ssotest.DefaultCertificateID)
	fmt.Println("window from the certificate:", created.NotAfter.Equal(next.NotAfter))
	fmt.Println("certificates of the integration now:", len(certs))
	// Output:
	// created a new ID: true
	// window from the certificate: true
	// certificates of the integration now: 2
}
