package inventory

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// gatedLister serves n integrations; each certificate list waits for a release on
// gate, after saying it started, so that the test sees how many are in flight.
type gatedLister struct {
	n       int
	started chan struct{}
	gate    chan struct{}

	mu            sync.Mutex
	inFlight, max int
}

func (l *gatedLister) ListSSOIntegrations(context.Context) ([]wrapper.Integration, error) {
	var out []wrapper.Integration
	for i := range l.n {
		out = append(out, wrapper.Integration{ID: strconv.Itoa(i)})
	}
	return out, nil
}

func (l *gatedLister) ListSSOCertificates(_ context.Context, id string) ([]wrapper.Certificate, error) {
	l.mu.Lock()
	l.inFlight++
	l.max = max(l.max, l.inFlight)
	l.mu.Unlock()
	l.started <- struct{}{}
	<-l.gate
	l.mu.Lock()
	l.inFlight--
	l.mu.Unlock()
	if id == "3" {
		return nil, errors.New("integration 3 failed")
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	return []wrapper.Certificate{{ID: n, IntegrationID: id}}, nil
}

// TestReadBoundsCallsInFlight: Read lists the certificates of 20 integrations with
// MaxConcurrent calls in flight at most (and at times exactly), returns them in the
// API's order, and keeps one integration's error with it.
func TestReadBoundsCallsInFlight(t *testing.T) {
	const n = 20
	l := &gatedLister{n: n, started: make(chan struct{}), gate: make(chan struct{})}
	type result struct {
		ins []Integration
		err error
	}
	done := make(chan result)
	go func() {
		ins, err := Read(context.Background(), l, nil)
		done <- result{ins, err}
	}()
	for range MaxConcurrent {
		<-l.started // the first MaxConcurrent calls start before any ends
	}
	for i := range n {
		l.gate <- struct{}{} // end one call...
		if i+MaxConcurrent < n {
			<-l.started // ...and the next starts
		}
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if l.max != MaxConcurrent {
		t.Errorf("%d calls in flight at most, want %d", l.max, MaxConcurrent)
	}
	for i, in := range r.ins {
		switch {
		case in.ID != strconv.Itoa(i):
			t.Errorf("integration %d is %q: not the API's order", i, in.ID)
		case i == 3 && (in.Err == nil || in.Certificates != nil):
			t.Errorf("integration 3: error %v, certificates %v; want its error alone", in.Err, in.Certificates)
		case i != 3 && (in.Err != nil || len(in.Certificates) != 1 || in.Certificates[0].IntegrationID != in.ID):
			t.Errorf("integration %d: error %v, certificates %v", i, in.Err, in.Certificates)
		}
	}
}
