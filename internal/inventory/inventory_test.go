package inventory

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// manyLister serves integrations integrations of perIntegration certificates each,
// and counts the certificate lists asked for.
type manyLister struct {
	integrations, perIntegration int
	certLists                    atomic.Int64
}

func (l *manyLister) ListSSOIntegrations(context.Context) ([]wrapper.Integration, error) {
	return make([]wrapper.Integration, l.integrations), nil
}

func (l *manyLister) ListSSOCertificates(context.Context, string) ([]wrapper.Certificate, error) {
	l.certLists.Add(1)
	return make([]wrapper.Certificate, l.perIntegration), nil
}

// TestReadBoundsIntegrations: a server listing more than MaxIntegrations
// integrations gets an error and not one certificate list asked for; exactly
// MaxIntegrations are read.
func TestReadBoundsIntegrations(t *testing.T) {
	l := &manyLister{integrations: MaxIntegrations + 1}
	if _, err := Read(t.Context(), l, nil); err == nil || !strings.Contains(err.Error(), "1001 integrations") {
		t.Errorf("Read of %d integrations: %v, want an error naming the count", l.integrations, err)
	}
	if n := l.certLists.Load(); n != 0 {
		t.Errorf("%d certificate lists asked for, want 0", n)
	}
	l = &manyLister{integrations: MaxIntegrations}
	if ins, err := Read(t.Context(), l, nil); err != nil || len(ins) != MaxIntegrations {
		t.Errorf("Read of %d integrations: %d, %v; want all, no error", MaxIntegrations, len(ins), err)
	}
}

// TestReadBoundsCertificates: more than MaxCertificates certificates over all
// integrations is an error; exactly MaxCertificates is read.
func TestReadBoundsCertificates(t *testing.T) {
	l := &manyLister{integrations: 10, perIntegration: MaxCertificates / 10}
	if _, err := Read(t.Context(), l, nil); err != nil {
		t.Errorf("Read of %d certificates: %v", MaxCertificates, err)
	}
	l.perIntegration++
	if _, err := Read(t.Context(), l, nil); err == nil || !strings.Contains(err.Error(), "10010 certificates") {
		t.Errorf("Read of %d certificates: %v, want an error naming the count", 10*l.perIntegration, err)
	}
}
