// Package cli is the command-line tool sendgrid-sso (cert, login, help) and what the
// fake's binary, sendgrid-sso-fake, shares with it: usage errors, exit statuses, error
// reports, flag listings, and the certificate and login output that its demo prints
// the way cert and login do.
//
// It links the client (package wrapper) only: never the fake (wrapper/ssotest) nor
// kin-openapi, whose package initialisation would slow every run of the tool.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Name is the tool's name, at the start of every error it reports.
const Name = "sendgrid-sso"

// FakeName is the fake's binary, which runs the commands that moved out of this one.
const FakeName = "sendgrid-sso-fake"

// Run is the whole sendgrid-sso program: it parses args (without the program name),
// runs the command and returns the exit status, having reported any error on stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr}
	err := dispatch(ctx, g, args)
	if err != nil {
		Report(stderr, Name, err, g.apiKey)
	}
	return ExitCode(err)
}

// dispatch parses the global flags, picks the command, parses its flags and runs it.
// --help at any level prints help on stdout and returns nil.
func dispatch(ctx context.Context, g *globals, args []string) error {
	gfs := g.flagSet()
	if err := gfs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(g.stdout, gfs)
			return nil
		}
		return usage(nil, FlagError(gfs, err))
	}
	if g.version {
		return WriteVersion(g.stdout, Name)
	}
	if err := g.check(); err != nil {
		return err
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		return usage(nil, errors.New("no command given"))
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		return runHelp(g.stdout, gfs, rest)
	}
	cmd, err := commandNamed(name)
	if err != nil {
		return usage(nil, err)
	}
	fs := NewFlagSet(cmd.name)
	runCmd := cmd.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(g.stdout, cmd, fs, gfs)
			return nil
		}
		return usage(cmd, commandFlagError(fs, gfs, err))
	}
	if err := cmd.checkArgs(fs.Args()); err != nil {
		return usage(cmd, err)
	}
	ids, err := cmd.cleanArgs(fs.Args())
	if err != nil {
		return usage(cmd, err)
	}
	err = runCmd(ctx, g, ids)
	var u *UsageError
	if errors.As(err, &u) && u.Usage == "" {
		u.Usage, u.Help = usageLine(cmd), Name+" "+cmd.name+" --help"
	}
	return err
}

// movedCommands are the commands that moved to the fake's binary, with what to run
// instead.
var movedCommands = map[string]string{
	"fake": FakeName,
	"demo": FakeName + " demo",
}

// errMoved says where a command that left this binary went.
func errMoved(name, instead string) error {
	return fmt.Errorf("%q moved out of %s into its own binary: run %s (go install github.com/sendgrid-sso/sendgrid-sso/cmd/%s@latest)",
		name, Name, instead, FakeName)
}
