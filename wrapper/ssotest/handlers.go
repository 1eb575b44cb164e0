package ssotest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
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
	if r.Header.Get("Authorization") != "Bearer "+s.APIKey {
		writeErrors(w, http.StatusUnauthorized, route.Operation, "Failed to authenticate user")
		return
	}
	switch route.Operation {
	case opGetCertificate:
		s.serveCertificate(w, route.Params["cert_id"])
	case opAuthenticate:
		s.serveLoginRedirect(w, route.Params["accountID"])
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

func (s *Server) serveLoginRedirect(w http.ResponseWriter, account string) {
	if !s.accounts[account] {
		writeErrors(w, http.StatusNotFound, opAuthenticate, "account not found")
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
