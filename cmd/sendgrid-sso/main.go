// Command sendgrid-sso calls SendGrid's single sign-on endpoints from the shell.
//
//	sendgrid-sso [global flags] COMMAND [command flags] [ARG]
//
//	cert [--json] [--pem] CERT_ID   show an SSO certificate and when it expires
//	login ACCOUNT_ID                 print a one-time login URL into a customer account
//	fake [--addr ADDR]               run a fake SendGrid SSO API on loopback
//	demo                             both operations against an in-process fake
//
// The API key comes from SENDGRID_API_KEY only. Exit status: 0 success, 1 the API
// answered with an error or an unusable response, 2 usage or configuration error,
// 3 network failure or timeout. Run "sendgrid-sso --help" for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it parses args, runs the command and returns the exit
// status, having reported any error on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr}
	err := dispatch(ctx, g, args)
	if err != nil {
		report(stderr, err, g.apiKey)
	}
	return exitCode(err)
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
		return &usageError{err: err}
	}
	if err := g.check(); err != nil {
		return err
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		return &usageError{err: errors.New("no command given")}
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		return runHelp(g.stdout, gfs, rest)
	}
	cmd, ok := commandNamed(name)
	if !ok {
		return &usageError{err: errUnknownCommand(name)}
	}
	fs := newFlagSet(cmd.name)
	runCmd := cmd.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(g.stdout, cmd, fs)
			return nil
		}
		return &usageError{cmd: cmd, err: explainFlagError(err)}
	}
	if err := cmd.checkArgs(fs.Args()); err != nil {
		return &usageError{cmd: cmd, err: err}
	}
	if err := g.checkFor(cmd); err != nil {
		return err
	}
	err := runCmd(ctx, g, fs.Args())
	var usage *usageError
	if errors.As(err, &usage) && usage.cmd == nil {
		usage.cmd = cmd
	}
	return err
}
