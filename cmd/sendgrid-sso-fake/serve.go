package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// defaultAddr is where the fake listens unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8025"

// installCLI is how to get sendgrid-sso when it is not on PATH.
const installCLI = "go install github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso@latest"

// serve runs the fake on addr, with opts, until ctx ends or the process is
// interrupted, announcing it on stdout and how it stopped on stderr. A second
// interrupt while the fake closes quits at once (errQuit).
func serve(ctx context.Context, addr string, opts []ssotest.Option, stdout, stderr io.Writer) error {
	// Catch interrupts before announcing the URL, so that no one can stop the fake by
	// signal before it says how it stopped.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	l, err := listenLoopback(addr)
	if err != nil {
		return err
	}
	srv := ssotest.NewServer(append(opts, ssotest.WithListener(l))...)
	fmt.Fprintf(stdout, `fake SendGrid SSO API (wrapper/ssotest); stop it with Ctrl-C
URL          %s
API key      %s
certificate  %d
account      %s

Try it:
%s`, srv.URL, srv.APIKey, ssotest.DefaultCertificateID, ssotest.DefaultAccountID, tryIt(srv))
	select {
	case <-ctx.Done():
	case <-sigs:
	}
	err = closeUnlessInterrupted(srv.Close, sigs)
	report(stderr, srv)
	return err
}

// report says on w how the fake stopped: how many API requests it had with its key and
// without, how many of its login codes were redeemed, and which requests and answers
// broke the spec (those the fake kept: the first 100 of each), each on a line of its
// own, escaped (a request's path and headers are anyone's).
func report(w io.Writer, srv *ssotest.Server) {
	reqs, resps := srv.InvalidRequests(), srv.InvalidResponses()
	badReqs, badResps := srv.InvalidCounts()
	fmt.Fprintf(w, "fake stopped after %d API requests with its key and %d without; login URLs opened: %d; requests that broke the spec: %d; answers that broke the spec: %d\n",
		srv.Requests(), srv.RequestsWithoutKey(), srv.LoginsFollowed(), badReqs, badResps)
	list := func(kind string, kept []ssotest.Violation, total int) {
		for _, v := range kept {
			fmt.Fprintf(w, "  %s: %s\n", kind, safetext.Line(v.String(), 400))
		}
		if more := total - len(kept); more > 0 {
			fmt.Fprintf(w, "  (%d more %ss not kept)\n", more, kind)
		}
	}
	list("request", reqs, badReqs)
	list("answer", resps, badResps)
}

// errQuit is a second interrupt while the fake was closing: the process ends at once
// (exit status 130, as a shell gives a command killed by Ctrl-C).
var errQuit = errors.New("interrupted again while closing: quit without waiting for open connections")

// exitQuit is the exit status after errQuit.
const exitQuit = 130

// closeUnlessInterrupted runs closeFn and waits for it, unless an interrupt arrives on
// sigs first: then it returns errQuit and leaves closeFn running.
func closeUnlessInterrupted(closeFn func(), sigs <-chan os.Signal) error {
	closed := make(chan struct{})
	go func() {
		closeFn()
		close(closed)
	}()
	select {
	case <-closed:
		return nil
	case <-sigs:
		return errQuit
	}
}

// tryIt is shell commands that run sendgrid-sso against srv, quoted so that they
// work pasted as they are (an IPv6 URL's brackets are a glob pattern to the shell).
// When sendgrid-sso is not on PATH, the first line installs it.
func tryIt(srv *ssotest.Server) string {
	var b strings.Builder
	if _, err := exec.LookPath("sendgrid-sso"); err != nil {
		fmt.Fprintf(&b, "  %s   # sendgrid-sso is not on your PATH\n", installCLI)
	}
	base := "sendgrid-sso --base-url " + shellQuote(srv.URL)
	fmt.Fprintf(&b, "  export %s=%s\n", wrapper.EnvAPIKey, shellQuote(srv.APIKey))
	fmt.Fprintf(&b, "  %s cert %d\n", base, ssotest.DefaultCertificateID)
	fmt.Fprintf(&b, "  %s login %s\n", base, shellQuote(ssotest.DefaultAccountID))
	return b.String()
}

// shellQuote returns s as one POSIX shell word: as it is when it holds only
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.,:/@%+=", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// listenLoopback listens on addr, which must name a loopback host: the fake accepts
// a well-known key and must not be reachable from other machines.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usageError(fmt.Errorf("--addr %q: %w: give host:port, such as %s", addr, err, defaultAddr))
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, usageError(fmt.Errorf("--addr %q is not a loopback address: the fake listens on 127.0.0.1, ::1 or localhost only", addr))
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageError(fmt.Errorf("cannot listen on %s: %w: pick another --addr", addr, err))
	}
	return l, nil
}
