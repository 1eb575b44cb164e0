package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

var loginCommand = &command{
	name:     "login",
	synopsis: "[--open] ACCOUNT_ID",
	summary:  "print (or open) a one-time login URL into a customer account",
	about: `Mints a one-time login into the customer account ACCOUNT_ID (partner SSO) and prints
the URL alone on stdout, so that this works:
  open "$(sendgrid-sso login ACCOUNT_ID)"
When it expires goes to stderr. The URL is valid for one login within 60 seconds:
sendgrid-sso never requests it itself, so the code stays unspent for the person who
opens it.

A login printed nowhere is a code wasted: with stdout on /dev/null (or closed) login
refuses before minting one (exit 2), and when the URL cannot be written (a full disk,
a closed pipe) it says so and exits 5. The code never goes to stderr.

--open hands the URL to a browser instead, and stdout stays empty; stderr says that a
login was opened and when it expires. The browser is $BROWSER when set: a list of
commands separated by ':' (';' on Windows), tried in order until one exits 0; each
is split on spaces (no shell), with %s replaced by the URL, or the URL added last
without one. Otherwise the platform's opener: xdg-open, open (macOS), or rundll32
url.dll,FileProtocolHandler (Windows). login waits for the command to exit, so a
text-mode browser runs in the foreground. When none can be started or all fail,
login says so, prints the URL on stdout as without --open, and exits 6. The URL,
code included, is in the opener's arguments while it runs, where ps shows it to
other users of the machine: that is how a URL reaches a browser.`,
	args: []string{"ACCOUNT_ID"},
	setup: func(fs *flag.FlagSet) runFunc {
		open := fs.Bool("open", false, "open the URL in a browser ($"+envBrowser+", else the platform's opener) instead of printing it")
		return func(ctx context.Context, g *globals, args []string) error {
			if !*open {
				if err := checkKeepsOutput(g.stdout); err != nil {
					return err
				}
			}
			login, err := callAPI(ctx, g, func(ctx context.Context, c *wrapper.Client) (*wrapper.SSOLogin, error) {
				return c.AuthenticateAccount(ctx, args[0])
			})
			if err != nil {
				return err
			}
			if *open {
				return openLogin(ctx, g, args[0], login)
			}
			return WriteLogin(g.stdout, g.stderr, login, time.Now())
		}
	},
}

// openLogin hands login to a browser and says so on stderr; when no browser opens it,
// it prints the URL as login does without --open and returns a *browserError.
func openLogin(ctx context.Context, g *globals, account string, login *wrapper.SSOLogin) error {
	// The opener's own output passes the client's redaction: openers quote the URL
	// when they fail ("no method available for opening '…'").
	out := io.Discard
	if g.api != nil {
		out = g.api.LogWriter(g.stderr)
	}
	name, err := openURL(ctx, login.URL.String(), out)
	if err != nil {
		if err := WriteLogin(g.stdout, g.stderr, login, time.Now()); err != nil {
			return err
		}
		return &browserError{fmt.Errorf("--open: could not open the login URL in a browser (%w): it is on stdout instead", err)}
	}
	_ = writeLines(g.stderr, fmt.Sprintf("opened a login into account %s with %s; it expires %s (in %s); valid for one login",
		account, name, login.ExpiresAt.UTC().Format(time.RFC3339), inWords(time.Until(login.ExpiresAt))))
	return nil
}

// errDiscarded says why login refuses a stdout that discards what it is given.
var errDiscarded = errors.New("stdout is /dev/null (or was closed, which the Go runtime turns into /dev/null): " +
	"the login URL would be lost and its one-time code wasted, so none was minted; " +
	"send stdout to a terminal, a file or a pipe, or use --open")

// checkKeepsOutput refuses a stdout that is /dev/null, before a login is minted for
// nothing. A stdout that is not a file (a test's buffer) or that cannot be examined
// passes: a failed write is still caught afterwards.
func checkKeepsOutput(stdout io.Writer) error {
	f, ok := stdout.(*os.File)
	if !ok {
		return nil
	}
	out, err := f.Stat()
	if err != nil {
		return nil
	}
	null, err := os.Stat(os.DevNull)
	if err == nil && os.SameFile(out, null) {
		return &UsageError{Err: errDiscarded}
	}
	return nil
}

// printableURL percent-encodes every byte of u that is not printable ASCII (a server
// may put raw UTF-8, controls or bidi runes in the Location's query): the URL stays
// one that a browser opens to the same place, and nothing in it acts on a terminal.
func printableURL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(u[i])
	}
	return b.String()
}

// WriteLogin writes the login URL alone on a line to url, and when it expires (as of
// now) to note, as login prints them. A failure to write the URL is an error that
// says a login was lost (exit status 5), without the code; the note is best effort.
func WriteLogin(url, note io.Writer, login *wrapper.SSOLogin, now time.Time) error {
	expires := login.ExpiresAt.UTC().Format(time.RFC3339)
	if err := writeLines(url, printableURL(login.URL.String())); err != nil {
		return &outputError{fmt.Errorf("writing the login URL to stdout: %w: a login was minted but not shown; it expires unused at %s", err, expires)}
	}
	// The URL is out: a note that cannot be written does not undo the login.
	_ = writeLines(note, fmt.Sprintf("expires %s (in %s); valid for one login; not opened by sendgrid-sso",
		expires, inWords(login.ExpiresAt.Sub(now))))
	return nil
}
