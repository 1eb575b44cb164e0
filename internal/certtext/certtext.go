// Package certtext decodes an X.509 certificate from the text that carries it, the
// one decoder for both places one comes from: SendGrid's public_certificate (package
// wrapper) and an X509Certificate element of SAML metadata (package idpmetadata).
package certtext

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrEmpty is DER's error for a text that is empty or only white space.
var ErrEmpty = errors.New("empty")

// PEM armour of a certificate.
const (
	pemBegin = "-----BEGIN CERTIFICATE-----"
	pemEnd   = "-----END CERTIFICATE-----"
)

// DER decodes a certificate's text as the API and IdP metadata carry it: PEM (the
// first CERTIFICATE block, its armour on lines of its own or not), or bare base64 DER,
// padded or not. White space and escaped "\n" sequences are ignored. It does not parse
// the DER.
func DER(text string) ([]byte, error) {
	s := strings.TrimSpace(strings.ReplaceAll(text, `\n`, "\n"))
	if s == "" {
		return nil, ErrEmpty
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
