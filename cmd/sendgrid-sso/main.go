// Command sendgrid-sso calls SendGrid's single sign-on endpoints from the shell.
//
//	sendgrid-sso [global flags] COMMAND [command flags] [ARG]
//
//	cert [--format text|json|prometheus] [--warn-within DURATION]
//	     [--idp-metadata URL|FILE [--entity-id ID]] [--pem] (--all | CERT_ID...)
//	                      show SSO certificates; check their expiry and the IdP's metadata
//	login [--open] ACCOUNT_ID
//	                      print (or open) a one-time login URL into a customer account
//	sync --idp-metadata URL|FILE [--integration ID] [--apply]
//	                      upload the IdP's new signing certificates to SendGrid (a dry run without --apply)
//	version               print the version, the Go version and the source revision
//
// The API key comes from SENDGRID_API_KEY only. Exit status: 0 success, 1 the API
// answered with an error or an unusable response, 2 usage or configuration error,
// 3 network failure or timeout, 4 a check asked for failed, 5 the result could not be
// written to stdout, 6 login --open could not open a browser. Run
// "sendgrid-sso --help" for the details.
//
// A fake SendGrid SSO API to try it against, and a demo, are in the separate command
// sendgrid-sso-fake, so that this one links the client only (package internal/cli).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
)

func main() {
	// A write to a closed pipe then fails with an error the tool reports (exit 5)
	// instead of killing it silently: a login URL lost that way must say so.
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.ProcessEnv()))
}
