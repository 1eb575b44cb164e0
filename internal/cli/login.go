package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

var loginCommand = &command{
	name:     "login",
	synopsis: "ACCOUNT_ID",
	summary:  "print a one-time login URL into a customer account",
	about: `Mints a one-time login into the customer account ACCOUNT_ID (partner SSO) and prints
the URL alone on stdout, so that this works:
  open "$(sendgrid-sso login ACCOUNT_ID)"
When it expires goes to stderr. The URL is valid for one login within 60 seconds:
sendgrid-sso never requests it itself, so the code stays unspent for the person who
opens it.`,
	args: []string{"ACCOUNT_ID"},
	setup: func(*flag.FlagSet) runFunc {
		return func(ctx context.Context, g *globals, args []string) error {
			login, err := callAPI(ctx, g, func(ctx context.Context, c *wrapper.Client) (*wrapper.SSOLogin, error) {
				return c.AuthenticateAccount(ctx, args[0])
			})
			if err != nil {
				return err
			}
			return WriteLogin(g.stdout, g.stderr, login, time.Now())
		}
	},
}

// WriteLogin writes the login URL alone on a line to url, and when it expires (as of
// now) to note, as login prints them.
func WriteLogin(url, note io.Writer, login *wrapper.SSOLogin, now time.Time) error {
	if _, err := fmt.Fprintln(url, login.URL.String()); err != nil {
		return fmt.Errorf("writing the login URL: %w", err)
	}
	_, err := fmt.Fprintf(note, "expires %s (in %s); valid for one login; not opened by sendgrid-sso\n",
		login.ExpiresAt.UTC().Format(time.RFC3339), inWords(login.ExpiresAt.Sub(now).Round(time.Second)))
	return err
}
