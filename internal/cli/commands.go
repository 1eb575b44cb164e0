package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
	setup    func(fs *flag.FlagSet) runFunc
}

// commands lists every command, in help order.
var commands = []*command{certCommand, loginCommand, versionCommand}

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
	if len(args) < len(c.args) {
		return fmt.Errorf("missing %s", c.args[len(args)])
	}
	if c.variadic {
		for _, a := range args[len(c.args)-1:] {
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

// explainFlagError adds a hint when a global flag was given after the command.
func explainFlagError(err error) error {
	const undefined = "flag provided but not defined: -"
	msg := err.Error()
	if !strings.HasPrefix(msg, undefined) {
		return err
	}
	name := strings.TrimPrefix(msg, undefined)
	if (&globals{}).flagSet().Lookup(name) != nil {
		return fmt.Errorf("--%s is a global flag: put it before the command", name)
	}
	return errors.New("unknown flag --" + name)
}
