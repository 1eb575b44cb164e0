package ssotest_test

import (
	"context"
	"fmt"
	"math"
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
