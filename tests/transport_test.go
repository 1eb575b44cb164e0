package tests

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
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

// The transport catches what a client gets wrong on its own, fake or no fake: a
// request without credentials, a body on the bodiless POST, and an undeclared status.
func TestValidatingTransportBites(t *testing.T) {
	log := newTrafficLog()
	w, err := newWorld(api.Spec(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer w.srv.Close()
	srv, hc := w.srv, &http.Client{Transport: w.vt}
	srv.FailNext(1, ssotest.Fault{Status: http.StatusTeapot})

	send := func(req *http.Request) {
		t.Helper()
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v3/sso/certificates/1", nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	send(req) // the fault: 418
	req, _ = http.NewRequest("GET", srv.URL+"/v3/sso/certificates/1", nil)
	send(req) // no credentials
	req, _ = http.NewRequest("POST", srv.URL+"/v3/partners/accounts/"+ssotest.DefaultAccountID+"/sso", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	send(req) // a body

	want := []string{
		"response: the 418 response to GetSsoCertificate (GET) breaks the spec: status is not supported",
		"request: GET /v3/sso/certificates/1 (GetSsoCertificate): the request lacks the credentials the spec requires",
		"request: POST /v3/partners/accounts/" + ssotest.DefaultAccountID + "/sso (AuthenticateAccount) breaks the spec: request body not allowed",
		// The fake refuses that request with a 400, which the POST does not declare.
		"response: the 400 response to AuthenticateAccount (POST) breaks the spec: status is not supported",
	}
	if len(log.violations) != len(want) {
		t.Fatalf("violations %q, want %d", log.violations, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(log.violations[i], w) {
			t.Errorf("violation %d = %q, want it to start %q", i, log.violations[i], w)
		}
	}
	// Only the 401 refusal of the request without credentials is a declared answer.
	if want := (ssotest.Pair{Operation: "GetSsoCertificate", Status: "401"}); len(log.exercised) != 1 || log.exercised[want] != 1 {
		t.Errorf("exercised %v, want only %s", log.exercised, want)
	}
}
