package ssotest

import (
	"crypto/tls"
	"net"
)

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

// WithListener makes the fake serve on l, in place of the listener httptest opens on
// a random loopback port: for a fixed address such as 127.0.0.1:8025, as
// sendgrid-sso-fake's --addr. The Server takes l over and closes it in Close; URL is
// "http://" + l.Addr().String().
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }

// WithTLS makes the fake serve HTTPS with cfg, as httptest.Server.StartTLS does: cfg
// must hold the server's certificate (Certificates), which the client must trust, as
// sendgrid-sso-fake's --tls gives it one signed by a CA of its own. URL is then
// "https://" + the address, and the login URLs of AuthenticateAccount's 303 are https
// too. A nil cfg serves plain HTTP, as without the option.
func WithTLS(cfg *tls.Config) Option { return func(s *Server) { s.tls = cfg } }
