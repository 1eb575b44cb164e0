package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid/rest"
)

// BenchmarkConcurrency spreads b.N GETs over 1, 8, 64 and 256 callers that call at
// the same time, over TLS on loopback, with a server offering HTTP/1.1 only
// (proto=h1) or HTTP/2 (proto=h2). Each implementation starts with an empty
// connection pool of its own: the client and the baseline with the settings of
// wrapper.DefaultTransport, sendgrid-go with net/http's defaults
// (http.DefaultTransport, which keeps 2 idle connections per host). Besides the usual
// figures it reports calls/s, the median and 99th percentile of one call's latency,
// and how many connections the server accepted during the timed calls (conns). Before
// them, untimed, every caller makes one call and the server holds them until all are
// in flight, so that the pool holds what a burst of that size opens: the figures are
// those of a steady load, not of the first handshakes, and conns counts only the
// connections a pool too small closes and opens again.
//
// Run it with a fixed count (-benchtime 4000x: `make bench-concurrency`) so that every
// run makes the same number of calls.
func BenchmarkConcurrency(b *testing.B) {
	for _, proto := range []string{"h1", "h2"} {
		srv := newTLSServer(b, proto == "h2")
		wantMajor := map[string]int32{"h1": 1, "h2": 2}[proto]
		for _, callers := range []int{1, 8, 64, 256} {
			for k, im := range tlsImpls(b, srv) {
				b.Run(fmt.Sprintf("proto=%s/callers=%d/%s", proto, callers, im.name), func(b *testing.B) {
					im := tlsImpls(b, srv)[k] // an empty pool for every run
					if err := getCertificate(context.Background(), im, true); err != nil {
						b.Fatal(err)
					}
					if got := srv.protoMajor.Load(); got != wantMajor {
						b.Fatalf("served over HTTP/%d, want %s", got, proto)
					}
					runConcurrently(b, srv, im, callers)
				})
			}
		}
	}
}

// runConcurrently makes b.N GETs through im from callers goroutines and reports the
// figures of BenchmarkConcurrency.
func runConcurrently(b *testing.B, srv *server, im impl, callers int) {
	ctx := context.Background()
	latencies := make([][]time.Duration, callers)
	for i := range latencies {
		latencies[i] = make([]time.Duration, 0, b.N/callers+1)
	}
	var (
		next         atomic.Int64
		warm, wg     sync.WaitGroup
		once         sync.Once
		first        error
		startCalling = make(chan struct{})
	)
	fail := func(err error) { once.Do(func() { first = err }) }
	warm.Add(callers)
	srv.holdUntil(callers, func() {
		for i := range callers {
			wg.Go(func() {
				// Warm-up, untimed: the server holds every caller's first call until
				// all are in flight, so the pool holds what a burst of this size opens.
				err := getCertificate(ctx, im, false)
				warm.Done()
				<-startCalling
				if err != nil {
					fail(err)
					return
				}
				for next.Add(1) <= int64(b.N) {
					t := time.Now()
					if err := getCertificate(ctx, im, false); err != nil {
						fail(err)
						return
					}
					latencies[i] = append(latencies[i], time.Since(t))
				}
			})
		}
		warm.Wait()
	})
	b.ReportAllocs()
	conns := srv.conns.Load()
	cpu := cpuTime()
	b.ResetTimer()
	start := time.Now()
	close(startCalling)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if first != nil {
		b.Fatal(first)
	}
	all := slices.Sorted(slices.Values(slices.Concat(latencies...)))
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(all[len(all)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(all[(len(all)*99)/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(srv.conns.Load()-conns), "conns")
	if cpu := cpuTime() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// tlsImpls returns every implementation pointed at the TLS server srv, each with a
// new transport that trusts srv's certificate: the client and the baseline with
// wrapper.DefaultTransport's settings, sendgrid-go with http.DefaultTransport's. The
// transports' idle connections are closed when tb ends.
func tlsImpls(tb testing.TB, srv *server) []impl {
	tb.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	ours := func() *http.Transport {
		tr := wrapper.DefaultTransport()
		tr.TLSClientConfig.RootCAs = roots
		tb.Cleanup(tr.CloseIdleConnections)
		return tr
	}
	std := http.DefaultTransport.(*http.Transport).Clone()
	std.TLSClientConfig = &tls.Config{RootCAs: roots}
	tb.Cleanup(std.CloseIdleConnections)

	c, err := wrapper.New(key, wrapper.WithBaseURL(srv.URL),
		wrapper.WithHTTPClient(&http.Client{Transport: ours(), Timeout: clientTimeout}))
	if err != nil {
		tb.Fatal(err)
	}
	bl := newBaseline(srv.URL, ours())
	return []impl{
		{name: "impl=baseline", get: bl.getCertificate, auth: bl.authenticateAccount},
		{name: "impl=client", get: c.GetSSOCertificate, auth: c.AuthenticateAccount},
		{name: "impl=sendgrid-go", get: newSDK(srv.URL, &rest.Client{HTTPClient: &http.Client{Transport: std}}).getCertificate},
	}
}
