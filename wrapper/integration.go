package wrapper

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
)

// Integration is one SSO (SAML) integration of the account.
type Integration struct {
	// ID is the integration's ID: the integrationID of ListSSOCertificates and
	// CreateSSOCertificate.
	ID string
	// Name is the integration's name.
	Name string
	// Enabled reports whether the integration is enabled.
	Enabled bool
	// EntityID is the IdP's issuer, what SendGrid's UI calls the "SAML Issuer ID".
	EntityID string
	// SigninURL is the IdP's SAML POST endpoint; SignoutURL is where a user who logs
	// out returns to the IdP.
	SigninURL, SignoutURL string
	// Completed reports whether the integration's setup is complete.
	Completed bool
	// LastUpdated is when the integration last changed: time.Unix of the API's unix
	// seconds, or the zero Time when the API sent 0.
	LastUpdated time.Time
	// SingleSignOnURL is where the IdP posts its SAML response; AudienceURL is the
	// audience the IdP asserts (SendGrid gives both the same value).
	SingleSignOnURL, AudienceURL string
}

// ListSSOIntegrations lists the account's SSO integrations (GET
// /v3/sso/integrations?si=true, so that Completed is filled in). A non-200 answer is
// an *APIError; 429, 5xx and connection errors are retried (see WithMaxRetries).
func (c *Client) ListSSOIntegrations(ctx context.Context) ([]Integration, error) {
	var out []Integration
	err := c.do(ctx, opListIntegrations, "", func(ctx context.Context) (*http.Response, error) {
		return c.gen.ListSsoIntegration(ctx, &gen.ListSsoIntegrationParams{Si: true})
	}, func(res result) error {
		var list []gen.SSOIntegration
		if err := json.Unmarshal(res.body, &list); err != nil {
			return invalidResponse("the 200 body is not a list of integrations: %w (body \"%s\")", err, c.redact.text(string(res.body), bodyExcerptLen))
		}
		out = make([]Integration, len(list))
		for i, m := range list {
			out[i] = Integration{
				ID: m.ID, Name: m.Name, Enabled: m.Enabled, EntityID: m.EntityID,
				SigninURL: m.SigninURL, SignoutURL: m.SignoutURL, Completed: m.CompletedIntegration,
				LastUpdated:     unixTime(m.LastUpdated),
				SingleSignOnURL: m.SingleSignonURL, AudienceURL: m.AudienceURL,
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListSSOCertificates lists the certificates of the integration integrationID (GET
// /v3/sso/integrations/{integration_id}/certificates). An ID that is empty, "." or ".."
// is refused before any request. A non-200 answer is an *APIError; 429, 5xx and
// connection errors are retried (see WithMaxRetries).
func (c *Client) ListSSOCertificates(ctx context.Context, integrationID string) ([]Certificate, error) {
	if err := checkID("integration", integrationID); err != nil {
		return nil, err
	}
	var out []Certificate
	err := c.do(ctx, opListCertificates, integrationID, func(ctx context.Context) (*http.Response, error) {
		return c.gen.ListSsoIntegrationCertificate(ctx, integrationID)
	}, func(res result) error {
		var list []gen.SSOCertificate
		if err := json.Unmarshal(res.body, &list); err != nil {
			return invalidResponse("the 200 body is not a list of certificates: %w (body \"%s\")", err, c.redact.text(string(res.body), bodyExcerptLen))
		}
		out = make([]Certificate, len(list))
		for i, m := range list {
			out[i] = certificateOf(m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errNoCertificate is returned by CreateSSOCertificate for a nil certificate.
var errNoCertificate = errors.New("sendgrid: CreateSSOCertificate: the certificate is nil; pass the IdP's parsed certificate (x509.ParseCertificate)")

// CreateSSOCertificate adds cert to the integration integrationID, enabled (POST
// /v3/sso/certificates), and returns the certificate as the API stored it. cert is
// sent as PEM of its Raw bytes; a PEM text from an IdP's metadata becomes one with
// pem.Decode and x509.ParseCertificate, which also checks it before anything is
// sent. A nil cert, and an integration ID that is empty, "." or "..", are refused
// before any request. A non-200 answer is an *APIError. The call creates state, so
// only 429 is retried: after a 5xx or a lost connection the certificate may already
// exist (list it with ListSSOCertificates).
func (c *Client) CreateSSOCertificate(ctx context.Context, integrationID string, cert *x509.Certificate) (*Certificate, error) {
	if err := checkID("integration", integrationID); err != nil {
		return nil, err
	}
	if cert == nil || len(cert.Raw) == 0 {
		return nil, errNoCertificate
	}
	body := gen.CreateSSOCertificateRequest{
		PublicCertificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		IntegrationID:     integrationID,
		Enabled:           true,
	}
	var created *Certificate
	err := c.do(ctx, opCreateCertificate, integrationID, func(ctx context.Context) (*http.Response, error) {
		return c.gen.CreateSsoCertificate(ctx, body)
	}, func(res result) (err error) {
		created, err = decodeCertificate(res.body, c.redact)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}
