package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
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
opens it. Every byte of the URL that RFC 3986 does not allow unencoded, and ' $ !,
is percent-encoded, so that it is safe on a terminal and inside shell quotes.

A login printed nowhere is a code wasted: with stdout on /dev/null (or closed) login
refuses before minting one (exit 2), and when the URL cannot be written (a full disk,
a closed pipe) it says so and exits 5. The code never goes to stderr.

--open hands the URL to a browser instead, and stdout stays empty; stderr says that a
login was opened and when it expires. The browser is $BROWSER when set: a list of
commands separated by ':' (';' on Windows), tried in order until one exits 0; each
is split on spaces (no shell), with %s replaced by the URL, or the URL added last
without one. Otherwise the platform's opener: xdg-open, open (macOS), or rundll32
url.dll,FileProtocolHandler (Windows). login looks for these commands before it
mints a login: when none is there, it says so and exits 6 without minting one.
login waits for the command to exit, so a text-mode browser (w3m, lynx) runs in the
foreground: the command's stdout and stderr are login's where those are a terminal;
otherwise its output goes to stderr, code removed. When all the commands fail,
login says so, prints the URL on stdout as without --open, and exits 6. The URL,
code included, is in the opener's arguments while it runs, where ps shows it to
other users of the machine: that is how a URL reaches a browser.`,
	args: []string{"ACCOUNT_ID"},
	setup: func(fs *flag.FlagSet) runFunc {
		open := fs.Bool("open", false, "open the URL in a browser ($"+envBrowser+", else the platform's opener) instead of printing it")
		return func(ctx context.Context, g *globals, args []string) error {
			var openers []opener
			var missing []string
			if *open {
				if openers, missing = findOpeners(g.getenv(envBrowser)); len(openers) == 0 {
					return &browserError{fmt.Errorf("--open: no browser to open the login URL with (%s), so none was minted: "+
						"set $%s to your browser's command, or leave out --open to print the URL", strings.Join(missing, "; "), envBrowser)}
				}
			} else if err := checkKeepsOutput(g.stdout); err != nil {
				return err
			}
			login, err := callAPI(ctx, g, func(ctx context.Context, c *wrapper.Client) (*wrapper.SSOLogin, error) {
				return c.AuthenticateAccount(ctx, args[0])
			})
			if err != nil {
				return err
			}
			if *open {
				return openLogin(ctx, g, args[0], login, openers, missing)
			}
			return WriteLogin(g.stdout, g.stderr, login, time.Now())
		}
	},
}

// openLogin hands login to the first of openers that opens it and says so on stderr;
// when none does, it prints the URL as login does without --open and returns a
// *browserError that also names the commands of $BROWSER that were missing.
func openLogin(ctx context.Context, g *globals, account string, login *wrapper.SSOLogin, openers []opener, missing []string) error {
	stdout, stderr := openerOutput(g)
	name, err := openURL(ctx, safeURL(login.URL), openers, g.stdin, stdout, stderr)
	if err == nil {
		_ = writeLines(g.stderr, fmt.Sprintf("opened a login into account %s with %s; it expires %s (in %s); valid for one login",
			account, name, login.ExpiresAt.UTC().Format(time.RFC3339), inWords(time.Until(login.ExpiresAt))))
		return nil
	}
	why := strings.Join(append(missing, err.Error()), "; ")
	if checkKeepsOutput(g.stdout) != nil {
		return &browserError{fmt.Errorf("--open: could not open the login URL in a browser (%s), and stdout is /dev/null: the login is lost; it expires unused at %s",
			why, login.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	if err := WriteLogin(g.stdout, g.stderr, login, time.Now()); err != nil {
		return err
	}
	return &browserError{fmt.Errorf("--open: could not open the login URL in a browser (%s): it is on stdout instead", why)}
}

// openerOutput returns where a browser command's stdout and stderr go: the tool's own
// stdout and stderr where they are terminals, so that a text-mode browser (w3m, lynx)
// gets the terminal; otherwise the client's redaction onto stderr, since openers quote
// the URL, code included, when they fail ("no method available for opening '…'"),
// and stdout stays empty.
func openerOutput(g *globals) (stdout, stderr io.Writer) {
	redacted := io.Discard
	if g.api != nil {
		redacted = g.api.LogWriter(g.stderr)
	}
	stdout, stderr = redacted, redacted
	if isTerminal(g.stdout) {
		stdout = g.stdout
	}
	if isTerminal(g.stderr) {
		stderr = g.stderr
	}
	return stdout, stderr
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

// urlKept holds the bytes safeURL leaves as they are: RFC 3986's unreserved
// characters, its delimiters, and its sub-delimiters but for those a shell expands
// inside quotes (' $ !).
const urlKept = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + // unreserved
	":/?#[]@" + // gen-delims
	"&()*+,;=" // sub-delims but ' $ !

// safeURL is the one form in which login shows a login URL and hands it to a browser.
// A server (even a trusted host, which the client requires) chooses the bytes of the
// Location's path and query: every byte RFC 3986 does not allow unencoded (controls,
// spaces, raw UTF-8, bidi runes, " \ ` < > { } | ^, a % that starts no escape), and
// the ' $ ! a shell would act on inside quotes, is percent-encoded (%27 for '). So
// nothing in it acts on a terminal, it cannot break out of quotes when pasted into a
// shell ("$(...)", a backtick), and it is one argument to an opener that hands it to a
// shell; a browser opens it to the same place.
func safeURL(u *url.URL) string {
	s := u.String()
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(urlKept, c) >= 0 || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// WriteLogin writes the login URL (as safeURL shows it) alone on a line to out, and
// when it expires (as of now) to note, as login prints them. A failure to write the URL is an error that
// says a login was lost (exit status 5), without the code; the note is best effort.
func WriteLogin(out, note io.Writer, login *wrapper.SSOLogin, now time.Time) error {
	expires := login.ExpiresAt.UTC().Format(time.RFC3339)
	if err := writeLines(out, safeURL(login.URL)); err != nil {
		return &outputError{fmt.Errorf("writing the login URL to stdout: %w: a login was minted but not shown; it expires unused at %s", err, expires)}
	}
	// The URL is out: a note that cannot be written does not undo the login.
	_ = writeLines(note, fmt.Sprintf("expires %s (in %s); valid for one login; not opened by sendgrid-sso",
		expires, inWords(login.ExpiresAt.Sub(now))))
	return nil
}
