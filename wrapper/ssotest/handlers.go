package ssotest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

// Operation IDs of the spec, which the fake serves.
const (
	opGetCertificate = "GetSsoCertificate"
	opAuthenticate   = "AuthenticateAccount"

	opListIntegrations            = "ListSsoIntegration"
	opListIntegrationCertificates = "ListSsoIntegrationCertificate"
	opCreateCertificate           = "CreateSsoCertificate"
)

// serveOperation answers a request that the spec allows, with the fake's key.
func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request, route contract.Route) {
	switch route.Operation {
	case opGetCertificate:
		s.serveCertificate(w, route.Params["cert_id"])
	case opAuthenticate:
		s.serveLoginRedirect(w, r, route.Params["accountID"])
	case opListIntegrations:
		s.serveIntegrations(w, r)
	case opListIntegrationCertificates:
		s.serveIntegrationCertificates(w, route.Params["integration_id"])
	case opCreateCertificate:
		s.serveCreateCertificate(w, r)
	default:
		writeErrors(w, http.StatusNotFound, route.Operation, "ssotest: the fake does not serve operation "+route.Operation)
	}
}

func (s *Server) serveCertificate(w http.ResponseWriter, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	s.mu.Lock()
	c, ok := s.certs[n]
	s.mu.Unlock()
	if err != nil || !ok || strconv.FormatInt(n, 10) != id {
		writeErrors(w, http.StatusBadRequest, opGetCertificate, "invalid certificate id")
		return
	}
	writeJSON(w, http.StatusOK, c.wire())
}

// serveLoginRedirect mints a code and answers 303 to the fake's login page, on the
// scheme and host the client addressed (127.0.0.1 or localhost), as SendGrid's
// Location is on a host the client trusts. The Host was checked when the request arrived (checkHost).
func (s *Server) serveLoginRedirect(w http.ResponseWriter, r *http.Request, account string) {
	if !s.accounts[account] {
		writeErrors(w, http.StatusNotFound, opAuthenticate, "account not found")
		return
	}
	code := s.mint()
	w.Header().Set("Location", loginURL(r, code))
	w.WriteHeader(http.StatusSeeOther)
}

// writeErrors answers with one error in the body shape the official description gives
// the operation: a bare array for the SSO operations (those of the official SSO
// description), {"errors": [...]} for AuthenticateAccount.
// Every error carries message, field and error_id, field as the empty string: the
// official account-provisioning description (AuthenticateAccount) requires all three,
// field a string, and its examples send ""; the SSO description allows "" too.
func writeErrors(w http.ResponseWriter, status int, operation, msg string) {
	details := []errorDetail{{ErrorID: "10-" + strconv.Itoa(status) + "00", Message: msg}}
	if operation != opAuthenticate {
		writeJSON(w, status, details)
		return
	}
	writeJSON(w, status, errorsEnvelope{details})
}

// errorDetail is one error of an error body, its fields in the order the fake has
// always sent them.
type errorDetail struct {
	ErrorID string `json:"error_id"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// errorsEnvelope is the {"errors": [...]} error body.
type errorsEnvelope struct {
	Errors []errorDetail `json:"errors"`
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
