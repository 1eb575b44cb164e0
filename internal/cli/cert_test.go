package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// TestFetchCertificatesBounded: of ten fetches, exactly 4 (cert --help says so) run at a
// time, and the results come back in argument order although the fetches end in
// another. synctest.Wait returns once every goroutine of the bubble is blocked, so
// "no fifth fetch has started" is observed, not hoped for.
func TestFetchCertificatesBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ids := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
		var mu sync.Mutex
		running := map[int64]chan struct{}{} // fetches started and not yet released
		var results []certResult
		done := make(chan struct{})
		go func() {
			results = fetchCertificates(context.Background(), ids, func(_ context.Context, id string) (*wrapper.Certificate, error) {
				n, _ := strconv.ParseInt(id, 10, 64)
				release := make(chan struct{})
				mu.Lock()
				running[n] = release
				mu.Unlock()
				<-release
				return &wrapper.Certificate{ID: n}, nil
			})
			close(done)
		}()
		for left := len(ids); left > 0; left-- {
			synctest.Wait()
			mu.Lock()
			if want := min(4, left); len(running) != want { // 4: the bound cert --help states
				t.Fatalf("%d fetches running with %d left, want %d", len(running), left, want)
			}
			// End the newest first, so that results arrive out of order.
			newest := slices.Max(slices.Collect(maps.Keys(running)))
			close(running[newest])
			delete(running, newest)
			mu.Unlock()
		}
		<-done
		var got []string
		for _, r := range results {
			got = append(got, fmt.Sprintf("%s=%d", r.id, r.cert.ID))
		}
		if fmt.Sprint(got) != "[1=1 2=2 3=3 4=4 5=5 6=6 7=7 8=8 9=9 10=10]" {
			t.Errorf("results %v, want argument order", got)
		}
	})
}
