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

// Timeouts returns the server's header, whole-request and idle timeouts.
func (s *Server) Timeouts() (readHeader, read, idle time.Duration) {
	return s.http.ReadHeaderTimeout, s.http.ReadTimeout, s.http.IdleTimeout
}
