package ssotest_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Starting a fake loads and validates the spec and builds its router.
func BenchmarkNewServer(b *testing.B) {
	for b.Loop() {
		ssotest.NewServer().Close()
	}
}

// One GetSSOCertificate through the real client; the fake checks the request and its
// answer against the spec. The rate limit is lifted: the loop makes far more calls a
// minute than the default budget.
func BenchmarkGetCertificate(b *testing.B) {
	srv := newServer(b, ssotest.WithRateLimit(math.MaxInt, time.Hour))
	c, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	ctx, id := context.Background(), fmt.Sprint(ssotest.DefaultCertificateID)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetSSOCertificate(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// What a fake keeps of requests that break the spec, each with a 256 KiB path (a web
// page can make a browser send such requests to a fake on 127.0.0.1): retained-B is
// the live heap the fake holds after 200 of them, measured once it has closed its
// connections (which hold a request while they wait for the next one).
func BenchmarkViolationsRetained(b *testing.B) {
	path := "/v3/sso/certificates/" + strings.Repeat("9", 256<<10) + "/x"
	var retained uint64
	for b.Loop() {
		var before, after runtime.MemStats
		srv := ssotest.NewServer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 200 {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		srv.Close()
		http.DefaultClient.CloseIdleConnections()
		runtime.GC()
		runtime.ReadMemStats(&after)
		if n, _ := srv.InvalidCounts(); n != 200 {
			b.Fatalf("InvalidCounts() = %d, want 200", n)
		}
		retained = max(retained, after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))
	}
	b.ReportMetric(float64(retained), "retained-B")
}
