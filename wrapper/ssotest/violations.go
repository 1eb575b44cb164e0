package ssotest

import (
	"errors"
	"fmt"
	"net/http"
)

// Violation is a request or a response that broke the spec.
type Violation struct {
	// Method and Path (escaped) are the request's.
	Method, Path string
	// Operation is the operationId the request matched, or "" when it matched none.
	Operation string
	// Status is the status the fake answered with (for a response, the status it
	// would have sent).
	Status int
	// Reason says what was wrong.
	Reason string
}

// String renders the violation on one line.
func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %d: %s", v.Method, v.Path, v.Status, v.Reason)
}

// InvalidRequests returns the requests that broke the spec, in order of arrival. The
// fake refused each: 401 when the bearer credentials were missing or malformed, 404
// when no path of the spec matched, 405 when the path matched but not the method, and
// 400 for anything else (a parameter, a body where none is declared). 404 and 405 are
// statuses no operation can declare for a request it does not describe. Requests the
// spec allows but the fake cannot serve as asked are refused with 400 and recorded
// too: a Host header that cannot make an absolute login URL, and a Prefer header
// asking for a status the operation does not declare.
func (s *Server) InvalidRequests() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.badReqs...)
}

// InvalidResponses returns the answers of the fake's own that broke the spec, in
// order. Each was replaced by a 500 whose message names the violation: a fake that
// drifts from its spec fails loudly instead of teaching a client the wrong thing.
// Answers of queued faults are not checked (see Fault).
func (s *Server) InvalidResponses() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.badResps...)
}

// refuse answers a request that broke the spec, and records it.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, route Route, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrNoCredentials):
		status = http.StatusUnauthorized
	case errors.Is(err, ErrNoOperation):
		status = http.StatusNotFound
	case errors.Is(err, ErrMethodNotAllowed):
		status = http.StatusMethodNotAllowed
	}
	s.record(&s.badReqs, r, route.Operation, status, err)
	msg := err.Error()
	if !errors.Is(err, errCannotServe) {
		msg = "ssotest: the request breaks the spec: " + msg
	}
	writeErrors(w, status, route.Operation, msg)
}

// drifted answers 500 in place of an answer of the fake's own that broke the spec,
// and records it.
func (s *Server) drifted(w http.ResponseWriter, r *http.Request, route Route, status int, err error) {
	s.record(&s.badResps, r, route.Operation, status, err)
	writeErrors(w, http.StatusInternalServerError, route.Operation, "ssotest: the fake's answer breaks the spec: "+err.Error())
}

func (s *Server) record(list *[]Violation, r *http.Request, operation string, status int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*list = append(*list, Violation{
		Method:    r.Method,
		Path:      r.URL.EscapedPath(),
		Operation: operation,
		Status:    status,
		Reason:    err.Error(),
	})
}
