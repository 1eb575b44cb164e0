package tests

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// validatingTransport checks each request the client sends and each response it
// receives against a contract (kin-openapi, undeclared statuses refused), and
// records in its log the (operation, status) pairs that passed and the violations.
type validatingTransport struct {
	base     http.RoundTripper
	contract *ssotest.Contract
	log      *trafficLog
}

// trafficLog is what validating transports saw; several may share one.
type trafficLog struct {
	mu         sync.Mutex
	exercised  map[ssotest.Pair]int
	violations []string
}

func newTrafficLog() *trafficLog { return &trafficLog{exercised: map[ssotest.Pair]int{}} }

// count returns how often p was exercised.
func (l *trafficLog) count(p ssotest.Pair) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.exercised[p]
}

func (l *trafficLog) violate(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.violations = append(l.violations, fmt.Sprintf(format, args...))
}

// RoundTrip checks req, sends it, and checks the response, whose body it reads and
// puts back. A violation is logged, not returned: the client sees the traffic as it
// was, and the test reports every violation at the end.
func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	route, err := v.contract.CheckRequest(req)
	if err != nil {
		v.log.violate("request: %v", err)
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if route.Operation == "" {
		return resp, nil // no operation: already a request violation
	}
	if err := v.contract.CheckResponse(req, resp.StatusCode, resp.Header, body); err != nil {
		v.log.violate("response: %v", err)
		return resp, nil
	}
	v.log.mu.Lock()
	v.log.exercised[ssotest.Pair{Operation: route.Operation, Status: fmt.Sprint(resp.StatusCode)}]++
	v.log.mu.Unlock()
	return resp, nil
}
