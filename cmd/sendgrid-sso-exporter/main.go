// Command sendgrid-sso-exporter serves the SSO certificates of a SendGrid account as
// Prometheus metrics: the families of 'sendgrid-sso cert --all --format prometheus'
// (package internal/metrics), read in the background, plus its own health.
//
//	sendgrid-sso-exporter [--listen ADDR] [--interval 15m] [--timeout 5m]
//	                      [--base-url URL] [--region global|eu]
//	                      [--idp-metadata URL|FILE]... [--api-key-file FILE]
//	                      [--log-format text|json]
//	sendgrid-sso-exporter version     the version, Go version and source revision
//
// Every --interval (with ±10% jitter, so that many exporters do not call the API in
// step) it lists the account's integrations and their certificates, at most 4 calls
// at a time, and reads each --idp-metadata, all within --timeout (package
// internal/inventory, the read of cert --all); a 429 waits as the client's retry
// policy says. A scrape of /metrics is served from the last successful refresh and
// never calls the API. A failed refresh keeps the last good values: it adds one to
// sendgrid_sso_exporter_refresh_errors_total, and
// sendgrid_sso_exporter_last_refresh_success_timestamp_seconds stays where it was.
//
// Endpoints: /metrics (the Prometheus text format, or OpenMetrics when the scraper
// asks for it), /-/healthy (200 while the process runs), /-/ready (503 until the first
// refresh succeeded, then 200).
//
// The default --listen is 127.0.0.1:10134: loopback, since the metrics name the
// account's integrations. Prometheus' wiki page "Default port allocations" asks an
// exporter to take a port not yet allocated there; its exporter range, 9100 to 9999,
// has been full since 2023, so the port is one above it that the page's list of
// exporters outside the standard ranges does not hold (docs/exporter.md says more).
// Give --listen :10134 (or any address) to serve other hosts.
//
// The API key is read from --api-key-file (a Kubernetes secret or a systemd
// credential; one trailing newline is dropped; a file every user may read gets a
// warning), else from SENDGRID_API_KEY; it never appears in a log line. Logs are log/slog records on stderr, text or JSON. SIGTERM or
// SIGINT shuts the server down gracefully (at most 5 s for scrapes in flight) and the
// process exits 0. Exit status: 0 after a shutdown, 2 a usage or configuration error
// (a bad flag, no key, an unreadable key file, an address that cannot be listened on),
// 1 any other failure. docs/exporter.md is the reference.
//
// It is a module of its own (cmd/sendgrid-sso-exporter/go.mod) so that users of the
// library do not inherit prometheus/client_golang.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

const name = "sendgrid-sso-exporter"

// Defaults of the flags.
const (
	defaultListen   = "127.0.0.1:10134"
	defaultInterval = 15 * time.Minute
	defaultTimeout  = 5 * time.Minute
)

const synopsis = name + " [--listen ADDR] [--interval D] [--timeout D] [--base-url URL] [--region R] [--idp-metadata URL|FILE]... [--api-key-file FILE] [--log-format text|json] | " + name + " version"

var help = name + ` serves the SSO certificates of a SendGrid account as Prometheus
metrics: the families of 'sendgrid-sso cert --all --format prometheus', read from the
API every --interval (±10% jitter) in the background, so that a scrape never calls
the API. A failed refresh keeps the last good values and counts in
sendgrid_sso_exporter_refresh_errors_total.

Endpoints: /metrics, /-/healthy (200 while running), /-/ready (503 until the first
refresh succeeded). The API key comes from --api-key-file, else SENDGRID_API_KEY.
SIGTERM or SIGINT stops it gracefully. docs/exporter.md is the reference.

Usage:
` + cli.Table(
	cli.Row{Key: name + " [flags]", Text: "serve the metrics until SIGTERM or SIGINT"},
	cli.Row{Key: name + " version", Text: "the version, the Go version and the source revision (also --version)"},
) + `
Flags:
`

var helpExit = `
Exit status:
` + cli.Table(
	cli.Row{Key: "0", Text: "stopped by SIGTERM or SIGINT"},
	cli.Row{Key: "1", Text: "the server failed"},
	cli.Row{Key: "2", Text: "usage or configuration error: a bad flag, no API key, an unreadable, empty or over-4-KiB --api-key-file, an address that cannot be listened on"},
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// config is what the flags and the environment say.
type config struct {
	listen            string
	interval, timeout time.Duration
	baseURL, region   string
	metadata          []string
	keyFile           string
	logFormat         string
}

// metadataFlag is the repeatable --idp-metadata.
type metadataFlag []string

func (m *metadataFlag) String() string { return strings.Join(*m, ",") }

func (m *metadataFlag) Set(s string) error {
	if s == "" {
		return errors.New("give the IdP's metadata URL or a file")
	}
	*m = append(*m, s)
	return nil
}

// run is the whole program: it parses args, serves until ctx ends, and returns the
// exit status, having reported any error on stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	key := ""
	err := dispatch(ctx, args, getenv, stdout, stderr, &key)
	if err != nil {
		cli.Report(stderr, name, err, key)
	}
	return cli.ExitCode(err)
}

// dispatch parses the flags and serves, or prints help or the version. It stores the
// API key in *key once read, so that run can keep it out of the error report.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, key *string) error {
	fs := cli.NewFlagSet(name)
	c := config{}
	fs.StringVar(&c.listen, "listen", defaultListen, "serve on this `host:port` (loopback by default; :10134 serves every interface)")
	fs.DurationVar(&c.interval, "interval", defaultInterval, "read the API every `duration`, ±10% jitter")
	fs.DurationVar(&c.timeout, "timeout", defaultTimeout, "give up on one refresh (every API call and metadata fetch of it, retries included) after this `duration`")
	fs.StringVar(&c.baseURL, "base-url", "", "send requests to `URL` instead of the region's API: a proxy, or a fake such as '"+cli.FakeName+"'")
	fs.StringVar(&c.region, "region", "", "the SendGrid `region` of the API key: global or eu (default $"+wrapper.EnvRegion+", else global)")
	fs.Var((*metadataFlag)(&c.metadata), "idp-metadata", "the IdP's SAML metadata, `URL|FILE`, read at every refresh (repeatable): adds the match, rollover and IdP certificate series")
	fs.StringVar(&c.keyFile, "api-key-file", "", "read the API key from this `file` (one trailing newline dropped) instead of $"+wrapper.EnvAPIKey)
	fs.StringVar(&c.logFormat, "log-format", "text", "log records on stderr as `text` or json")
	version := fs.Bool("version", false, cli.VersionFlagUsage)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, fs)
			return nil
		}
		return usageError(cli.FlagError(fs, err))
	}
	if *version {
		return cli.WriteVersion(stdout, name)
	}
	switch rest := fs.Args(); {
	case len(rest) == 0:
	case rest[0] == "help":
		printHelp(stdout, fs)
		return nil
	case rest[0] == "version" && len(rest) == 1:
		return cli.WriteVersion(stdout, name)
	default:
		return usageError(fmt.Errorf("unexpected argument %q: %s takes flags only, or 'version'", rest[0], name))
	}
	if err := c.check(); err != nil {
		return usageError(err)
	}
	log, err := newLogger(c.logFormat, stderr)
	if err != nil {
		return usageError(err)
	}
	if *key, err = readKey(c.keyFile, getenv); err != nil {
		return err
	}
	warnKeyFile(log, c.keyFile)
	endpoint, err := cli.EndpointOptions(c.region, c.baseURL, getenv)
	if err != nil {
		return usageError(err)
	}
	client, err := wrapper.New(*key, append(endpoint, wrapper.WithUserAgent(name+"/"+wrapper.Version))...)
	if err != nil {
		return usageError(err)
	}
	e := newExporter(client, c.metadata, c.timeout, log)
	e.redact = []string{*key}
	return serve(ctx, c, e, log)
}

// check refuses flag values that cannot work, a --idp-metadata file that does not
// exist included (a URL is only fetched by the refreshes).
func (c *config) check() error {
	switch {
	case c.interval <= 0:
		return fmt.Errorf("--interval is %v: give a positive duration such as 15m", c.interval)
	case c.timeout <= 0:
		return fmt.Errorf("--timeout is %v: give a positive duration such as 5m", c.timeout)
	case c.listen == "":
		return errors.New("--listen is empty: give host:port, such as " + defaultListen)
	}
	for _, src := range c.metadata {
		if strings.Contains(src, "://") {
			continue // fetched at every refresh
		}
		if _, err := os.Stat(src); err != nil {
			return fmt.Errorf("--idp-metadata: %w: give the IdP's metadata URL (https://...) or a file", err)
		}
	}
	return nil
}

// maxKeyFile is the most --api-key-file may hold: a SendGrid API key is 69 bytes, so
// a larger file (a wrong path such as /dev/zero or a log) is refused, not read whole.
const maxKeyFile = 4 << 10

// readKey reads the API key: the file keyFile when given (one trailing newline
// dropped, as a Kubernetes secret or a systemd credential written by echo has one),
// else $SENDGRID_API_KEY. No key, an unreadable file, an empty one or one larger
// than maxKeyFile is a usage error; no error holds the key.
func readKey(keyFile string, getenv func(string) string) (string, error) {
	if keyFile == "" {
		key := getenv(wrapper.EnvAPIKey)
		if strings.TrimSpace(key) == "" {
			return "", usageError(fmt.Errorf("no API key: give --api-key-file FILE, or export the key in %s", wrapper.EnvAPIKey))
		}
		return key, nil
	}
	f, err := os.Open(keyFile)
	if err != nil {
		return "", usageError(fmt.Errorf("--api-key-file: %w: give a readable file holding the API key", err))
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	switch {
	case err != nil:
		return "", usageError(fmt.Errorf("--api-key-file: %w: give a readable file holding the API key", err))
	case len(b) > maxKeyFile:
		return "", usageError(fmt.Errorf("--api-key-file %s is larger than %d bytes: give a file holding the API key alone", keyFile, maxKeyFile))
	}
	key := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if strings.TrimSpace(key) == "" {
		return "", usageError(fmt.Errorf("--api-key-file %s is empty: write the API key into it", keyFile))
	}
	return key, nil
}

// warnKeyFile logs a warning when every user of the host may read keyFile (mode o+r),
// as a key written by echo under the usual umask 022 is. It only warns: a file its
// group reads is how a Kubernetes Secret reaches a non-root user (fsGroup, mode 0440).
func warnKeyFile(log *slog.Logger, keyFile string) {
	if keyFile == "" {
		return
	}
	if fi, err := os.Stat(keyFile); err == nil && fi.Mode().Perm()&0o004 != 0 {
		log.Warn("the API key file is readable by every user of this host: chmod 600 it (or 0440, its group the exporter's)",
			"file", keyFile, "mode", fi.Mode().Perm().String())
	}
}

// newLogger is the process's logger on w: slog's text or JSON handler.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

func usageError(err error) error {
	return &cli.UsageError{Err: err, Usage: synopsis, Help: name + " --help"}
}

func printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, help)
	cli.PrintFlags(w, fs)
	fmt.Fprint(w, helpExit)
}
