package ssotest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// loginPath is where the fake's login URLs point.
const loginPath = "/login"

// Operation IDs of the spec, which the fake serves.
const (
	opGetCertificate = "GetSsoCertificate"
	opAuthenticate   = "AuthenticateAccount"
)

// serveOperation answers a request that the spec allows.
func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request, route Route) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.APIKey)) != 1 {
		writeErrors(w, http.StatusUnauthorized, route.Operation, "Failed to authenticate user")
		return
	}
	switch route.Operation {
	case opGetCertificate:
		s.serveCertificate(w, route.Params["cert_id"])
	case opAuthenticate:
		s.serveLoginRedirect(w, r, route.Params["accountID"])
	default:
		writeErrors(w, http.StatusNotFound, route.Operation, "ssotest: the fake does not serve operation "+route.Operation)
	}
}

func (s *Server) serveCertificate(w http.ResponseWriter, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	c, ok := s.certs[n]
	if err != nil || !ok || strconv.FormatInt(n, 10) != id {
		writeErrors(w, http.StatusBadRequest, opGetCertificate, "invalid certificate id")
		return
	}
	writeJSON(w, http.StatusOK, c.wire())
}

// codeValidity is how long a minted login code can be used, as with SendGrid.
const codeValidity = 60 * time.Second

// serveLoginRedirect mints a code and answers 303 to the fake's login page, on the host
// the client addressed (127.0.0.1 or localhost), as SendGrid's Location is on a host
// the client trusts.
func (s *Server) serveLoginRedirect(w http.ResponseWriter, r *http.Request, account string) {
	if !s.accounts[account] {
		writeErrors(w, http.StatusNotFound, opAuthenticate, "account not found")
		return
	}
	code := newCode()
	now := time.Now()
	s.mu.Lock()
	for c, expires := range s.codes {
		if now.After(expires) {
			delete(s.codes, c)
		}
	}
	s.codes[code] = now.Add(codeValidity)
	s.mu.Unlock()
	w.Header().Set("Location", "http://"+r.Host+loginPath+"?code="+code)
	w.WriteHeader(http.StatusSeeOther)
}

// serveLogin spends a code, as app.sendgrid.com would: once, within 60 seconds.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	s.mu.Lock()
	expires, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok || time.Now().After(expires) {
		http.Error(w, "this login code is unknown, spent or expired", http.StatusForbidden)
		return
	}
	_, _ = w.Write([]byte("logged in\n"))
}

// writeErrors answers with one error in the body shape the official description gives
// the operation: a bare array for GetSsoCertificate, {"errors": [...]} otherwise.
func writeErrors(w http.ResponseWriter, status int, operation, msg string) {
	detail := map[string]any{"message": msg, "field": nil, "error_id": "10-" + strconv.Itoa(status) + "00"}
	var body any = map[string]any{"errors": []any{detail}}
	if operation == opGetCertificate {
		body = []any{detail}
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func newCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
