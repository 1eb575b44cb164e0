package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// defaultFakeAddr is where fake listens unless --addr says otherwise.
const defaultFakeAddr = "127.0.0.1:8025"

var fakeCommand = &command{
	name:     "fake",
	synopsis: "[--addr ADDR]",
	summary:  "run a fake SendGrid SSO API on loopback",
	about: `Runs the fake SendGrid SSO API of package wrapper/ssotest on a loopback address and
prints its URL, its API key, and a certificate ID and an account ID it knows. Point
sendgrid-sso (or your own code) at it with --base-url. It runs until interrupted
(Ctrl-C), then says how many requests it answered.`,
	setup: func(fs *flag.FlagSet) runFunc {
		addr := fs.String("addr", defaultFakeAddr, "listen on this loopback `host:port` (port 0 picks a free one)")
		return func(ctx context.Context, g *globals, _ []string) error {
			// Catch the interrupt before announcing the URL, so that no one can stop the
			// fake by signal before it says how it stopped.
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			l, err := listenLoopback(*addr)
			if err != nil {
				return err
			}
			srv := ssotest.NewServer(ssotest.WithListener(l))
			defer srv.Close()
			fmt.Fprintf(g.stdout, `fake SendGrid SSO API (wrapper/ssotest); stop it with Ctrl-C
URL          %[1]s
API key      %[2]s
certificate  %[3]d
account      %[4]s

Try it:
  export %[5]s=%[2]s
  sendgrid-sso --base-url %[1]s cert %[3]d
  sendgrid-sso --base-url %[1]s login %[4]s
`, srv.URL, srv.APIKey, ssotest.DefaultCertificateID, ssotest.DefaultAccountID, wrapper.EnvAPIKey)
			<-ctx.Done()
			fmt.Fprintf(g.stderr, "fake stopped after %d API requests; login URLs opened: %d\n", srv.Requests(), srv.LoginsFollowed())
			return nil
		}
	},
}

// listenLoopback listens on addr, which must name a loopback host: the fake accepts
// a well-known key and must not be reachable from other machines.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("--addr %q: %w: give host:port, such as %s", addr, err, defaultFakeAddr)}
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, &usageError{err: fmt.Errorf("--addr %q is not a loopback address: the fake listens on 127.0.0.1, ::1 or localhost only", addr)}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("cannot listen on %s: %w: pick another --addr", addr, err)}
	}
	return l, nil
}
