package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

const helpIntro = `sendgrid-sso calls SendGrid's single sign-on endpoints: check an SSO certificate
before it expires, hand a support engineer a one-time login link.

Usage:
  sendgrid-sso [global flags] COMMAND [command flags] [ARG]
`

// helpEnvironment is the top-level help's table of environment variables.
var helpEnvironment = []Row{
	{wrapper.EnvAPIKey, "the API key; never a flag (shell history, ps)"},
	{wrapper.EnvRegion, "default for --region"},
	{envBrowser, "the browser command(s) for login --open (see 'login --help')"},
}

const helpText = `Text from the network (IDs, subjects, error messages) is printed with control and
bidi characters escaped as Go escapes (\x1b, \u202e); JSON escapes them as \u.

Run 'sendgrid-sso COMMAND --help' for a command's flags. A fake SendGrid SSO API to
try it against, and a demo of both commands: ` + FakeName + ` (its own binary).
`

// printHelp writes the top-level help.
func printHelp(w io.Writer, global *flag.FlagSet) {
	rows := make([]Row, len(commands))
	for i, c := range commands {
		rows[i] = Row{strings.TrimSpace(c.name + " " + c.synopsis), c.summary}
	}
	fmt.Fprint(w, helpIntro, "\nCommands:\n", Table(rows...))
	fmt.Fprint(w, "\nGlobal flags (before the command):\n")
	PrintFlags(w, global)
	fmt.Fprint(w, "\nEnvironment:\n", Table(helpEnvironment...))
	fmt.Fprint(w, "\nExit status:\n", Table(exitHelp...))
	fmt.Fprintf(w, "cert with several CERT_IDs exits with the most severe status of them all, in the\norder %s.\n", exitOrderText())
	fmt.Fprint(w, "\n", helpText)
}

// printCommandHelp writes the help of one command; global is the global flag set,
// whose flags it names.
func printCommandHelp(w io.Writer, c *command, fs, global *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usageLine(c), strings.TrimSpace(c.about))
	if hasFlags(fs) {
		fmt.Fprint(w, "\nFlags (before any argument):\n")
		PrintFlags(w, fs)
	}
	var names []string
	global.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	note := fmt.Sprintf("Global flags (before the command): %s; see 'sendgrid-sso --help'.", strings.Join(names, ", "))
	fmt.Fprint(w, "\n", strings.Join(wrap(note, helpWidth), "\n"), "\n")
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
		printCommandHelp(w, c, fs, global)
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

// PrintFlags lists fs's flags as a Table: "--name ARG" and the usage, with
// "(default d)".
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	var rows []Row
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" && arg != "value" {
			name += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, Row{name, usage})
	})
	fmt.Fprint(w, Table(rows...))
}

// Row is one row of a help Table: a key (a flag, a command, a status) and its text.
type Row struct{ Key, Text string }

const (
	// helpWidth is the width help text fits in: Table wraps to it.
	helpWidth = 80
	// maxKeyWidth is the widest key that shares its line with its text; a wider one
	// (a long synopsis) has a line of its own, its text below it in the text column.
	maxKeyWidth = 30
	// minTextWidth keeps wrapped text readable however wide the keys are.
	minTextWidth = 30
)

// Table is every help table of both binaries (commands, flags, environment, exit
// statuses, cert's checks and formats): rows indented by two spaces, every text in the
// same column, two spaces after the widest key (of those up to maxKeyWidth), wrapped
// at spaces to fit helpWidth and continued in that column. A "\n" in a text starts a
// new line there.
func Table(rows ...Row) string {
	width := 0
	for _, r := range rows {
		if n := utf8.RuneCountInString(r.Key); n <= maxKeyWidth {
			width = max(width, n)
		}
	}
	column := 2 + width + 2
	pad := strings.Repeat(" ", column)
	var b strings.Builder
	for _, r := range rows {
		lines := wrap(r.Text, max(helpWidth-column, minTextWidth))
		if n := utf8.RuneCountInString(r.Key); n > width {
			b.WriteString("  " + r.Key + "\n")
		} else {
			b.WriteString(strings.TrimRight("  "+r.Key+strings.Repeat(" ", width-n+2)+lines[0], " ") + "\n")
			lines = lines[1:]
		}
		for _, l := range lines {
			b.WriteString(strings.TrimRight(pad+l, " ") + "\n")
		}
	}
	return b.String()
}

// wrap splits text into lines of at most width runes, at spaces (a longer word has a
// line of its own), keeping each "\n" of text as a line break.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return lines
}
