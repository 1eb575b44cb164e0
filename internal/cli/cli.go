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
	"log"
	"os"
)

// Name is the tool's name, at the start of every error it reports.
const Name = "sendgrid-sso"

// FakeName is the fake's binary, which runs the commands that moved out of this one.
const FakeName = "sendgrid-sso-fake"

// Env is what Run takes from the process it runs in: the environment and the
// standard streams. ProcessEnv is the process's own; a test gives one of its own, so
// that runs in one process share none of it and can run in parallel.
type Env struct {
	// Getenv reads a variable of the environment: SENDGRID_API_KEY, SENDGRID_REGION
	// and BROWSER (nil: none is set). login --open looks for the browser command on
	// the process's PATH, as package os/exec does.
	Getenv func(string) string
	// Stdin is the browser command's stdin (nil: the null device).
	Stdin io.Reader
	// Stdout takes the output, Stderr the error reports and notes; both must be set.
	Stdout, Stderr io.Writer
	// Log, when not nil, is routed through the client's redaction onto Stderr once
	// there is a client: net/http logs some faults of a server through the standard
	// logger itself, quoting the server's bytes. ProcessEnv sets the standard logger.
	Log *log.Logger
}

// ProcessEnv is the environment, the standard streams and the standard logger of
// the process, for main.
func ProcessEnv() Env {
	return Env{Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Log: log.Default()}
}

// Run is the whole sendgrid-sso program: it parses args (without the program name),
// runs the command in env and returns the exit status, having reported any error on
// env.Stderr.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	g := &globals{getenv: env.Getenv, stdin: env.Stdin, stdout: env.Stdout, stderr: env.Stderr, log: env.Log}
	err := dispatch(ctx, g, args)
	if err != nil {
		Report(g.stderr, Name, err, g.apiKey)
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
