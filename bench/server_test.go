package bench

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

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
// itself, a wrong key → 401. Every answer carries the X-RateLimit-* headers the API
// sends. conns counts the connections it accepted.
type server struct {
	*httptest.Server
	conns atomic.Int64
}

// newServer starts a server, closed when tb ends.
func newServer(tb testing.TB) *server {
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
	jsonType := []string{"application/json"}
	rate := [][]string{{"600"}, {"599"}, {strconv.FormatInt(cert.NotAfter.Unix(), 10)}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Ratelimit-Limit"], h["X-Ratelimit-Remaining"], h["X-Ratelimit-Reset"] = rate[0], rate[1], rate[2]
		if r.Header.Get("Authorization") != auth {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			h["Location"] = location
			w.WriteHeader(http.StatusSeeOther)
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
	s.Start()
	location = []string{s.URL + "/login?code=" + loginCode}
	tb.Cleanup(s.Close)
	return s
}
