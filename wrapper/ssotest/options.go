package ssotest

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the only API key the fake accepts, in place of the fresh random
// key each server makes. Tests that run side by side are best served by the random
// keys: a request meant for another fake cannot authenticate at this one.
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

// WithSpec makes the fake check requests and responses against spec (an OpenAPI 3
// document, YAML or JSON) instead of the module's own api.Spec(): to try a newer
// revision of the document, or to show that a change to it breaks the fake's answers.
// NewServer panics if spec does not load.
func WithSpec(spec []byte) Option {
	return func(s *Server) { s.spec = spec }
}
