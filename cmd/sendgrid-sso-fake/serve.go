package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// defaultAddr is where the fake listens unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8025"

// installCLI is how to get sendgrid-sso when it is not on PATH.
const installCLI = "go install github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso@latest"

// serveConfig is what serving takes from the flags and the environment.
type serveConfig struct {
	addr      string
	key       apiKeyFlag
	seedFile  string
	tls       tlsFlags
	limit     rateLimitFlag
	expiresIn *time.Duration    // --cert-expires-in; nil when not given
	env       map[string]string // the variables that gave flags, by flag name (applyEnv)
}

// announcement is what the fake says it holds, for its ready lines.
type announcement struct {
	url, key, account, caFile, tls, seed string
	cert                                 int64
}

// serve runs the fake as c says until ctx ends or the process is interrupted,
// announcing it on stdout and how it stopped on stderr. A second interrupt while the
// fake closes quits at once (errQuit).
func (c *serveConfig) serve(ctx context.Context, stdout, stderr io.Writer) error {
	if err := c.tls.check(); err != nil {
		return fromEnv(usageError(err), c.env, "tls", "tls-host", "ca-out", "tls-cert", "tls-key")
	}
	opts, say, err := c.options()
	if err != nil {
		return err
	}
	// Catch interrupts before announcing the URL, so that no one can stop the fake by
	// signal before it says how it stopped.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	l, host, err := listen(c.addr)
	if err != nil {
		return fromEnv(err, c.env, "addr")
	}
	if c.tls.enabled() {
		opt, err := c.startTLS(host, &say, stderr)
		if err != nil {
			l.Close()
			return fromEnv(err, c.env, "tls-cert", "tls-key", "ca-out")
		}
		opts = append(opts, opt)
	}
	if !isLoopback(host) {
		warnOffLoopback(stderr, l.Addr().String(), c.tls.enabled(), c.key.String() == defaultAPIKey)
	}
	srv := ssotest.NewServer(append(opts, ssotest.WithListener(l))...)
	say.url, say.key = reachableURL(srv.URL, host), srv.APIKey
	say.write(stdout)
	select {
	case <-ctx.Done():
	case <-sigs:
	}
	err = closeUnlessInterrupted(srv.Close, sigs)
	report(stderr, srv)
	return err
}

// options is the fake's options for the key, the rate limit, the seed and the
// certificate's expiry, and the announcement of the certificate and account to try.
func (c *serveConfig) options() ([]ssotest.Option, announcement, error) {
	opts := append(c.key.options(), c.limit.options()...)
	say := announcement{cert: ssotest.DefaultCertificateID, account: ssotest.DefaultAccountID}
	if c.seedFile != "" {
		sd, err := loadSeed(c.seedFile, time.Now())
		if err != nil {
			return nil, say, fromEnv(usageError(err), c.env, "seed")
		}
		if c.expiresIn != nil && len(sd.certs) > 0 {
			return nil, say, usageError(errors.New("--cert-expires-in sets the default certificate's not_after, and the --seed file replaces that certificate: leave it out, and seed certificates that expire when you want"))
		}
		opts = append(opts, sd.options()...)
		if len(sd.certs) > 0 {
			say.cert = sd.certs[0].ID
		}
		if len(sd.accounts) > 0 {
			say.account = sd.accounts[0]
		}
		say.seed = c.seedFile + ": " + sd.summary()
	}
	if c.expiresIn != nil {
		opts = append(opts, ssotest.WithCertificate(ssotest.DefaultCertificate().ExpiringIn(*c.expiresIn)))
	}
	return opts, say, nil
}

// startTLS sets up the fake's TLS for a fake listening on host (tlsFlags.setUp), says
// how in the announcement say, and warns on stderr of a certificate of one's own that
// clients will refuse.
func (c *serveConfig) startTLS(host string, say *announcement, stderr io.Writer) (ssotest.Option, error) {
	hostname, _ := os.Hostname()
	st, err := c.tls.setUp(time.Now(), hostname, host)
	if err != nil {
		return nil, err
	}
	if st.warning != "" {
		fmt.Fprintln(stderr, name+": warning: "+st.warning)
	}
	names := ", for " + strings.Join(st.names, ", ")
	switch {
	case st.ca == nil:
		say.tls = "the certificate of --tls-cert " + c.tls.certFile
	case c.tls.caOut != "":
		say.caFile = c.tls.caOut
		say.tls = "a CA generated at start, in " + c.tls.caOut + ", valid until " + st.ca.NotAfter.UTC().Format(time.RFC3339) + names
	default:
		say.tls = "a CA generated at start, not written: give --ca-out FILE to trust it" + names
	}
	return ssotest.WithTLS(st.config), nil
}

// write prints the announcement: a first line a script can wait for, the URL, key,
// a certificate and an account to try, the TLS CA and the seed when there are, and
// sendgrid-sso commands that use them.
func (a announcement) write(w io.Writer) {
	fmt.Fprintf(w, "fake SendGrid SSO API (wrapper/ssotest); stop it with Ctrl-C\nURL          %s\nAPI key      %s\ncertificate  %d\naccount      %s\n",
		a.url, a.key, a.cert, a.account)
	if a.tls != "" {
		fmt.Fprintf(w, "TLS          %s\n", a.tls)
	}
	if a.seed != "" {
		fmt.Fprintf(w, "seed         %s\n", a.seed)
	}
	fmt.Fprintf(w, "\nTry it:\n%s", a.tryIt())
}

// reachableURL is the fake's URL s with a host a client on this machine can dial: a
// fake listening on every address is reached on loopback, 127.0.0.1 unless --addr's
// host is an IPv6 literal (::), then ::1.
func reachableURL(s, addrHost string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		loop := "127.0.0.1"
		if v6 := net.ParseIP(addrHost); v6 != nil && v6.To4() == nil {
			loop = "::1"
		}
		u.Host = net.JoinHostPort(loop, u.Port())
	}
	return u.String()
}

// warnOffLoopback tells on w that the fake listens at addr, which is not loopback
// only, and what that means.
func warnOffLoopback(w io.Writer, addr string, tls, defaultKey bool) {
	msg := name + ": warning: listening on " + addr + ", not on loopback only: other machines can reach the fake"
	if defaultKey {
		msg += ", which accepts the published default key: give --key random or a key of your own"
	}
	if !tls {
		msg += "; sendgrid-sso and package wrapper refuse plain http off loopback: give --tls (and --tls-host NAME for the name clients use)"
	}
	fmt.Fprintln(w, msg)
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

// tryIt is shell commands that run sendgrid-sso against the fake, quoted so that
// they work pasted as they are (an IPv6 URL's brackets are a glob pattern to the
// shell). When sendgrid-sso is not on PATH, the first line installs it; when the
// fake wrote its CA, a line makes sendgrid-sso trust it.
func (a announcement) tryIt() string {
	var b strings.Builder
	if _, err := exec.LookPath("sendgrid-sso"); err != nil {
		fmt.Fprintf(&b, "  %s   # sendgrid-sso is not on your PATH\n", installCLI)
	}
	if a.caFile != "" {
		fmt.Fprintf(&b, "  export SSL_CERT_FILE=%s\n", shellQuote(a.caFile))
	}
	base := "sendgrid-sso --base-url " + shellQuote(a.url)
	fmt.Fprintf(&b, "  export %s=%s\n", wrapper.EnvAPIKey, shellQuote(a.key))
	fmt.Fprintf(&b, "  %s cert %d\n", base, a.cert)
	fmt.Fprintf(&b, "  %s login %s\n", base, shellQuote(a.account))
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

// listen listens on addr and returns its host. Any host goes (serve warns off
// loopback); an address without a host listens on every address.
func listen(addr string) (net.Listener, string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", usageError(fmt.Errorf("--addr %q: %w: give host:port, such as %s", addr, err, defaultAddr))
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", usageError(fmt.Errorf("cannot listen on %s: %w: pick another --addr", addr, err))
	}
	return l, host, nil
}

// isLoopback reports whether host is a loopback address or localhost: a fake there
// is out of other machines' reach.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}
