package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// runFunc runs a command with its positional arguments, its flags already parsed.
type runFunc func(ctx context.Context, g *globals, args []string) error

// command is one subcommand: its help texts, its positional arguments, and setup,
// which registers its flags on fs and returns the function that runs it.
type command struct {
	name     string
	synopsis string   // after the name: "[--json] [--pem] CERT_ID"
	summary  string   // one line for the command list
	about    string   // paragraphs for "COMMAND --help"
	args     []string // names of the required positional arguments
	variadic bool     // the last of args may repeat: "CERT_ID..."
	optional bool     // args may be absent (a flag stands for them); the command checks
	setup    func(fs *flag.FlagSet) runFunc
}

// commands lists every command, in help order.
var commands = []*command{certCommand, loginCommand, syncCommand, versionCommand}

// commandNamed finds a command by name; the error says what to use instead.
func commandNamed(name string) (*command, error) {
	for _, c := range commands {
		if c.name == name {
			return c, nil
		}
	}
	if instead, ok := movedCommands[name]; ok {
		return nil, errMoved(name, instead)
	}
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return nil, fmt.Errorf("unknown command %q: use one of %s", name, strings.Join(names, ", "))
}

// NewFlagSet returns a flag set that reports nothing itself: its caller prints help
// and errors.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// checkArgs checks the number of positional arguments left after the flags.
func (c *command) checkArgs(args []string) error {
	if len(args) < len(c.args) && !c.optional {
		return fmt.Errorf("missing %s", c.args[len(args)])
	}
	if c.variadic {
		for _, a := range args[min(len(args), len(c.args)-1):] {
			if strings.HasPrefix(a, "-") {
				return fmt.Errorf("flag %s comes after %s: put command flags before it", a, c.args[len(c.args)-1])
			}
		}
		return nil
	}
	if len(args) > len(c.args) {
		extra := args[len(c.args)]
		if strings.HasPrefix(extra, "-") && len(c.args) > 0 {
			return fmt.Errorf("flag %s comes after %s: put command flags before it", extra, c.args[len(c.args)-1])
		}
		return fmt.Errorf("unexpected argument %q", extra)
	}
	return nil
}

// cleanArgs applies the rule for IDs on the command line (every positional argument
// is one): white space around an ID, which a copy and paste brings along, is dropped;
// an ID that is not valid UTF-8 is refused, since no API ID is one and no Prometheus
// label can hold it.
func (c *command) cleanArgs(args []string) ([]string, error) {
	clean := make([]string, len(args))
	for i, a := range args {
		if !utf8.ValidString(a) {
			return nil, fmt.Errorf("%s %q is not valid UTF-8: give the ID as SendGrid shows it", c.args[min(i, len(c.args)-1)], a)
		}
		clean[i] = strings.TrimSpace(a)
	}
	return clean, nil
}

// unknownFlag is a flag that the flag set does not define.
type unknownFlag struct{ name string }

// Error names the flag as help does.
func (e *unknownFlag) Error() string { return "unknown flag --" + e.name }

// FlagError rewrites an error of fs.Parse (package flag's text) in the terms of the
// help: a flag is named with two dashes, as the help lists it, and the error says what
// to do. A message it does not know is returned as it is.
func FlagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return &unknownFlag{name}
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("--%s needs a value: --%s VALUE or --%s=VALUE", name, name, name)
	}
	if s, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Errorf("bad flag syntax %q: give a flag as --name or --name=value", s)
	}
	// "invalid value %q for flag -%s: %v", and "invalid boolean value %q for -%s: %v"
	rest, ok := strings.CutPrefix(msg, "invalid value ")
	if !ok {
		rest, ok = strings.CutPrefix(msg, "invalid boolean value ")
	}
	if !ok {
		return err
	}
	value, err2 := strconv.QuotedPrefix(rest)
	if err2 != nil {
		return err
	}
	rest = strings.TrimPrefix(strings.TrimPrefix(rest[len(value):], " for flag -"), " for -")
	name, detail, ok := strings.Cut(rest, ": ")
	f := fs.Lookup(name)
	if !ok || f == nil {
		return err
	}
	if g, isGetter := f.Value.(flag.Getter); isGetter && detail == "parse error" {
		switch g.Get().(type) {
		case time.Duration:
			detail = "not a duration: give one such as 30s, 2m or 1h"
		case bool:
			detail = "not a boolean: give true or false, as --" + name + "=false"
		}
	}
	return fmt.Errorf("invalid value %s for --%s: %s", value, name, detail)
}

// commandFlagError is FlagError for the flags of a command, whose flag set is fs;
// global is the global flag set: a global flag given after the command is told to move.
func commandFlagError(fs, global *flag.FlagSet, err error) error {
	err = FlagError(fs, err)
	var unknown *unknownFlag
	if errors.As(err, &unknown) && global.Lookup(unknown.name) != nil {
		return fmt.Errorf("--%s is a global flag: put it before the command", unknown.name)
	}
	return err
}
