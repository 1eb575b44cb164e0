package ssotest

import (
	"net/http"
	"time"
)

// Test hooks: options only this package's tests can give.

// WithTimeouts sets the server's header, whole-request and idle timeouts.
func WithTimeouts(readHeader, read, idle time.Duration) Option {
	return func(s *Server) { s.timeouts = timeouts{readHeader: readHeader, read: read, idle: idle} }
}

// WithClock makes the fake read the time from now (codes, rate limits).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithRequestHook calls f when an API request reaches the fake, before its body is read.
func WithRequestHook(f func(*http.Request)) Option { return func(s *Server) { s.hooks.request = f } }

// WithSpec makes the fake check requests and responses against spec (an OpenAPI 3
// document, YAML or JSON) instead of api.Spec(): to show that the fake fails loudly
// when its answers drift from its spec. NewServer panics if spec does not load.
func WithSpec(spec []byte) Option { return func(s *Server) { s.spec = spec } }

// Timeouts returns the server's header, whole-request and idle timeouts.
func (s *Server) Timeouts() (readHeader, read, idle time.Duration) {
	c := s.ts.Config
	return c.ReadHeaderTimeout, c.ReadTimeout, c.IdleTimeout
}
