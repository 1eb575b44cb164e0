// Command sendgrid-sso-fake runs the fake SendGrid SSO API of package wrapper/ssotest,
// for trying sendgrid-sso and for tests of your own code in any language, or a demo
// of both operations against an in-process fake.
//
//	sendgrid-sso-fake [--addr ADDR] [--key KEY|random] [--seed FILE]
//	                  [--tls [--tls-host NAME]... [--ca-out FILE] | --tls-cert FILE --tls-key FILE]
//	                                  serve the fake API until interrupted
//	sendgrid-sso-fake demo            cert and login against an in-process fake
//	sendgrid-sso-fake version         the version, Go version and source revision
//
// It listens on 127.0.0.1:8025 unless --addr says otherwise (off loopback it warns:
// plain http there is refused by package wrapper, so give --tls). --seed serves a JSON
// file's integrations, certificates and accounts (seed.go); --tls serves HTTPS under
// an ECDSA P-256 CA generated at start, whose certificate --ca-out writes and whose
// key stays in memory (tls.go). Every serving flag can come from a
// SENDGRID_SSO_FAKE_* variable, a flag winning (env.go). It prints a first line a
// script can wait for, "fake SendGrid SSO API (wrapper/ssotest); stop it with
// Ctrl-C", then its URL, key, a certificate and an account to try.
//
// It is a binary of its own (as stripe-mock is beside Stripe's CLI) so that
// sendgrid-sso does not link the fake and its OpenAPI validator. Exit status: 0
// success, 1 the demo got an error or an unusable response, 2 usage error (a bad
// --addr or --seed file, say), 3 network failure, 5 the demo's output could not be written. Run
// "sendgrid-sso-fake --help" for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

const name = cli.FakeName

// caDays is caValidity in days, for the help.
var caDays = strconv.Itoa(int(caValidity / (24 * time.Hour)))

// serveUsage is the synopsis of serving.
const serveUsage = name + " [--addr ADDR] [--key KEY|random] [--seed FILE] [--tls] [flags]"

const synopsis = serveUsage + " | " + name + " demo | " + name + " version"

var help = name + ` runs the fake SendGrid SSO API of package wrapper/ssotest, for
trying sendgrid-sso and for tests of your own code in any language.

Usage:
` + cli.Table(
	cli.Row{Key: serveUsage, Text: "serve the fake API until interrupted (Ctrl-C, SIGTERM)"},
	cli.Row{Key: name + " demo", Text: "cert and login against an in-process fake: no key, no network"},
	cli.Row{Key: name + " version", Text: "the version, the Go version and the source revision (also --version)"},
) + `
Serving, it prints a first line a script can wait for, "fake SendGrid SSO API
(wrapper/ssotest); stop it with Ctrl-C", then its URL, its API key, a certificate
ID and an account ID it knows, its TLS CA and what --seed gave when there are, and
sendgrid-sso commands that use them.

It listens on 127.0.0.1:8025 unless --addr gives another address. An address off
loopback (0.0.0.0:8025 in a container, say) works but warns: other machines can
reach the fake, and sendgrid-sso and package wrapper refuse plain http off loopback,
so give --tls. It accepts a published API key (` + defaultAPIKey + `) unless --key
gives another (--api-key is its old spelling); --key random makes a fresh one, so
that a request meant for another fake cannot authenticate at this one. A request
without the key is answered 401 before anything else.

--tls serves HTTPS with a server certificate for localhost, 127.0.0.1, ::1, the
host's name and each --tls-host, signed by an ECDSA P-256 CA generated at start,
valid ` + caDays + ` days and constrained to those names; --ca-out writes the CA certificate
(never its key, which stays in memory) before the first line is printed, for
curl --cacert, SSL_CERT_FILE or NODE_EXTRA_CA_CERTS. --tls-cert and --tls-key serve
a certificate of your own instead. The URL and the login URLs are then https.

--seed FILE serves your own integrations, certificates and accounts in place of
the defaults, in the API's field names; each certificate's not_before and not_after
are read from its PEM; a part the file leaves out keeps its default:
  {"integrations": [{"id": "int-seed", "name": "Okta", "enabled": true,
    "entity_id": "https://idp.example.com/metadata",
    "certificates": [{"id": 1001, "public_certificate": "-----BEGIN CERTIFICATE-----\n..."}]}],
    "accounts": ["acct-seed"]}
An integration takes id (required), name, entity_id, enabled, completed_integration,
signin_url, signout_url, single_signon_url, audience_url and last_updated (unix
seconds); a certificate id (1 to 2^53-1) and public_certificate. A mistake is named by its place,
such as integrations[0].certificates[1].public_certificate.

Each flag but --api-key and --version can come from an environment variable (see
Environment below); a flag on the command line wins.

On Ctrl-C it closes every connection, says how many requests it answered with
and without its key, how many of its one-time login codes were redeemed and which
requests broke the spec (the first 100), and exits; a second Ctrl-C quits at once.
It serves every operation of the spec: besides the certificate and the login, its
SSO integrations (GET /v3/sso/integrations), their certificates
(GET /v3/sso/integrations/{id}/certificates) and the creation of certificates
(POST /v3/sso/certificates), which it keeps and serves by ID afterwards, at most
` + strconv.Itoa(ssotest.MaxCreatedCertificates) + ` in its life. GET ` + ssotest.SpecPath + ` serves the OpenAPI document it checks
against, to anyone, without the key.
Requests may carry "Prefer: code=N" to get any status the spec declares for the
operation (as with the Prism mock server).
--cert-expires-in 10d serves its certificate with not_after 10 days from now, to try
'sendgrid-sso cert --warn-within' and alerts on it.

demo starts the fake inside this process and runs both operations through the real
client: the certificate as 'sendgrid-sso cert' shows it, then a login URL as
'sendgrid-sso login' prints it. 'make demo' runs it.

Flags:
`

var helpExit = `
Exit status:
` + cli.Table(
	cli.Row{Key: "0", Text: "success"},
	cli.Row{Key: "1", Text: "the demo got an error status or an unusable response from the fake"},
	cli.Row{Key: "2", Text: "usage error: an unknown argument, an --addr that is taken, a bad --seed file or TLS flag, a bad SENDGRID_SSO_FAKE_* variable"},
	cli.Row{Key: "3", Text: "network failure"},
	cli.Row{Key: "5", Text: "the demo's output could not be written"},
	cli.Row{Key: "130", Text: "interrupted twice: quit without waiting for open connections to close"},
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it parses args, serves or runs the demo, and returns the
// exit status, having reported any error on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	if err != nil {
		cli.Report(stderr, name, err, "")
	}
	if errors.Is(err, errQuit) {
		return exitQuit
	}
	return cli.ExitCode(err)
}

// dispatch parses the flags and runs what the arguments ask for; --help or "help"
// prints help on stdout and returns nil.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet(name)
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", defaultAddr, "listen on this `host:port` (port 0 picks a free one); an address off loopback works, with a warning: give --tls")
	fs.Var(&cfg.key, "key", "the `KEY` the fake accepts, or random for a fresh one; it prints it, so it is no secret")
	fs.Var(&cfg.key, "api-key", "the `KEY` the fake accepts: the old spelling of --key")
	fs.StringVar(&cfg.seedFile, "seed", "", "serve the integrations, certificates and accounts of this JSON `file` in place of the defaults")
	fs.Var(boolFlag{&cfg.tls.on}, "tls", "serve HTTPS, with a certificate signed by a CA generated at start (ECDSA P-256, valid "+caDays+" days, its key in memory only)")
	fs.Var(hostsFlag{&cfg.tls.hosts}, "tls-host", "a further `name` or IP address for --tls's certificate, besides localhost, 127.0.0.1, ::1 and the host's name (repeatable)")
	fs.StringVar(&cfg.tls.caOut, "ca-out", "", "write --tls's CA certificate (PEM) to `file` before announcing the URL, for curl --cacert, SSL_CERT_FILE or NODE_EXTRA_CA_CERTS")
	fs.StringVar(&cfg.tls.certFile, "tls-cert", "", "serve HTTPS with this PEM certificate `file` of your own instead of a generated CA (with --tls-key)")
	fs.StringVar(&cfg.tls.keyFile, "tls-key", "", "the PEM private key `file` of --tls-cert")
	fs.Var(&cfg.limit, "rate-limit", "the key's budget, `N/DURATION` calls (such as 600/1m); beyond it, 429 until the window ends")
	fs.Func("cert-expires-in", "serve the certificate with not_after this `duration` from now (10d, 36h; negative: expired)", func(s string) error {
		neg := strings.HasPrefix(s, "-")
		d, err := cli.ParseDays(strings.TrimPrefix(s, "-"))
		if neg {
			d = -d
		}
		cfg.expiresIn = &d
		return err
	})
	version := fs.Bool("version", false, cli.VersionFlagUsage)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, fs)
			return nil
		}
		return usageError(cli.FlagError(fs, err))
	}
	rest := fs.Args()
	if *version {
		return cli.WriteVersion(stdout, name)
	}
	if len(rest) == 0 {
		used, err := applyEnv(fs, os.Getenv)
		if err != nil {
			return usageError(err)
		}
		cfg.env = used
		return cfg.serve(ctx, stdout, stderr)
	}
	switch rest[0] {
	case "help", "--help", "-h":
		printHelp(stdout, fs)
		return nil
	case "version":
		if len(rest) > 1 {
			return usageError(fmt.Errorf("version takes no argument, got %q", rest[1]))
		}
		return cli.WriteVersion(stdout, name)
	case "demo":
		if len(rest) > 1 {
			if rest[1] == "--help" || rest[1] == "-h" {
				printHelp(stdout, fs)
				return nil
			}
			return usageError(fmt.Errorf("demo takes no argument, got %q", rest[1]))
		}
		var set string
		fs.Visit(func(f *flag.Flag) { set = f.Name })
		if set != "" {
			return usageError(fmt.Errorf("--%s does not apply to demo: it runs its fake inside the process, as it comes", set))
		}
		return runDemo(ctx, stdout)
	}
	return usageError(fmt.Errorf("unexpected argument %q: the commands are demo and version", rest[0]))
}

// usageError is err as a usage error of this program.
func usageError(err error) error {
	return &cli.UsageError{Err: err, Usage: synopsis, Help: name + " --help"}
}

func printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, help)
	cli.PrintFlags(w, fs)
	fmt.Fprint(w, "\nEnvironment (empty is unset; a flag on the command line wins):\n"+envHelp(fs))
	fmt.Fprint(w, helpExit)
}
