package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// defaultTimeout bounds one command's API call, retries included.
const defaultTimeout = 30 * time.Second

// UserAgent names the tool in front of the library's own User-Agent token.
const UserAgent = "sendgrid-sso-cli/" + wrapper.Version

// globals holds the global flags and what the run takes from its process (Env).
type globals struct {
	region  string
	baseURL string
	timeout time.Duration
	verbose bool
	version bool

	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *log.Logger // routed through the client's redaction; nil: none
	// apiKey is the API key, read from SENDGRID_API_KEY when a command first needs
	// it. Report removes it from any error.
	apiKey string
	// api is the client callAPI built, whose redaction the command's other output
	// from untrusted sources (a browser opener's messages) passes too; nil before.
	api *wrapper.Client
}

// flagSet returns the global flags, bound to g.
func (g *globals) flagSet() *flag.FlagSet {
	fs := NewFlagSet(Name)
	fs.StringVar(&g.region, "region", "", "the SendGrid `region` of the API key: global or eu (default $"+wrapper.EnvRegion+", else global)")
	fs.StringVar(&g.baseURL, "base-url", "", "send requests to `URL` instead of the region's API: a proxy, or a fake such as '"+FakeName+"'")
	fs.DurationVar(&g.timeout, "timeout", defaultTimeout, "give up on an API call, retries included, or on fetching --idp-metadata, after this `duration`")
	fs.BoolVar(&g.verbose, "verbose", false, "write a line per API attempt, retry and failure to stderr (never the key or a login code)")
	fs.BoolVar(&g.version, "version", false, VersionFlagUsage)
	return fs
}

// check refuses global flag values that are wrong whatever the command.
func (g *globals) check() error {
	if g.timeout <= 0 {
		return usage(nil, fmt.Errorf("--timeout is %v: give a positive duration such as 10s", g.timeout))
	}
	return nil
}

// resolveRegion returns region (--region), else $SENDGRID_REGION (getenv), else
// global.
func resolveRegion(region string, getenv func(string) string) (wrapper.Region, error) {
	if region != "" {
		r, err := wrapper.ParseRegion(region)
		if err != nil {
			return "", fmt.Errorf("--region: %w", err)
		}
		return r, nil
	}
	r, err := wrapper.ParseRegion(getenv(wrapper.EnvRegion))
	if err != nil {
		return "", fmt.Errorf("%s: %w", wrapper.EnvRegion, err)
	}
	return r, nil
}

// EndpointOptions are the client options of the flags --region and --base-url, as
// sendgrid-sso's global flags and sendgrid-sso-exporter's take them: --base-url when
// given, and the region of --region, else $SENDGRID_REGION (read with getenv), else
// global. $SENDGRID_REGION does not matter when --base-url replaces the region;
// --region is checked whenever it is given. A bad base URL makes wrapper.New fail.
func EndpointOptions(region, baseURL string, getenv func(string) string) ([]wrapper.Option, error) {
	var opts []wrapper.Option
	if baseURL != "" {
		opts = append(opts, wrapper.WithBaseURL(baseURL))
	}
	if baseURL == "" || region != "" {
		r, err := resolveRegion(region, getenv)
		if err != nil {
			return nil, err
		}
		opts = append(opts, wrapper.WithRegion(r))
	}
	return opts, nil
}

// client builds the API client from the key (SENDGRID_API_KEY) and the global flags. Every error wraps wrapper.ErrInvalidConfig.
func (g *globals) client() (*wrapper.Client, error) {
	g.apiKey = g.getenv(wrapper.EnvAPIKey)
	if strings.TrimSpace(g.apiKey) == "" {
		return nil, fmt.Errorf("%w: %s is not set: export your SendGrid API key in it (the key is never taken as a flag, where shell history and ps would show it)",
			wrapper.ErrInvalidConfig, wrapper.EnvAPIKey)
	}
	opts := []wrapper.Option{wrapper.WithUserAgent(UserAgent)}
	if g.verbose {
		opts = append(opts, wrapper.WithLogger(verboseLogger(g.stderr)))
	}
	endpoint, err := EndpointOptions(g.region, g.baseURL, g.getenv)
	if err != nil {
		return nil, err
	}
	return wrapper.New(g.apiKey, append(opts, endpoint...)...)
}

// verboseLogger writes the client's records to w as text, one line each, without
// the timestamp (the terminal's scrollback has no use for it).
func verboseLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// apiClient builds the client (see client), keeps it in g.api, and routes the
// environment's logger (the standard logger, for the process) through its
// redaction: net/http logs some faults of a server through it itself, quoting the
// server's bytes ("Unsolicited response received on idle HTTP channel starting with
// …").
func (g *globals) apiClient() (*wrapper.Client, error) {
	client, err := g.client()
	if err != nil {
		return nil, err
	}
	g.api = client
	if g.log != nil {
		g.log.SetOutput(client.LogWriter(g.stderr))
	}
	return client, nil
}

// callAPI builds the client and runs call on it within --timeout.
func callAPI[T any](ctx context.Context, g *globals, call func(context.Context, *wrapper.Client) (T, error)) (T, error) {
	client, err := g.apiClient()
	if err != nil {
		var zero T
		return zero, err
	}
	return withTimeout(ctx, g, func(ctx context.Context) (T, error) { return call(ctx, client) })
}

// withTimeout runs call within --timeout. A timeout error says which flag to raise.
func withTimeout[T any](ctx context.Context, g *globals, call func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	v, err := call(ctx)
	// Only this context's own deadline is --timeout's doing; a timeout inside one
	// attempt (the client's 60s per-attempt bound) is not. The clock decides, not
	// ctx.Err(): a login's attempt has a timer of its own set to this deadline, which
	// can fire, and end the call, before ctx's does.
	if err != nil && !time.Now().Before(deadline) {
		var zero T
		return zero, fmt.Errorf("%w (timed out after --timeout %v)", err, g.timeout)
	}
	return v, err
}
