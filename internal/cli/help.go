package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

const helpIntro = `sendgrid-sso calls SendGrid's single sign-on endpoints: check an SSO certificate
before it expires, hand a support engineer a one-time login link.

Usage:
  sendgrid-sso [global flags] COMMAND [command flags] [ARG]
`

var helpEnvironment = `Environment:
  ` + wrapper.EnvAPIKey + `  the API key; never a flag (shell history, ps)
  ` + wrapper.EnvRegion + `   default for --region
  ` + envBrowser + `           the browser command(s) for login --open (see 'login --help')

Exit status:
  0  success
  1  the API answered with an error status, or with a response that cannot be used
  2  usage or configuration error: a missing argument or key, an unknown region, an invalid ID
  3  network failure or timeout: no answer from the API (or the IdP metadata URL)
  4  a check asked for failed: cert --warn-within or --idp-metadata
  5  the result could not be written to stdout (a full disk, a closed pipe); for
     login, a login was minted and is lost unused
  6  login --open could not open a browser; the URL is on stdout instead
  cert with several CERT_IDs exits with the most severe status of them all, in the
  order 5, 2, 3, 1, 4, 0.

Text from the network (IDs, subjects, error messages) is printed with control and
bidi characters escaped as Go escapes (\x1b, \u202e); JSON escapes them as \u.

Run 'sendgrid-sso COMMAND --help' for a command's flags. A fake SendGrid SSO API to
try it against, and a demo of both commands: ` + FakeName + ` (its own binary).
`

// printHelp writes the top-level help.
func printHelp(w io.Writer, global *flag.FlagSet) {
	fmt.Fprint(w, helpIntro, "\nCommands:\n")
	for _, c := range commands {
		if line := c.name + " " + c.synopsis; len(line) <= 32 {
			fmt.Fprintf(w, "  %-32s %s\n", line, c.summary)
		} else { // a long synopsis: the summary on a line of its own
			fmt.Fprintf(w, "  %s\n  %-32s %s\n", line, "", c.summary)
		}
	}
	fmt.Fprint(w, "\nGlobal flags (before the command):\n")
	PrintFlags(w, global)
	fmt.Fprint(w, "\n", helpEnvironment)
}

// printCommandHelp writes the help of one command.
func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usageLine(c), strings.TrimSpace(c.about))
	if hasFlags(fs) {
		fmt.Fprint(w, "\nFlags (before any argument):\n")
		PrintFlags(w, fs)
	}
	fmt.Fprint(w, "\nGlobal flags --region, --base-url and --timeout apply; see 'sendgrid-sso --help'.\n")
}

// runHelp is "sendgrid-sso help [COMMAND]".
func runHelp(w io.Writer, global *flag.FlagSet, args []string) error {
	switch len(args) {
	case 0:
		printHelp(w, global)
		return nil
	case 1:
		c, err := commandNamed(args[0])
		if err != nil {
			return usage(nil, err)
		}
		fs := NewFlagSet(c.name)
		c.setup(fs)
		printCommandHelp(w, c, fs)
		return nil
	}
	return usage(nil, fmt.Errorf("help takes at most one command, got %d arguments", len(args)))
}

// usageLine is the synopsis of c.
func usageLine(c *command) string {
	s := "sendgrid-sso [global flags] " + c.name
	if c.synopsis != "" {
		s += " " + c.synopsis
	}
	return s
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// PrintFlags lists fs's flags as "--name ARG  usage (default d)".
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" && arg != "value" {
			name += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %-20s %s\n", name, usage)
	})
}
