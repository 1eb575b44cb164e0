package wrapper

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
	"github.com/sendgrid-sso/sendgrid-sso/internal/certtext"
)

// Certificate is one SSO (SAML) certificate of an integration.
type Certificate struct {
	// ID is the certificate's ID.
	ID int64
	// PublicCertificate is the IdP's X.509 certificate as the API returns it: PEM, or
	// bare base64 DER. X509 parses it.
	PublicCertificate string
	// NotBefore and NotAfter bound the validity window: time.Unix of the API's unix
	// seconds, or the zero Time when the API sent none (or 0: no SSO certificate is
	// valid from 1970, and the generated model reads an absent number as 0).
	NotBefore, NotAfter time.Time
	// IntegrationID is the ID of the SSO integration the certificate belongs to. The
	// API spells the field "intergration_id"; "integration_id" is read too.
	IntegrationID string
}

// GetSSOCertificate fetches the certificate certID (GET /v3/sso/certificates/{cert_id}).
// An ID that is empty, "." or ".." is refused before any request. A non-200 answer is
// an *APIError; 429, 5xx and connection errors are retried (see WithMaxRetries).
func (c *Client) GetSSOCertificate(ctx context.Context, certID string) (*Certificate, error) {
	if err := checkID("certificate", certID); err != nil {
		return nil, err
	}
	var cert *Certificate
	err := c.do(ctx, opGetCertificate, certID, func(ctx context.Context) (*http.Response, error) {
		return c.gen.GetSsoCertificate(ctx, certID)
	}, func(res result) (err error) {
		cert, err = decodeCertificate(res.body, c.redact)
		return err
	})
	if err != nil {
		return nil, err
	}
	return cert, nil
}

// decodeCertificate reads a 200 body through the generated model. Its error quotes
// an excerpt of the body, made safe by r.
func decodeCertificate(body []byte, r redactor) (*Certificate, error) {
	var m gen.SSOCertificate
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, invalidResponse("the 200 body is not a certificate: %w (body \"%s\")", err, r.text(string(body), bodyExcerptLen))
	}
	c := certificateOf(m)
	return &c, nil
}

// certificateOf is the Certificate of a generated model: either spelling of the
// integration ID, and the zero Time for an absent or 0 time.
func certificateOf(m gen.SSOCertificate) Certificate {
	c := Certificate{
		ID:                m.ID,
		PublicCertificate: m.PublicCertificate,
		IntegrationID:     m.IntegrationID,
		NotBefore:         unixTime(m.NotBefore),
		NotAfter:          unixTime(m.NotAfter),
	}
	if c.IntegrationID == "" {
		c.IntegrationID = m.IntergrationID
	}
	return c
}

// unixTime is time.Unix of the API's unix seconds, or the zero Time for 0: the
// generated models read an absent number as 0, and no SSO time is from 1970.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// X509 parses PublicCertificate, PEM ("-----BEGIN CERTIFICATE-----") or bare base64
// DER, white space and escaped "\n" sequences allowed.
func (c Certificate) X509() (*x509.Certificate, error) {
	der, err := certtext.DER(c.PublicCertificate)
	if errors.Is(err, certtext.ErrEmpty) {
		return nil, fmt.Errorf("sendgrid: certificate %d has no public_certificate", c.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("sendgrid: certificate %d: public_certificate: %w", c.ID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("sendgrid: certificate %d: parsing public_certificate: %w", c.ID, err)
	}
	return cert, nil
}
