package cli

import (
	"flag"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// helps returns every --help text of sendgrid-sso, by the command line that prints it.
func helps(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, args := range [][]string{{"--help"}, {"cert", "--help"}, {"login", "--help"}, {"version", "--help"}} {
		r := sso(t, nil, args...)
		if r.Code != ExitOK || r.Stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.Code, r.Stderr)
		}
		out[strings.Join(args, " ")] = r.Stdout
	}
	return out
}

// TestHelpTablesAligned: every table of every help (commands, flags, environment,
// exit statuses, cert's checks and formats) has its texts in one column; cert's
// "--idp-metadata URL|FILE" used to push its text one space from the key, out of line.
func TestHelpTablesAligned(t *testing.T) {
	t.Parallel()
	for name, text := range helps(t) {
		clitest.WantAlignedTables(t, name, text)
	}
}

// TestTable: keys up to maxKeyWidth share their line with their text, wider ones
// have a line of their own; text wraps to helpWidth in the text column, and a "\n"
// in it breaks the line.
func TestTable(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("k", maxKeyWidth+1)
	got := Table(
		Row{"a", "short"},
		Row{"--flag ARG", strings.Repeat("word ", 30) + "end"},
		Row{long, "below its key"},
		Row{"b", "one\ntwo"},
	)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	column := len("  --flag ARG  ")
	if lines[0] != "  a"+strings.Repeat(" ", column-3)+"short" {
		t.Errorf("first row %q: want its text in column %d", lines[0], column)
	}
	for _, l := range lines {
		if len(l) > helpWidth && !strings.Contains(l, long) {
			t.Errorf("line %q is wider than %d", l, helpWidth)
		}
	}
	if !slices.Contains(lines, "  "+long) || !slices.Contains(lines, strings.Repeat(" ", column)+"below its key") {
		t.Errorf("a key wider than %d does not stand alone with its text below:\n%s", maxKeyWidth, got)
	}
	if !strings.HasSuffix(got, "  b"+strings.Repeat(" ", column-3)+"one\n"+strings.Repeat(" ", column)+"two\n") {
		t.Errorf("a \\n in a text does not continue in the text column:\n%s", got)
	}
	clitest.WantAlignedTables(t, "Table", got)
}

// statusOrder finds, in text after "order" (the help's sentence or table on how
// several outcomes make one exit status), the exit statuses in the order given.
func statusOrder(text string) []int {
	_, rest, _ := strings.Cut(text, "most severe")
	_, rest, _ = strings.Cut(rest, "order")
	rest, _, _ = strings.Cut(rest, "\n\n")
	var order []int
	for _, m := range regexp.MustCompile(`(?m)(?:^ *|[:,] )([0-9])\b`).FindAllStringSubmatch(rest, -1) {
		n, _ := strconv.Atoi(m[1])
		order = append(order, n)
	}
	return order
}

// TestHelpStatesTheExitOrder: cert --help and the top-level help give the order in
// which several outcomes make one exit status, the one worseExit applies; cert --help
// used to leave out 5.
func TestHelpStatesTheExitOrder(t *testing.T) {
	t.Parallel()
	// The order worseExit applies: each status is worse than every one after it.
	applied := []int{ExitOutput, ExitUsage, ExitNetwork, ExitAPI, ExitCheck, ExitOK}
	for i, a := range applied {
		for _, b := range applied[i+1:] {
			if worseExit(a, b) != a || worseExit(b, a) != a {
				t.Fatalf("worseExit does not put %d before %d", a, b)
			}
		}
	}
	h := helps(t)
	for _, name := range []string{"--help", "cert --help"} {
		if got := statusOrder(h[name]); !slices.Equal(got, applied) {
			t.Errorf("%s gives the order %v, want %v", name, got, applied)
		}
	}
}

// TestCommandHelpNamesEveryGlobalFlag: a command's help names every global flag; it
// used to leave out --verbose.
func TestCommandHelpNamesEveryGlobalFlag(t *testing.T) {
	t.Parallel()
	var names []string
	(&globals{}).flagSet().VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	for name, text := range helps(t) {
		if name == "--help" {
			continue
		}
		_, global, _ := strings.Cut(text, "Global flags")
		for _, flagName := range names {
			if !strings.Contains(global, flagName) {
				t.Errorf("%s: the global flags lack %s:\n%s", name, flagName, text)
			}
		}
	}
}

// TestFlagErrorsUseTwoDashes: errors name flags as the help does, with two dashes
// (package flag writes one: "invalid value \"3x\" for flag -warn-within"), and a bad
// duration says what a duration looks like.
func TestFlagErrorsUseTwoDashes(t *testing.T) {
	t.Parallel()
	oneDash := regexp.MustCompile(`(?:^|[^-\w])-(timeout|format|chatty|yaml|warn-within|json|verbose)\b`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "soon", "cert", "1"}, `invalid value "soon" for --timeout: not a duration: give one such as 30s`},
		{[]string{"--chatty", "cert", "1"}, "unknown flag --chatty"},
		{[]string{"--verbose=maybe", "cert", "1"}, `invalid value "maybe" for --verbose: not a boolean`},
		{[]string{"cert", "--warn-within", "3x", "1"}, `invalid value "3x" for --warn-within: "3x" is not a duration`},
		{[]string{"cert", "--json=maybe", "1"}, `invalid value "maybe" for --json`},
		{[]string{"cert", "--yaml", "1"}, "unknown flag --yaml"},
		{[]string{"cert", "--timeout", "1s", "1"}, "--timeout is a global flag: put it before the command"},
		{[]string{"cert", "1", "--format"}, "flag --format comes after CERT_ID"},
		{[]string{"cert", "--format"}, "--format needs a value"},
	} {
		r := sso(t, nil, tc.args...)
		if r.Code != ExitUsage || r.Stdout != "" {
			t.Errorf("%v: exit %d, stdout %q; want exit %d and nothing on stdout", tc.args, r.Code, r.Stdout, ExitUsage)
		}
		if !strings.Contains(r.Stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, r.Stderr)
		}
		if m := oneDash.FindString(r.Stderr); m != "" {
			t.Errorf("%v: stderr names a flag with one dash (%q):\n%s", tc.args, m, r.Stderr)
		}
	}
}

// TestHelpAtEveryLevel: --help, -h and help print the help on stdout and exit 0, at
// the top and for each command, without a key or a server.
func TestHelpAtEveryLevel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Commands:", "cert [--format text|json|prometheus] [--warn-within DURATION] [--idp-metadata URL|FILE [--entity-id ID]] [--pem] (--all | CERT_ID...)", "login [--open] ACCOUNT_ID",
			"--region", "--base-url", "--timeout", "(default 30s)", "SENDGRID_API_KEY", "SENDGRID_REGION", "Exit status:", "sendgrid-sso-fake"}},
		{[]string{"-h"}, []string{"Commands:"}},
		{[]string{"help"}, []string{"Commands:"}},
		{[]string{"--region", "eu", "--help"}, []string{"Commands:"}},
		{[]string{"cert", "--help"}, []string{"Usage: sendgrid-sso [global flags] cert [--format text|json|prometheus] [--warn-within DURATION] [--idp-metadata URL|FILE [--entity-id ID]] [--pem] (--all | CERT_ID...)", "--json", "--pem", "openssl"}},
		{[]string{"help", "cert"}, []string{"Usage: sendgrid-sso [global flags] cert", "--json"}},
		{[]string{"login", "--help"}, []string{"Usage: sendgrid-sso [global flags] login [--open] ACCOUNT_ID", "never requests it", "--open", "$BROWSER", "ps shows it", "exits 5"}},
	}
	for _, tc := range cases {
		// No key, no server: help needs neither.
		r := sso(t, nil, tc.args...)
		r.WantExit(t, ExitOK)
		for _, s := range tc.want {
			if !strings.Contains(r.Stdout, s) {
				t.Errorf("%v: help lacks %q:\n%s", tc.args, s, r.Stdout)
			}
		}
		if r.Stderr != "" {
			t.Errorf("%v: stderr is not empty:\n%s", tc.args, r.Stderr)
		}
	}
}
