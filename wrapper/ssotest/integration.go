package ssotest

import (
	"cmp"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/certtext"
)

// DefaultIntegrationID is the ID of DefaultIntegration, and the integration
// DefaultCertificate belongs to.
const DefaultIntegrationID = "b0b98502-9408-4b24-9e3d-31ed7cb15312"

// MaxCreatedCertificates is how many certificates one server creates through
// CreateSsoCertificate in its life; the next is refused with 400. It bounds the memory a
// long-running fake (sendgrid-sso-fake) can be made to hold. Certificates given with
// WithCertificate do not count.
const MaxCreatedCertificates = 100

// Integration is an SSO integration the fake serves (ListSsoIntegration). Its
// certificates are the Certificates whose IntegrationID is its ID.
type Integration struct {
	// ID is the integration's ID, the integration_id of its certificates.
	ID string
	// Name, EntityID, SigninURL, SignoutURL, SingleSignonURL and AudienceURL are
	// served as they are.
	Name, EntityID, SigninURL, SignoutURL, SingleSignonURL, AudienceURL string
	// Enabled is served as "enabled"; Completed as "completed_integration", sent only
	// when the request asks with si=true.
	Enabled, Completed bool
	// LastUpdated is served as unix seconds.
	LastUpdated time.Time
}

// DefaultIntegration returns the integration a server serves when built without
// WithIntegration: the official description's example, DefaultCertificate's
// integration.
func DefaultIntegration() Integration {
	const sso = "https://api.sendgrid.com/v3/public/sso/saml/response/id/" + DefaultIntegrationID
	return Integration{
		ID:              DefaultIntegrationID,
		Name:            "Twilio SendGrid",
		Enabled:         true,
		Completed:       true,
		EntityID:        "http://www.okta.com/${org.externalKey}",
		SigninURL:       "https://example.okta.com/home/examplecompany/yokpGWsmpRUcuvXFb4x6/nfaVADNhuHvvReAEV4x6",
		SignoutURL:      "https://example.okta.com/login/signout?fromURI=exampleappurl",
		LastUpdated:     time.Unix(1621288520, 0),
		SingleSignonURL: sso,
		AudienceURL:     sso,
	}
}

// WithIntegration adds an integration, or replaces the one with its ID in its place. The first use
// replaces DefaultIntegration. Certificates belong to it by their IntegrationID
// (WithCertificate).
func WithIntegration(i Integration) Option {
	return func(s *Server) {
		if !s.customIntegrations {
			s.integrations = nil
			s.customIntegrations = true
		}
		if at := slices.IndexFunc(s.integrations, func(o Integration) bool { return o.ID == i.ID }); at >= 0 {
			s.integrations[at] = i
			return
		}
		s.integrations = append(s.integrations, i)
	}
}

// wire is the integration as the API's 200 body carries it; completed_integration
// only when asked for.
func (i Integration) wire(completed bool) map[string]any {
	m := map[string]any{
		"id":                i.ID,
		"name":              i.Name,
		"enabled":           i.Enabled,
		"entity_id":         i.EntityID,
		"signin_url":        i.SigninURL,
		"signout_url":       i.SignoutURL,
		"last_updated":      i.LastUpdated.Unix(),
		"single_signon_url": i.SingleSignonURL,
		"audience_url":      i.AudienceURL,
	}
	if completed {
		m["completed_integration"] = i.Completed
	}
	return m
}

// integration returns the integration id, if the fake knows it.
func (s *Server) integration(id string) (Integration, bool) {
	i := slices.IndexFunc(s.integrations, func(i Integration) bool { return i.ID == id })
	if i < 0 {
		return Integration{}, false
	}
	return s.integrations[i], true
}

// serveIntegrations answers ListSsoIntegration, in the order the integrations were
// given.
func (s *Server) serveIntegrations(w http.ResponseWriter, r *http.Request) {
	completed := r.URL.Query().Get("si") == "true"
	out := make([]map[string]any, 0, len(s.integrations))
	for _, i := range s.integrations {
		out = append(out, i.wire(completed))
	}
	writeJSON(w, http.StatusOK, out)
}

// serveIntegrationCertificates answers ListSsoIntegrationCertificate: the
// integration's certificates by ID, or 400 for an integration the fake does not know
// (the operation declares no 404).
func (s *Server) serveIntegrationCertificates(w http.ResponseWriter, id string) {
	if _, ok := s.integration(id); !ok {
		writeErrors(w, http.StatusBadRequest, opListIntegrationCertificates, "invalid integration id")
		return
	}
	s.mu.Lock()
	var certs []Certificate
	for _, c := range s.certs {
		if c.IntegrationID == id {
			certs = append(certs, c)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(certs, func(a, b Certificate) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]map[string]any, 0, len(certs))
	for _, c := range certs {
		out = append(out, c.wire())
	}
	writeJSON(w, http.StatusOK, out)
}

// createRequest is CreateSsoCertificate's body; the spec checked it before it got here.
type createRequest struct {
	PublicCertificate string `json:"public_certificate"`
	IntegrationID     string `json:"integration_id"`
}

// serveCreateCertificate answers CreateSsoCertificate: it parses the certificate for
// its validity window, gives it the next free ID, and keeps it, so that
// GetSsoCertificate and ListSsoIntegrationCertificate serve it afterwards. An unknown
// integration, a certificate that does not parse, and a server that has created
// MaxCreatedCertificates already are answered 400.
func (s *Server) serveCreateCertificate(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeErrors(w, http.StatusBadRequest, opCreateCertificate, "invalid request body")
		return
	}
	if _, ok := s.integration(req.IntegrationID); !ok {
		writeErrors(w, http.StatusBadRequest, opCreateCertificate, "invalid integration id")
		return
	}
	der, err := certtext.DER(req.PublicCertificate)
	var parsed *x509.Certificate
	if err == nil {
		parsed, err = x509.ParseCertificate(der)
	}
	if err != nil {
		writeErrors(w, http.StatusBadRequest, opCreateCertificate, "invalid public certificate")
		return
	}
	s.mu.Lock()
	if s.created >= MaxCreatedCertificates {
		s.mu.Unlock()
		writeErrors(w, http.StatusBadRequest, opCreateCertificate, "ssotest: this fake has created its limit of certificates")
		return
	}
	s.created++
	c := Certificate{
		ID:                s.nextCertificateID(),
		PublicCertificate: req.PublicCertificate,
		NotBefore:         parsed.NotBefore,
		NotAfter:          parsed.NotAfter,
		IntegrationID:     req.IntegrationID,
	}
	s.certs[c.ID] = c
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, c.wire())
}

// nextCertificateID is one more than the largest ID held. The caller holds s.mu.
func (s *Server) nextCertificateID() int64 {
	var top int64
	for id := range s.certs {
		if id > top {
			top = id
		}
	}
	return top + 1
}
