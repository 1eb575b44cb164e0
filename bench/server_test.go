package bench

import (
	"encoding/json"
	"html"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// key is the API key every implementation sends and the server expects.
const key = "SG.bench-key-0123456789abcdef"

// loginCode is the one-time code in the server's 303.
const loginCode = "0123456789abcdef0123456789abcdef"

// server is a loopback server that answers like the API from bytes built once, so
// that its share of each call's cost (it runs in the same process, and the
// allocation counters see it) is small and the same for every implementation: GET →
// 200 and the default certificate of package ssotest, POST → 303 to a login URL on
// itself with a short HTML body that links to it (SendGrid's 303 has a body; Go's
// http.Redirect writes this one for a GET), a wrong key → 401. Every answer carries
// the X-RateLimit-* headers the API sends. conns counts the connections it accepted,
// protoMajor is the HTTP major version of the last request. While gate is set,
// requests wait in it (see holdUntil).
type server struct {
	*httptest.Server
	conns      atomic.Int64
	protoMajor atomic.Int32
	gate       atomic.Pointer[gate]
}

// gate holds requests until n have arrived; later ones pass.
type gate struct {
	n       int64
	arrived atomic.Int64
	all     chan struct{} // closed when the n-th arrives
}

// holdUntil makes the server hold each request until n are in flight at once, while
// calls runs; a burst of n callers then opens the connections it would open at its
// busiest. A request waits at most 10s (an implementation that cannot send n at
// once), so that a benchmark never hangs.
func (s *server) holdUntil(n int, calls func()) {
	s.gate.Store(&gate{n: int64(n), all: make(chan struct{})})
	defer s.gate.Store(nil)
	calls()
}

// wait holds a request in the gate, if one is set.
func (s *server) wait() {
	g := s.gate.Load()
	if g == nil {
		return
	}
	switch k := g.arrived.Add(1); {
	case k == g.n:
		close(g.all)
	case k < g.n:
		select {
		case <-g.all:
		case <-time.After(10 * time.Second):
		}
	}
}

// newServer starts a plain HTTP server, closed when tb ends.
func newServer(tb testing.TB) *server {
	tb.Helper()
	return startServer(tb, (*httptest.Server).Start)
}

// newTLSServer starts a TLS server with httptest's certificate, closed when tb ends;
// h2 says whether it offers HTTP/2 (else HTTP/1.1 only).
func newTLSServer(tb testing.TB, h2 bool) *server {
	tb.Helper()
	return startServer(tb, func(s *httptest.Server) {
		s.EnableHTTP2 = h2
		s.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS handshakes cut short at Close
		s.StartTLS()
	})
}

// startServer builds the server and starts it with start.
func startServer(tb testing.TB, start func(*httptest.Server)) *server {
	tb.Helper()
	cert := ssotest.DefaultCertificate()
	body, err := json.Marshal(map[string]any{
		"public_certificate": cert.PublicCertificate,
		"id":                 cert.ID,
		"not_before":         cert.NotBefore.Unix(),
		"not_after":          cert.NotAfter.Unix(),
		"intergration_id":    cert.IntegrationID,
	})
	if err != nil {
		tb.Fatal(err)
	}
	s := &server{}
	auth := "Bearer " + key
	var location []string // set once the URL is known
	var redirectBody []byte
	jsonType := []string{"application/json"}
	htmlType := []string{"text/html; charset=utf-8"}
	rate := [][]string{{"600"}, {"599"}, {strconv.FormatInt(cert.NotAfter.Unix(), 10)}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.protoMajor.Store(int32(r.ProtoMajor))
		s.wait()
		h := w.Header()
		h["X-Ratelimit-Limit"], h["X-Ratelimit-Remaining"], h["X-Ratelimit-Reset"] = rate[0], rate[1], rate[2]
		if r.Header.Get("Authorization") != auth {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			h["Location"], h["Content-Type"] = location, htmlType
			w.WriteHeader(http.StatusSeeOther)
			_, _ = w.Write(redirectBody)
			return
		}
		h["Content-Type"] = jsonType
		_, _ = w.Write(body)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	start(s.Server)
	location = []string{s.URL + "/login?code=" + loginCode}
	redirectBody = []byte("<a href=\"" + html.EscapeString(location[0]) + "\">See Other</a>.\n")
	tb.Cleanup(s.Close)
	return s
}
