// Command sendgrid-sso calls SendGrid's single sign-on endpoints from the shell.
//
//	sendgrid-sso demo    both operations against an in-process fake API
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] != "demo" {
		fmt.Fprintln(os.Stderr, "usage: sendgrid-sso demo")
		os.Exit(2)
	}
	if err := demo(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sendgrid-sso:", err)
		os.Exit(1)
	}
}

// demo runs both operations through the real client against an in-process fake.
func demo(ctx context.Context, w io.Writer) error {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "fake SendGrid API at %s\n\n", srv.URL)

	cert, err := client.GetSSOCertificate(ctx, fmt.Sprint(ssotest.DefaultCertificateID))
	if err != nil {
		return err
	}
	x, err := cert.X509()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "certificate %d (integration %s)\n", cert.ID, cert.IntegrationID)
	fmt.Fprintf(w, "  valid    %s to %s\n", cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "  subject  %s\n  issuer   %s\n  serial   %X\n\n", x.Subject, x.Issuer, x.SerialNumber)

	login, err := client.AuthenticateAccount(ctx, ssotest.DefaultAccountID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "login for account %s\n", ssotest.DefaultAccountID)
	fmt.Fprintf(w, "  url      %s\n", login.URL)
	fmt.Fprintf(w, "  expires  %s (in %v)\n", login.ExpiresAt.UTC().Format(time.RFC3339), time.Until(login.ExpiresAt).Round(time.Second))
	fmt.Fprintf(w, "  redirect followed by the client: %d times (the code is unspent)\n", srv.LoginsFollowed())
	return nil
}
