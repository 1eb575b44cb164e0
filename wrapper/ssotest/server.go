package ssotest

import (
	"crypto/rand"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a server built without options.
const (
	// DefaultAPIKey is the key the fake accepts unless WithAPIKey says otherwise.
	DefaultAPIKey = "SG.ssotest-fake-api-key"
	// DefaultAccountID is the account the fake knows unless WithAccount adds others.
	DefaultAccountID = "sg2a2bcd3ef4ab5c67d8efab91c01de2fa"
	// DefaultCertificateID is the ID of DefaultCertificate.
	DefaultCertificateID = 66138975
)

//go:embed default_cert.pem
var defaultCertPEM string

// Certificate is a certificate the fake serves.
type Certificate struct {
	// ID is the certificate's ID; GET /v3/sso/certificates/{ID} serves it.
	ID int64
	// PublicCertificate is served as is: PEM or base64 DER.
	PublicCertificate string
	// NotBefore and NotAfter are served as unix seconds.
	NotBefore, NotAfter time.Time
	// IntegrationID is served as "intergration_id", the API's spelling.
	IntegrationID string
}

// DefaultCertificate returns the certificate a server serves when built without
// WithCertificate: a self-signed P-256 certificate for "idp.example.com".
// Its validity window is the certificate's own.
func DefaultCertificate() Certificate {
	return Certificate{
		ID:                DefaultCertificateID,
		PublicCertificate: defaultCertPEM,
		NotBefore:         defaultCert().NotBefore,
		NotAfter:          defaultCert().NotAfter,
		IntegrationID:     "b0b98502-9408-4b24-9e3d-31ed7cb15312",
	}
}

// defaultCert is the parsed default certificate.
var defaultCert = sync.OnceValue(func() *x509.Certificate {
	block, _ := pem.Decode([]byte(defaultCertPEM))
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic("ssotest: the embedded default certificate does not parse: " + err.Error())
	}
	return c
})

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the only API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.APIKey = key } }

// WithCertificate adds a certificate. The first use replaces DefaultCertificate.
func WithCertificate(c Certificate) Option {
	return func(s *Server) {
		if !s.customCerts {
			s.certs = map[int64]Certificate{}
			s.customCerts = true
		}
		s.certs[c.ID] = c
	}
}

// WithAccount adds an account ID. The first use replaces DefaultAccountID.
func WithAccount(id string) Option {
	return func(s *Server) {
		if !s.customAccounts {
			s.accounts = map[string]bool{}
			s.customAccounts = true
		}
		s.accounts[id] = true
	}
}

// Server is a running fake. Build it with NewServer and stop it with Close.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:port", for wrapper.WithBaseURL.
	URL string
	// APIKey is the key the fake accepts.
	APIKey string

	srv            *httptest.Server
	certs          map[int64]Certificate
	accounts       map[string]bool
	customCerts    bool
	customAccounts bool

	mu       sync.Mutex
	codes    map[string]bool // one-time codes minted and not yet used
	requests atomic.Int64
	follows  atomic.Int64
}

// NewServer starts a fake on a loopback port.
func NewServer(opts ...Option) *Server {
	s := &Server{
		APIKey:   DefaultAPIKey,
		certs:    map[int64]Certificate{DefaultCertificateID: DefaultCertificate()},
		accounts: map[string]bool{DefaultAccountID: true},
		codes:    map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close stops the server and blocks until its requests are done.
func (s *Server) Close() { s.srv.Close() }

// Requests returns how many API requests the fake has answered (login page visits
// not included).
func (s *Server) Requests() int { return int(s.requests.Load()) }

// LoginsFollowed returns how many times anyone requested a login URL the fake minted.
// A client that follows the 303 makes this non-zero.
func (s *Server) LoginsFollowed() int { return int(s.follows.Load()) }

// loginPath is where the fake's login URLs point.
const loginPath = "/login"

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if r.URL.Path == loginPath {
		s.follows.Add(1)
		s.serveLogin(w, r)
		return
	}
	s.requests.Add(1)
	switch {
	case len(segs) == 4 && segs[0] == "v3" && segs[1] == "sso" && segs[2] == "certificates":
		if r.Method != http.MethodGet {
			writeErrors(w, http.StatusMethodNotAllowed, "method not allowed", true)
			return
		}
		if !s.authorized(w, r) {
			return
		}
		s.serveCertificate(w, unescape(segs[3]))
	case len(segs) == 5 && segs[0] == "v3" && segs[1] == "partners" && segs[2] == "accounts" && segs[4] == "sso":
		if r.Method != http.MethodPost {
			writeErrors(w, http.StatusMethodNotAllowed, "method not allowed", false)
			return
		}
		if !s.authorized(w, r) {
			return
		}
		s.serveLoginRedirect(w, r, unescape(segs[3]))
	default:
		writeErrors(w, http.StatusNotFound, "No such endpoint", false)
	}
}

// authorized checks the bearer key and answers 401 when it is wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") == "Bearer "+s.APIKey {
		return true
	}
	writeErrors(w, http.StatusUnauthorized, "Failed to authenticate user", false)
	return false
}

func (s *Server) serveCertificate(w http.ResponseWriter, id string) {
	for _, c := range s.certs {
		if formatID(c.ID) == id {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"public_certificate": c.PublicCertificate,
				"id":                 c.ID,
				"not_before":         c.NotBefore.Unix(),
				"not_after":          c.NotAfter.Unix(),
				"intergration_id":    c.IntegrationID,
			})
			return
		}
	}
	writeErrors(w, http.StatusBadRequest, "invalid certificate id", true)
}

func (s *Server) serveLoginRedirect(w http.ResponseWriter, r *http.Request, account string) {
	if !s.accounts[account] {
		writeErrors(w, http.StatusNotFound, "account not found", false)
		return
	}
	code := newCode()
	s.mu.Lock()
	s.codes[code] = true
	s.mu.Unlock()
	w.Header().Set("Location", s.URL+loginPath+"?code="+code)
	w.WriteHeader(http.StatusSeeOther)
}

// serveLogin spends a code, as app.sendgrid.com would.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	s.mu.Lock()
	ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok {
		http.Error(w, "this login code is unknown or spent", http.StatusForbidden)
		return
	}
	_, _ = w.Write([]byte("logged in\n"))
}

// writeErrors answers with one error in either body shape: the bare array the SSO
// endpoints declare, or the {"errors": [...]} object.
func writeErrors(w http.ResponseWriter, status int, msg string, bare bool) {
	detail := map[string]any{"message": msg, "field": nil, "error_id": errorID(status)}
	var body any = map[string]any{"errors": []any{detail}}
	if bare {
		body = []any{detail}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func errorID(status int) string { return "10-" + strconv.Itoa(status) + "00" }

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func unescape(seg string) string {
	s, err := url.PathUnescape(seg)
	if err != nil {
		return seg
	}
	return s
}

func newCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
