package ssotest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/api"
)

// Server is a running fake. Build it with NewServer and stop it with Close.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:port", for wrapper.WithBaseURL.
	URL string
	// APIKey is the key the fake accepts.
	APIKey string

	srv            *httptest.Server
	contract       *Contract
	spec           []byte
	certs          map[int64]Certificate
	accounts       map[string]bool
	customCerts    bool
	customAccounts bool
	listener       net.Listener // from WithListener, or nil

	mu       sync.Mutex
	codes    map[string]time.Time // one-time codes minted and not yet used, with their expiry
	faults   []Fault              // what the next calls answer, first first
	badReqs  []Violation
	badResps []Violation
	requests atomic.Int64
	follows  atomic.Int64
}

// NewServer starts a fake on a loopback port. It panics if the spec (api.Spec(), or
// the one given to WithSpec) does not load, as httptest.NewServer panics when it
// cannot listen.
func NewServer(opts ...Option) *Server {
	s := &Server{
		APIKey:   DefaultAPIKey,
		certs:    map[int64]Certificate{DefaultCertificateID: DefaultCertificate()},
		accounts: map[string]bool{DefaultAccountID: true},
		codes:    map[string]time.Time{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.spec == nil {
		s.spec = api.Spec()
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if s.listener != nil {
		_ = s.srv.Listener.Close()
		s.srv.Listener = s.listener
	}
	s.URL = "http://" + s.srv.Listener.Addr().String()
	c, err := NewContract(s.spec, s.URL)
	if err != nil {
		s.srv.Close()
		panic(err.Error())
	}
	s.contract = c
	s.srv.Start()
	return s
}

// Close stops the server and blocks until its requests are done.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests the fake has received, valid or not (login
// page visits not included).
func (s *Server) Requests() int { return int(s.requests.Load()) }

// LoginsFollowed returns how many times anyone requested a login URL the fake minted.
// A client that follows the 303 makes this non-zero.
func (s *Server) LoginsFollowed() int { return int(s.follows.Load()) }

// serveHTTP checks the request against the spec, applies a pending fault, serves the
// operation, and checks the answer against the spec before it leaves.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == loginPath {
		s.follows.Add(1)
		s.serveLogin(w, r)
		return
	}
	s.requests.Add(1)
	route, err := s.contract.CheckRequest(r)
	if err != nil {
		s.refuse(w, r, route, err)
		return
	}
	if f, ok := s.nextFault(); ok && f.answer(w, r, route.Operation) {
		return
	}
	rec := httptest.NewRecorder()
	s.serveOperation(rec, r, route)
	if err := s.contract.CheckResponse(r, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		s.drifted(w, r, route, rec.Code, err)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
