package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// demoTimeout bounds the demo's two calls, as sendgrid-sso's default --timeout does.
const demoTimeout = 30 * time.Second

// runDemo runs both operations against an in-process fake, writing everything to w
// as cert and login print it.
func runDemo(ctx context.Context, w io.Writer) error {
	srv := ssotest.NewServer()
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL), wrapper.WithUserAgent(cli.UserAgent))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, demoTimeout)
	defer cancel()

	certID := strconv.FormatInt(ssotest.DefaultCertificateID, 10)
	// No "$ command" lines: the fake stops with the demo, so commands shown here could
	// not be run as typed. Headings say which command prints what follows.
	fmt.Fprintf(w, "A fake SendGrid API runs inside this demo at %s: no key, no network.\n\n", srv.URL)
	fmt.Fprintf(w, "The certificate, as 'sendgrid-sso cert %s' shows it:\n", certID)
	cert, err := client.GetSSOCertificate(ctx, certID)
	if err != nil {
		return err
	}
	view, err := cli.NewCertView(cert, time.Now())
	if err != nil {
		return err
	}
	if err := view.WriteText(w); err != nil {
		return cli.OutputError(fmt.Errorf("writing the demo to stdout: %w", err))
	}

	fmt.Fprintf(w, "\nA login URL, as 'sendgrid-sso login %s' prints it:\n", ssotest.DefaultAccountID)
	login, err := client.AuthenticateAccount(ctx, ssotest.DefaultAccountID)
	if err != nil {
		return err
	}
	if err := cli.WriteLogin(w, w, login, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe client followed the login redirect %d times: the one-time code is unspent.\n", srv.LoginsFollowed())
	fmt.Fprintf(w, "The fake stops with this demo. To run these commands yourself, start %s\nin another terminal: it prints them with its address.\n", cli.FakeName)
	return nil
}
