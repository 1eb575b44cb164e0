package bench

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
	"github.com/sendgrid/sendgrid-go"
)

// Sub-benchmarks are named impl=baseline, impl=client and impl=sendgrid-go, so that
// `benchstat -col /impl` sets them side by side; `make bench` runs them interleaved
// and prints the client's ratios (cmd/ratios).
//
// Besides time, bytes and allocations per call, the call benchmarks report
// cpu-ns/op: the CPU time the process (client, server and garbage collector) spent
// per call. On a machine shared with other work it varies less than the wall time,
// which also counts the time spent waiting for a CPU.

// impl is one implementation of the calls; a nil call is one it does not offer.
type impl struct {
	name string
	get  func(context.Context, string) (*wrapper.Certificate, error)
	auth func(context.Context, string) (*wrapper.SSOLogin, error)
}

// impls returns every implementation pointed at srv: the hand-written baseline, the
// client as New builds it by default, and sendgrid-go.
func impls(tb testing.TB, srv *server) []impl {
	tb.Helper()
	c, err := wrapper.New(key, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		tb.Fatal(err)
	}
	bl := newBaseline(srv.URL, wrapper.DefaultTransport())
	return []impl{
		{name: "impl=baseline", get: bl.getCertificate, auth: bl.authenticateAccount},
		{name: "impl=client", get: c.GetSSOCertificate, auth: c.AuthenticateAccount},
		{name: "impl=sendgrid-go", get: newSDK(srv.URL, sendgrid.DefaultClient).getCertificate},
	}
}

var (
	certID  = strconv.Itoa(ssotest.DefaultCertificateID)
	account = ssotest.DefaultAccountID
)

// getCertificate is one GET through im; check says whether to check the answer.
func getCertificate(ctx context.Context, im impl, check bool) error {
	cert, err := im.get(ctx, certID)
	if err != nil || !check {
		return err
	}
	want := ssotest.DefaultCertificate()
	if cert.ID != want.ID || cert.IntegrationID != want.IntegrationID || !cert.NotAfter.Equal(want.NotAfter) || cert.PublicCertificate != want.PublicCertificate {
		return fmt.Errorf("got certificate %+v, want %+v", cert, want)
	}
	return nil
}

// authenticateAccount is one POST through im; check says whether to check the answer.
func authenticateAccount(ctx context.Context, im impl, check bool) error {
	login, err := im.auth(ctx, account)
	if err != nil || !check {
		return err
	}
	if login.URL.Query().Get("code") != loginCode || login.ExpiresAt.IsZero() {
		return fmt.Errorf("got login %v, want the code %s", login, loginCode)
	}
	return nil
}

// benchCalls runs call for every implementation that offers it, the first call
// checked.
func benchCalls(b *testing.B, offers func(impl) bool, call func(context.Context, impl, bool) error) {
	srv := newServer(b)
	for _, im := range impls(b, srv) {
		if !offers(im) {
			continue
		}
		b.Run(im.name, func(b *testing.B) {
			ctx, cancel := callerContext()
			defer cancel()
			if err := call(ctx, im, true); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if err := call(ctx, im, false); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

func BenchmarkGetSSOCertificate(b *testing.B) {
	benchCalls(b, func(im impl) bool { return im.get != nil }, getCertificate)
}

func BenchmarkAuthenticateAccount(b *testing.B) {
	benchCalls(b, func(im impl) bool { return im.auth != nil }, authenticateAccount)
}

// BenchmarkNew is the cost of building a Client: options, the key and base URL
// checks, the generated client. It parses no spec and sends nothing.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wrapper.New(key, wrapper.WithBaseURL("https://api.sendgrid.com")); err != nil {
			b.Fatal(err)
		}
	}
}

// sequentialCalls is how many calls BenchmarkConnections makes.
const sequentialCalls = 300

// maxConnections is the most connections BenchmarkConnections accepts: a body left
// unread would cost one per call (150 for the client's logins), far beyond it.
const maxConnections = 10

// BenchmarkConnections makes 300 sequential calls on a fresh server, the two
// operations in turn where the implementation offers both, and reports how many
// connections they opened. The baseline and sendgrid-go read every body to its end
// before the call returns: one connection. The client returns a login as soon as the
// 303's headers are in and reads its short body in the background; a call that starts
// before that read has ended finds the connection busy, and the transport dials
// another, which then joins the pool: a few connections in all. A loaded machine may
// add one or two to any of them (net/http reuses a connection only when its write
// goroutine reports back within 50 ms). It reports the mean over its rounds, and
// fails when one opens more than maxConnections.
func BenchmarkConnections(b *testing.B) {
	ctx := context.Background()
	for k, im := range impls(b, newServer(b)) {
		b.Run(im.name, func(b *testing.B) {
			var total int64
			for b.Loop() {
				srv := newServer(b)
				im := impls(b, srv)[k]
				for i := range sequentialCalls {
					call := getCertificate
					if i%2 == 1 && im.auth != nil {
						call = authenticateAccount
					}
					if err := call(ctx, im, false); err != nil {
						b.Fatal(err)
					}
				}
				conns := srv.conns.Load()
				srv.Close()
				if conns > maxConnections {
					b.Fatalf("%d sequential calls opened %d connections, want a few (at most %d): a body was left unread", sequentialCalls, conns, maxConnections)
				}
				total += conns
			}
			b.ReportMetric(float64(total)/float64(b.N), "conns/300calls")
		})
	}
}

// callerDeadline is how far off the deadline of the measured calls' context is: a
// caller's context usually carries one, and this one ends before the 60s per-attempt
// timeout of the client and the baseline, so neither needs a deadline of its own.
const callerDeadline = 30 * time.Second

// callerContext is the context of the measured calls.
func callerContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callerDeadline)
}
