package tests

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// validatingTransport checks each request the client sends and each response it
// receives against a contract (kin-openapi, undeclared statuses refused), and
// records in its log the (operation, status) pairs that passed and the violations.
type validatingTransport struct {
	base     http.RoundTripper
	contract *contract.Contract
	log      *trafficLog
}

// trafficLog is what validating transports saw; several may share one.
type trafficLog struct {
	mu         sync.Mutex
	exercised  map[contract.Pair]int
	violations []error // each an *exchangeError
}

func newTrafficLog() *trafficLog { return &trafficLog{exercised: map[contract.Pair]int{}} }

// count returns how often p was exercised.
func (l *trafficLog) count(p contract.Pair) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.exercised[p]
}

func (l *trafficLog) violate(e *exchangeError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.violations = append(l.violations, e)
}

// exchangeError is a request or a response that broke the contract: which, of which
// operation, and the contract's error, for errors.Is and errors.As.
type exchangeError struct {
	Operation string // "" when the request matched no operation
	Status    int    // the response's; 0 for a request
	Err       error
}

func (e *exchangeError) Error() string {
	if e.Status == 0 {
		return "request: " + e.Err.Error()
	}
	return "response: " + e.Err.Error()
}

func (e *exchangeError) Unwrap() error { return e.Err }

// RoundTrip checks req, sends it, and checks the response, whose body it reads and
// puts back. A violation is logged, not returned: the client sees the traffic as it
// was, and the test reports every violation at the end.
func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	route, err := v.contract.Route(req)
	if err == nil {
		err = v.contract.CheckRequest(route)
	}
	if err != nil {
		v.log.violate(&exchangeError{Operation: route.Operation, Err: err})
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
	if err := v.contract.CheckResponse(route, resp.StatusCode, resp.Header, body); err != nil {
		v.log.violate(&exchangeError{Operation: route.Operation, Status: resp.StatusCode, Err: err})
		return resp, nil
	}
	v.log.mu.Lock()
	v.log.exercised[contract.Pair{Operation: route.Operation, Status: fmt.Sprint(resp.StatusCode)}]++
	v.log.mu.Unlock()
	return resp, nil
}

// findError reports whether err, or an error it holds, satisfies match. It walks what
// errors.Is walks, and the errors a kin-openapi MultiError holds (which errors.As
// stops at the first of).
func findError(err error, match func(error) bool) bool {
	if err == nil {
		return false
	}
	if match(err) {
		return true
	}
	var held []error
	switch e := err.(type) {
	case openapi3.MultiError:
		held = e
	case interface{ Unwrap() []error }:
		held = e.Unwrap()
	case interface{ Unwrap() error }:
		held = []error{e.Unwrap()}
	}
	for _, h := range held {
		if findError(h, match) {
			return true
		}
	}
	return false
}

// exchange matches an *exchangeError of operation and status (0: a request) whose
// error, or an error it holds, satisfies match.
func exchange(operation string, status int, match func(error) bool) func(error) bool {
	return func(err error) bool {
		var e *exchangeError
		return errors.As(err, &e) && e.Operation == operation && e.Status == status && findError(e.Err, match)
	}
}

// is matches target, as errors.Is does.
func is(target error) func(error) bool {
	return func(err error) bool { return err == target }
}

// schemaError matches kin-openapi's *openapi3.SchemaError on field of the schema
// (such as "type") at the JSON pointer path.
func schemaError(field string, path ...string) func(error) bool {
	return func(err error) bool {
		se, ok := err.(*openapi3.SchemaError)
		return ok && se.SchemaField == field && slices.Equal(se.JSONPointer(), path)
	}
}

// responseError matches kin-openapi's *openapi3filter.ResponseError.
func responseError(err error) bool {
	_, ok := err.(*openapi3filter.ResponseError)
	return ok
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

	want := []struct {
		what  string
		match func(error) bool
	}{
		{"the 418, undeclared", exchange("GetSsoCertificate", 418, is(contract.ErrUndeclaredStatus))},
		{"no credentials", exchange("GetSsoCertificate", 0, is(contract.ErrNoCredentials))},
		{"a body on the POST", exchange("AuthenticateAccount", 0, is(contract.ErrBodyNotAllowed))},
		// The fake refuses that request with a 400, which the POST does not declare.
		{"the fake's 400 to it, undeclared", exchange("AuthenticateAccount", 400, is(contract.ErrUndeclaredStatus))},
	}
	if len(log.violations) != len(want) {
		t.Fatalf("violations %q, want %d", log.violations, len(want))
	}
	for i, w := range want {
		if !w.match(log.violations[i]) {
			t.Errorf("violation %d = %v, want %s", i, log.violations[i], w.what)
		}
	}
	// Only the 401 refusal of the request without credentials is a declared answer.
	if want := (contract.Pair{Operation: "GetSsoCertificate", Status: "401"}); len(log.exercised) != 1 || log.exercised[want] != 1 {
		t.Errorf("exercised %v, want only %s", log.exercised, want)
	}
}
