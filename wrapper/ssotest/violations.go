package ssotest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

// Violation is a request or a response that broke the spec. The fake keeps its
// Method, Path and Reason cut short, as InvalidRequests says.
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

// What the fake keeps of the violations it sees, so that no client can grow its
// memory without end (a web page can make a browser send requests to a fake on
// 127.0.0.1): the first maxViolations of each kind, each with its Method, Path and
// Reason cut to the bytes below, and of those at most maxKeyless by requests without
// the fake's key, so that strangers cannot take the room of the test's own. Every
// violation is counted, kept or not.
const (
	maxViolations  = 100
	maxKeyless     = maxViolations / 2
	maxMethodBytes = 32
	maxPathBytes   = 256
	maxReasonBytes = 1024
)

// violationLog is the violations of one kind: the first maxViolations, and how many
// there were in all.
type violationLog struct {
	kept    []Violation
	keyless int // how many of kept came without the key
	total   int
}

// add counts v and keeps it if there is room, cut to size; keyed says whether its
// request carried the fake's key.
func (l *violationLog) add(v Violation, keyed bool) {
	l.total++
	if len(l.kept) >= maxViolations || (!keyed && l.keyless >= maxKeyless) {
		return
	}
	if !keyed {
		l.keyless++
	}
	v.Method = clip(v.Method, maxMethodBytes)
	v.Path = clip(v.Path, maxPathBytes)
	v.Reason = clip(v.Reason, maxReasonBytes)
	l.kept = append(l.kept, v)
}

// clipMark ends a string that clip cut.
const clipMark = "…"

// clip returns a copy of s if it has at most n bytes; else a copy of its first bytes,
// cut at a rune boundary, and clipMark, n bytes at most in all. Always a copy: a
// request's short method is a slice of its whole request line, path included, and
// would keep it alive.
func clip(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	cut := n - len(clipMark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.Clone(s[:cut]) + clipMark
}

// InvalidRequests returns the requests that broke the spec, in order of arrival. The
// fake refused each: 401 when the bearer credentials were missing or malformed, 404
// when no path of the spec matched, 405 when the path matched but not the method, and
// 400 for anything else (a parameter, a body where none is declared). 404 and 405 are
// statuses no operation can declare for a request it does not describe. Requests the
// spec allows but the fake cannot serve as asked are refused with 400 and recorded
// too: a Host header that cannot make an absolute login URL, and a Prefer header
// asking for a status the operation does not declare.
//
// The fake keeps the first 100 of them, at most 50 of those by requests without its
// key (so that strangers cannot crowd out the test's own), and of each its Method,
// Path and Reason up to 32, 256 and 1024 bytes (one cut short ends in "…"): whoever
// can reach the fake cannot grow its memory without end. InvalidCounts counts them
// all.
func (s *Server) InvalidRequests() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.badReqs.kept...)
}

// InvalidResponses returns the answers of the fake's own that broke the spec, in
// order. Each was replaced by a 500 whose message names the violation: a fake that
// drifts from its spec fails loudly instead of teaching a client the wrong thing.
// Answers of queued faults are not checked (see Fault). The fake keeps the first 100,
// cut as InvalidRequests says; InvalidCounts counts them all.
func (s *Server) InvalidResponses() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.badResps.kept...)
}

// InvalidCounts returns how many requests and how many of the fake's own answers broke
// the spec in all: those InvalidRequests and InvalidResponses return, and those the
// fake did not keep.
func (s *Server) InvalidCounts() (requests, responses int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.badReqs.total, s.badResps.total
}

// refuse answers a request that broke the spec, and records it.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, route contract.Route, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, contract.ErrNoCredentials):
		status = http.StatusUnauthorized
	case errors.Is(err, contract.ErrNoOperation):
		status = http.StatusNotFound
	case errors.Is(err, contract.ErrMethodNotAllowed):
		status = http.StatusMethodNotAllowed
	case errors.Is(err, errTooLarge):
		status = http.StatusRequestEntityTooLarge
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
func (s *Server) drifted(w http.ResponseWriter, r *http.Request, route contract.Route, status int, err error) {
	s.record(&s.badResps, r, route.Operation, status, err)
	writeErrors(w, http.StatusInternalServerError, route.Operation, "ssotest: the fake's answer breaks the spec: "+err.Error())
}

// record adds a violation by the request r to log.
func (s *Server) record(log *violationLog, r *http.Request, operation string, status int, err error) {
	v := Violation{Method: r.Method, Path: r.URL.EscapedPath(), Operation: operation, Status: status, Reason: err.Error()}
	keyed := s.hasKey(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	log.add(v, keyed)
}
