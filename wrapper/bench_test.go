package wrapper

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The benchmarks hold the Client against the hand-written net/http baseline
// (baseline_test.go), side by side on one loopback server. Sub-benchmarks are named
// impl=baseline and impl=client so that `benchstat -col /impl` sets them side by side;
// `make bench` runs them interleaved and prints the ratios. bench/ (its own module)
// adds the official sendgrid-go v3.
//
// Allocations and bytes per call include the server's share (it runs in the same
// process); the server answers with bytes built once, so that share is small and the
// same for every implementation.

// benchAccount and benchCode are what the benchmark server's 303 carries.
const (
	benchAccount = ssotest.DefaultAccountID
	benchCode    = "0123456789abcdef0123456789abcdef"
)

// benchServer is a loopback server that answers like the API with bytes built once:
// GET → 200 and the default certificate, POST → 303 to a login URL on itself, a wrong
// key → 401. conns counts the connections it accepted.
type benchServer struct {
	*httptest.Server
	conns atomic.Int64
}

// newBenchServer starts a benchServer, closed when tb ends.
func newBenchServer(tb testing.TB) *benchServer {
	tb.Helper()
	cert := ssotest.DefaultCertificate()
	body, err := json.Marshal(map[string]any{
		"public_certificate": cert.PublicCertificate,
		"id":                 cert.ID,
		"not_before":         cert.NotBefore.Unix(),
		"not_after":          cert.NotAfter.Unix(),
		"intergration_id":    cert.IntegrationID,
	})
	if err != nil {
		tb.Fatal(err)
	}
	s := &benchServer{}
	auth := "Bearer " + testKey
	var location []string // set once the URL is known
	jsonType := []string{"application/json"}
	rate := [][]string{{"600"}, {"599"}, {strconv.FormatInt(cert.NotAfter.Unix(), 10)}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Ratelimit-Limit"], h["X-Ratelimit-Remaining"], h["X-Ratelimit-Reset"] = rate[0], rate[1], rate[2]
		if r.Header.Get("Authorization") != auth {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			h["Location"] = location
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		h["Content-Type"] = jsonType
		_, _ = w.Write(body)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	location = []string{s.URL + "/login?code=" + benchCode}
	tb.Cleanup(s.Close)
	return s
}

// benchImpl is one implementation of both calls.
type benchImpl struct {
	name string
	get  func(context.Context, string) (*Certificate, error)
	auth func(context.Context, string) (*SSOLogin, error)
}

// benchImpls returns the Client (defaults, as New builds it) and the baseline, both
// pointed at srv.
func benchImpls(tb testing.TB, srv *benchServer) []benchImpl {
	tb.Helper()
	c, err := New(testKey, WithBaseURL(srv.URL))
	if err != nil {
		tb.Fatal(err)
	}
	bl := newBaseline(srv.URL, testKey)
	return []benchImpl{
		{"impl=baseline", bl.getCertificate, bl.authenticateAccount},
		{"impl=client", c.GetSSOCertificate, c.AuthenticateAccount},
	}
}

// checkCertificate fails tb unless cert is the benchmark server's certificate.
func checkCertificate(tb testing.TB, cert *Certificate, err error) {
	tb.Helper()
	want := ssotest.DefaultCertificate()
	if err != nil {
		tb.Fatal(err)
	}
	if cert.ID != want.ID || cert.IntegrationID != want.IntegrationID || !cert.NotAfter.Equal(want.NotAfter) || cert.PublicCertificate != want.PublicCertificate {
		tb.Fatalf("got certificate %+v, want %+v", cert, want)
	}
}

// checkLogin fails tb unless login carries the benchmark server's code.
func checkLogin(tb testing.TB, login *SSOLogin, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	if login.URL.Query().Get("code") != benchCode || login.ExpiresAt.IsZero() {
		tb.Fatalf("got login %v, want the code %s", login, benchCode)
	}
}

func BenchmarkGetSSOCertificate(b *testing.B) {
	srv := newBenchServer(b)
	ctx := context.Background()
	id := strconv.Itoa(ssotest.DefaultCertificateID)
	for _, impl := range benchImpls(b, srv) {
		b.Run(impl.name, func(b *testing.B) {
			cert, err := impl.get(ctx, id)
			checkCertificate(b, cert, err)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.get(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAuthenticateAccount(b *testing.B) {
	srv := newBenchServer(b)
	ctx := context.Background()
	for _, impl := range benchImpls(b, srv) {
		b.Run(impl.name, func(b *testing.B) {
			login, err := impl.auth(ctx, benchAccount)
			checkLogin(b, login, err)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.auth(ctx, benchAccount); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNew is the cost of building a Client: options, the key and base URL
// checks, the generated client. It parses no spec and sends nothing.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(testKey, WithBaseURL("https://api.sendgrid.com")); err != nil {
			b.Fatal(err)
		}
	}
}

// sequentialCalls is how many calls BenchmarkConnections makes on one client.
const sequentialCalls = 300

// BenchmarkConnections makes 300 sequential calls, both operations in turn, on a fresh
// server and reports how many connections they opened: one, since every body is
// drained and closed. It fails otherwise.
func BenchmarkConnections(b *testing.B) {
	ctx := context.Background()
	for k, impl := range benchImpls(b, newBenchServer(b)) {
		b.Run(impl.name, func(b *testing.B) {
			var conns int64
			for b.Loop() {
				srv := newBenchServer(b)
				impl := benchImpls(b, srv)[k]
				for i := range sequentialCalls {
					var err error
					if i%2 == 0 {
						_, err = impl.get(ctx, "1")
					} else {
						_, err = impl.auth(ctx, benchAccount)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				conns = srv.conns.Load()
				srv.Close()
				if conns != 1 {
					b.Fatalf("%d sequential calls opened %d connections, want 1", sequentialCalls, conns)
				}
			}
			b.ReportMetric(float64(conns), "conns/300calls")
		})
	}
}
