package ssotest

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

// Server is a running fake. Build it with NewServer and stop it with Close.
//
// # Order of checks
//
// The fake takes an API request through the steps below, in this order. As an API
// behind its gateway does, it authenticates a call before anything the call asks for,
// and before it spends anything on it. The first step that answers ends the request.
//
//  1. Route: a path no operation has is refused with 404, a method the path has no
//     operation for with 405, and recorded (InvalidRequests).
//  2. Authentication: missing or malformed bearer credentials are refused with 401
//     and recorded; a key other than APIKey gets the 401 the spec declares,
//     "Failed to authenticate user". Nothing below applies to such a request: it
//     spends no rate-limit budget, uses up no fault, and its Prefer header is not
//     read.
//  3. Rate limit: the call spends from the key's budget (WithRateLimit); a spent
//     budget answers 429.
//  4. The rest of the spec: a Host header that cannot make a login URL, parameters,
//     a body where none is declared: refused with 400 and recorded.
//  5. Faults queued with FailNext.
//  6. "Prefer: code=N".
//  7. The operation itself.
//
// So a request from someone without the key, such as another test's stray request
// to a port this fake now holds, can neither use up what a test arranged nor show in
// Requests.
//
// The login page (the 303's target) and SpecPath, the document, are not API
// requests: they skip these steps, and neither Requests nor RequestsWithoutKey counts
// them.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:port" ("https://…" with WithTLS), for
	// wrapper.WithBaseURL.
	URL string
	// APIKey is the key the fake accepts: a fresh random key for each server unless
	// WithAPIKey gives one.
	APIKey string

	ts                 *httptest.Server // serves the fake; its Config carries the timeouts
	listener           net.Listener     // from WithListener, else httptest's own on loopback
	tls                *tls.Config      // from WithTLS: serve HTTPS
	contract           *contract.Contract
	spec               []byte                // the document checked against: api.Spec() but in tests
	certs              map[int64]Certificate // guarded by mu: CreateSsoCertificate adds to it
	accounts           map[string]bool
	customCerts        bool
	integrations       []Integration // in the order given
	customIntegrations bool
	customAccounts     bool
	limits             *rateLimiter
	timeouts           timeouts
	now                func() time.Time // the clock of codes and rate limits
	hooks              hooks

	mu       sync.Mutex
	created  int // certificates created through the API (MaxCreatedCertificates)
	codes    codes
	faults   faultQueue
	badReqs  violationLog
	badResps violationLog
	requests atomic.Int64 // API requests with the key
	others   atomic.Int64 // API requests without it
	follows  atomic.Int64
	closing  atomic.Bool // Close has begun: handlers that start now abort
}

// timeouts bound what a slow or stalled client can hold: the server closes a
// connection whose request headers, or whole request, do not arrive in time, and a
// keep-alive connection idle for longer than idle.
type timeouts struct {
	readHeader, read, idle time.Duration
}

// defaultTimeouts are generous for a test's client on loopback, and short enough that
// stalled connections do not pile up in a long-running fake.
var defaultTimeouts = timeouts{readHeader: 10 * time.Second, read: time.Minute, idle: time.Minute}

// hooks are called at points of the server's life, for tests that synchronise on
// them. Nil hooks are not called.
type hooks struct {
	// request is called when an API request reaches the fake, before its body is read.
	request func(*http.Request)
}

// NewServer starts a fake on a loopback port, on an httptest.Server. It panics if it
// cannot listen, as httptest.NewServer does, or if the embedded spec does not load.
func NewServer(opts ...Option) *Server {
	s := &Server{
		APIKey:       newAPIKey(),
		certs:        map[int64]Certificate{DefaultCertificateID: DefaultCertificate()},
		accounts:     map[string]bool{DefaultAccountID: true},
		integrations: []Integration{DefaultIntegration()},
		limits:       newRateLimiter(DefaultRateLimit, DefaultRateLimitWindow),
		timeouts:     defaultTimeouts,
		now:          time.Now,
		spec:         api.Spec(),
	}
	for _, o := range opts {
		o(s)
	}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if s.listener != nil {
		_ = s.ts.Listener.Close()
		s.ts.Listener = s.listener
	}
	scheme := "http"
	if s.tls != nil {
		scheme = "https"
	}
	c, err := contract.New(s.spec, scheme+"://"+s.ts.Listener.Addr().String())
	if err != nil {
		s.ts.Close()
		panic("ssotest: " + err.Error())
	}
	s.contract = c
	s.ts.Config.ReadHeaderTimeout = s.timeouts.readHeader
	s.ts.Config.ReadTimeout = s.timeouts.read
	s.ts.Config.IdleTimeout = s.timeouts.idle
	if s.tls != nil {
		s.ts.TLS = s.tls
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	return s
}

// newAPIKey returns a fresh key, in SendGrid's form: "SG.", an ID, ".", a secret.
func newAPIKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "SG.ssotest-" + hex.EncodeToString(b[:8]) + "." + hex.EncodeToString(b[8:])
}

// Close stops the server: it stops listening, closes every connection at once, idle,
// active or stalled by a client that never finishes its request, and returns when
// the handlers that were running have returned. Faults that were delaying a call end.
// Calling Close again does nothing.
func (s *Server) Close() {
	s.closing.Store(true)
	// httptest's Close waits for active connections, such as one whose client sent
	// its headers and stalls its body: close them all first. A handler that starts
	// after this aborts (serveHTTP), so none can hold Close.
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// Requests returns how many API requests carried the fake's key, whatever their
// answer (login page visits not included): the calls of whoever holds APIKey, which a
// test can count on. Requests without the key are counted apart (see
// RequestsWithoutKey), so that a stray request, from another test to a port this
// fake now holds or from a web page, does not change this count.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// RequestsWithoutKey returns how many API requests did not carry the fake's key:
// none, or another. Each was answered 404, 405 or 401 (see Server for the order of
// checks).
func (s *Server) RequestsWithoutKey() int { return int(s.others.Load()) }

// LoginsFollowed returns how many one-time codes the fake minted were redeemed at its
// login page: each is a login URL someone opened within the code's 60 seconds, and
// spent. Visits with unknown, spent or expired codes do not count. A client that
// follows the 303 makes this non-zero.
func (s *Server) LoginsFollowed() int { return int(s.follows.Load()) }

// hasKey reports whether r carries the fake's key, in constant time.
func (s *Server) hasKey(r *http.Request) bool {
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.APIKey)) == 1
}

// serveHTTP takes an API request through the checks in the order Server's
// documentation gives, then serves it, checking the answer against the spec before
// it leaves.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		panic(http.ErrAbortHandler) // closes the connection, which Close waits for
	}
	switch r.URL.Path {
	case loginPath:
		s.serveLogin(w, r)
		return
	case SpecPath:
		s.serveSpec(w, r)
		return
	}
	keyed := s.hasKey(r)
	if keyed {
		s.requests.Add(1)
	} else {
		s.others.Add(1)
	}
	if s.hooks.request != nil {
		s.hooks.request(r)
	}
	route, err := s.contract.Route(r)
	if err != nil {
		s.refuse(w, r, route, err)
		return
	}
	if !keyed {
		if err := s.contract.CheckCredentials(route); err != nil {
			s.refuse(w, r, route, err)
			return
		}
		s.respond(w, r, route, func(w http.ResponseWriter) {
			writeErrors(w, http.StatusUnauthorized, route.Operation, "Failed to authenticate user")
		})
		return
	}
	quota := s.limits.take(s.now())
	quota.setHeaders(w.Header())
	if quota.spent() {
		s.respond(w, r, route, func(w http.ResponseWriter) { quota.tooMany(w, route.Operation) })
		return
	}
	if err := checkHost(r.Host); err != nil {
		s.refuse(w, r, route, err)
		return
	}
	if err := readBody(w, r); err != nil {
		s.refuse(w, r, route, err)
		return
	}
	if err := s.contract.CheckRequest(route); err != nil {
		s.refuse(w, r, route, err)
		return
	}
	if f, ok := s.nextFault(); ok && f.answer(w, r, route.Operation) {
		return
	}
	status, err := preferredStatus(r.Header)
	switch {
	case err != nil:
		s.refuse(w, r, route, err)
	case status != 0 && !s.contract.Declares(route.Operation, status):
		s.refuse(w, r, route, s.undeclaredPreference(route.Operation, status))
	case status == http.StatusTooManyRequests:
		// A rate limit that ends in a second, so that a client that waits is not
		// held long.
		s.respond(w, r, route, func(w http.ResponseWriter) { quota.spentFor(time.Second).tooMany(w, route.Operation) })
	case status >= 400:
		s.respond(w, r, route, func(w http.ResponseWriter) {
			writeErrors(w, status, route.Operation, http.StatusText(status))
		})
	default:
		// A success status, or none: served as the fake knows the call.
		s.respond(w, r, route, func(w http.ResponseWriter) { s.serveOperation(w, r, route) })
	}
}

// maxRequestBytes bounds an API request's body: the largest the API takes is a
// certificate's PEM, a few KiB, so that 64 KiB is far above any real call, and a
// client (anyone holding the key of a fake listening off loopback) cannot make the
// fake hold a body of gigabytes in memory.
const maxRequestBytes = 64 << 10

// errTooLarge is wrapped by the refusal of a body larger than maxRequestBytes,
// answered 413.
var errTooLarge = fmt.Errorf("%w: the request body is larger than %d bytes (64 KiB), the most the fake reads: send the certificate's PEM alone", errCannotServe, maxRequestBytes)

// readBody reads r's body, at most maxRequestBytes of it, and puts it back for the
// checks and the operation; a larger one is errTooLarge, and the connection closes
// once answered.
func readBody(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > maxRequestBytes {
		return errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return errTooLarge
	case err != nil:
		return fmt.Errorf("%w: reading the request body: %w", errCannotServe, err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// respond records the fake's answer to a call of route, checks it against the spec,
// and sends it, or a 500 naming the violation when it breaks the spec. A status the
// operation does not declare is sent unchecked only when it is a rate limit's 429: the
// real API limits every endpoint, though the official descriptions declare 429 on
// the SSO operations alone, not on AuthenticateAccount.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, route contract.Route, answer func(http.ResponseWriter)) {
	rec := httptest.NewRecorder()
	for k, v := range w.Header() {
		rec.Header()[k] = v
	}
	answer(rec)
	err := s.contract.CheckResponse(route, rec.Code, rec.Header(), rec.Body.Bytes())
	exempt := rec.Code == http.StatusTooManyRequests && errors.Is(err, contract.ErrUndeclaredStatus)
	if err != nil && !exempt {
		s.drifted(w, r, route, rec.Code, err)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
