package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// TestLoopRefreshesEveryJitteredInterval drives the refresh loop with a clock of its
// own: it refreshes at once, then once per tick, waiting 15m ±10% between refreshes,
// and returns when its context ends.
func TestLoopRefreshesEveryJitteredInterval(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	var log syncBuffer
	e := testExporter(t, fake.URL, fake.APIKey, nil, &log)
	var refreshes atomic.Int32
	counting := &failingLister{next: e.client}
	e.client = countingLister{counting, &refreshes}

	const interval = 15 * time.Minute
	waits := make(chan time.Duration)
	tick := make(chan time.Time)
	after := func(d time.Duration) <-chan time.Time {
		waits <- d
		return tick
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.loop(ctx, interval, after)
	}()
	for i := 1; i <= 3; i++ {
		d := <-waits // the loop waits only once its refresh has ended
		if n := refreshes.Load(); n != int32(i) {
			t.Fatalf("%d refreshes before wait %d, want %d", n, i, i)
		}
		if d < interval*9/10 || d >= interval*11/10 {
			t.Errorf("wait %d is %v, want 15m ±10%%", i, d)
		}
		if !e.ready() {
			t.Fatal("not ready after a successful refresh")
		}
		if i < 3 {
			tick <- time.Time{}
		}
	}
	cancel()
	<-done
}

// countingLister counts the refreshes: each begins by listing the integrations.
type countingLister struct {
	*failingLister
	n *atomic.Int32
}

func (l countingLister) ListSSOIntegrations(ctx context.Context) ([]wrapper.Integration, error) {
	l.n.Add(1)
	return l.failingLister.ListSSOIntegrations(ctx)
}

// TestJitterBounds: the jittered interval stays within ±10% over the whole range of
// its random input.
func TestJitterBounds(t *testing.T) {
	t.Parallel()
	for _, u := range []float64{0, 0.25, 0.5, 0.999999} {
		d := jittered(time.Hour, u)
		if d < 54*time.Minute || d >= 66*time.Minute {
			t.Errorf("jittered(1h, %v) = %v, want within 54m and 66m", u, d)
		}
	}
	if lo, hi := jittered(time.Hour, 0), jittered(time.Hour, 0.999999); hi-lo < 11*time.Minute {
		t.Errorf("jitter spreads 1h only from %v to %v", lo, hi)
	}
}
