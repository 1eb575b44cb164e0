package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

var demoCommand = &command{
	name:    "demo",
	summary: "both operations against an in-process fake: no key, no network",
	about: `Starts the fake SendGrid SSO API of package wrapper/ssotest on a loopback port, inside
this process, and runs both operations through the real client: the certificate as
'cert' shows it, then a login URL as 'login' prints it. It needs no API key and
makes no request beyond loopback. 'make demo' runs it.`,
	setup: func(*flag.FlagSet) runFunc { return runDemo },
}

// runDemo runs both operations against an in-process fake, writing everything to
// stdout.
func runDemo(ctx context.Context, g *globals, _ []string) error {
	srv := ssotest.NewServer()
	defer srv.Close()
	demo := &globals{baseURL: srv.URL, apiKey: srv.APIKey, timeout: g.timeout, stdout: g.stdout, stderr: g.stdout}
	certID := strconv.FormatInt(ssotest.DefaultCertificateID, 10)
	fmt.Fprintf(g.stdout, "A fake SendGrid API runs at %s: no key, no network.\n\n$ sendgrid-sso cert %s\n", srv.URL, certID)

	view, err := fetchCertificate(ctx, demo, certID)
	if err != nil {
		return err
	}
	if err := view.writeText(g.stdout); err != nil {
		return err
	}

	fmt.Fprintf(g.stdout, "\n$ sendgrid-sso login %s\n", ssotest.DefaultAccountID)
	login, err := callAPI(ctx, demo, func(ctx context.Context, c *wrapper.Client) (*wrapper.SSOLogin, error) {
		return c.AuthenticateAccount(ctx, ssotest.DefaultAccountID)
	})
	if err != nil {
		return err
	}
	if err := writeLogin(g.stdout, g.stdout, login, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\nThe client followed the login redirect %d times: the one-time code is unspent.\n", srv.LoginsFollowed())
	return nil
}
