package cli

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

var certCommand = &command{
	name:     "cert",
	synopsis: "[--json] [--pem] CERT_ID",
	summary:  "show an SSO certificate and when it expires",
	about: `Fetches the SSO (SAML) certificate CERT_ID and prints its ID, its integration ID,
its validity window (RFC 3339, with how long is left in plain words) and, parsed from
the certificate itself, its subject, issuer, serial and SHA-256 fingerprint.

The validity window is the API's not_before and not_after; when the API sends none,
the certificate's own.

--json prints one JSON object instead: id (a number), integration_id, not_before and
not_after (RFC 3339), expires_in_seconds (a number, negative once expired), status
(valid, expired or not yet valid), remaining (plain words), subject, issuer, serial
(hex), sha256_fingerprint (colon-separated hex, as openssl prints it) and
public_certificate (PEM).

--pem prints the certificate alone, as PEM, for piping:
  sendgrid-sso cert --pem 66138975 | openssl x509 -noout -text`,
	args: []string{"CERT_ID"},
	setup: func(fs *flag.FlagSet) runFunc {
		asJSON := fs.Bool("json", false, "print one JSON object")
		asPEM := fs.Bool("pem", false, "print the certificate alone, as PEM")
		return func(ctx context.Context, g *globals, args []string) error {
			if *asJSON && *asPEM {
				return &UsageError{Err: errors.New("--json and --pem exclude each other: pick one")}
			}
			view, err := fetchCertificate(ctx, g, args[0])
			if err != nil {
				return err
			}
			switch {
			case *asPEM:
				// Re-encoded from the parsed DER: nothing else the server sent.
				_, err = io.WriteString(g.stdout, view.PEM)
			case *asJSON:
				err = view.writeJSON(g.stdout)
			default:
				err = view.WriteText(g.stdout)
			}
			if err != nil {
				return &outputError{fmt.Errorf("writing the certificate to stdout: %w", err)}
			}
			return nil
		}
	},
}

// CertView is what cert shows of a certificate, in text or as JSON.
type CertView struct {
	ID                int64     `json:"id"`
	IntegrationID     string    `json:"integration_id"`
	NotBefore         time.Time `json:"not_before"`
	NotAfter          time.Time `json:"not_after"`
	ExpiresInSeconds  int64     `json:"expires_in_seconds"`
	Status            string    `json:"status"`
	Remaining         string    `json:"remaining"`
	Subject           string    `json:"subject"`
	Issuer            string    `json:"issuer"`
	Serial            string    `json:"serial"`
	SHA256Fingerprint string    `json:"sha256_fingerprint"`
	PEM               string    `json:"public_certificate"`
}

// fetchCertificate gets the certificate id and describes it as of now.
func fetchCertificate(ctx context.Context, g *globals, id string) (*CertView, error) {
	cert, err := callAPI(ctx, g, func(ctx context.Context, c *wrapper.Client) (*wrapper.Certificate, error) {
		return c.GetSSOCertificate(ctx, id)
	})
	if err != nil {
		return nil, err
	}
	return NewCertView(cert, time.Now())
}

// NewCertView describes cert as of now. A public certificate that does not parse
// is an invalid response (errors.Is wrapper.ErrInvalidResponse).
func NewCertView(cert *wrapper.Certificate, now time.Time) (*CertView, error) {
	x, err := cert.X509()
	if err != nil {
		return nil, invalidResponse{err}
	}
	notBefore, notAfter := cert.NotBefore, cert.NotAfter
	if notBefore.IsZero() {
		notBefore = x.NotBefore
	}
	if notAfter.IsZero() {
		notAfter = x.NotAfter
	}
	status, remaining := validity(now, notBefore, notAfter)
	fp := sha256.Sum256(x.Raw)
	return &CertView{
		ID:                cert.ID,
		IntegrationID:     cert.IntegrationID,
		NotBefore:         notBefore.UTC(),
		NotAfter:          notAfter.UTC(),
		ExpiresInSeconds:  int64(notAfter.Sub(now) / time.Second),
		Status:            status,
		Remaining:         remaining,
		Subject:           x.Subject.String(),
		Issuer:            x.Issuer.String(),
		Serial:            serialHex(x),
		SHA256Fingerprint: colonHex(fp[:]),
		PEM:               string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: x.Raw})),
	}, nil
}

// WriteText writes v as cert prints it: one "label  value" line per field, escaped
// for the terminal (the integration ID, the subject and the issuer are anyone's text).
func (v *CertView) WriteText(w io.Writer) error {
	return writeLines(w,
		fmt.Sprintf("certificate  %d", v.ID),
		"integration  "+v.IntegrationID,
		"valid from   "+v.NotBefore.Format(time.RFC3339),
		"valid until  "+v.NotAfter.Format(time.RFC3339)+" ("+v.Remaining+")",
		"subject      "+v.Subject,
		"issuer       "+v.Issuer,
		"serial       "+v.Serial,
		"sha256       "+v.SHA256Fingerprint,
	)
}

// writeJSON writes v as cert --json prints it: one indented JSON object, escaped for
// the terminal.
func (v *CertView) writeJSON(w io.Writer) error {
	doc, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeJSONSafe(w, append(doc, '\n'))
}

// serialHex is the serial as openssl's -serial prints it: upper-case hex, whole bytes.
func serialHex(x *x509.Certificate) string {
	b := x.SerialNumber.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	s := strings.ToUpper(hex.EncodeToString(b))
	if x.SerialNumber.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// colonHex is b as upper-case hex bytes joined by colons: "74:CD:77".
func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}
