package wrapper

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/gen"
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
	c := &Certificate{
		ID:                m.ID,
		PublicCertificate: m.PublicCertificate,
		IntegrationID:     m.IntegrationID,
	}
	if c.IntegrationID == "" {
		c.IntegrationID = m.IntergrationID
	}
	if m.NotBefore != 0 {
		c.NotBefore = time.Unix(m.NotBefore, 0)
	}
	if m.NotAfter != 0 {
		c.NotAfter = time.Unix(m.NotAfter, 0)
	}
	return c, nil
}

// X509 parses PublicCertificate, PEM ("-----BEGIN CERTIFICATE-----") or bare base64
// DER, white space and escaped "\n" sequences allowed.
func (c Certificate) X509() (*x509.Certificate, error) {
	der, err := certificateDER(c.PublicCertificate)
	if errors.Is(err, errNoCertificateText) {
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

// errNoCertificateText is certificateDER's error for a text that is empty or only
// white space.
var errNoCertificateText = errors.New("empty")

// PEM armour of a certificate.
const (
	pemBegin = "-----BEGIN CERTIFICATE-----"
	pemEnd   = "-----END CERTIFICATE-----"
)

// certificateDER decodes a certificate's text as the API and IdP metadata carry it:
// PEM (the first CERTIFICATE block, its armour on lines of its own or not), or bare
// base64 DER, padded or not. White space and escaped "\n" sequences are ignored.
func certificateDER(text string) ([]byte, error) {
	s := strings.TrimSpace(strings.ReplaceAll(text, `\n`, "\n"))
	if s == "" {
		return nil, errNoCertificateText
	}
	if strings.Contains(s, "-----BEGIN") {
		_, body, begun := strings.Cut(s, pemBegin)
		body, _, ended := strings.Cut(body, pemEnd)
		if !begun || !ended {
			return nil, errors.New("no PEM CERTIFICATE block")
		}
		s = body
	}
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	der, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		if der, err = base64.RawStdEncoding.DecodeString(compact); err != nil {
			return nil, fmt.Errorf("neither PEM nor base64 DER: %w", err)
		}
	}
	return der, nil
}
