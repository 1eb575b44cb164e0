package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/certtext"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The --seed file: the integrations (each with its certificates) and the accounts the
// fake serves in place of its defaults, in the API's own field names:
//
//	{"integrations": [{"id": "int-seed", "name": "Okta", "entity_id": "https://idp.example.com/metadata",
//	                   "enabled": true,
//	                   "certificates": [{"id": 1001, "public_certificate": "-----BEGIN CERTIFICATE-----\n..."}]}],
//	 "accounts": ["acct-seed"]}
//
// It is parsed here, in the command, and not in package ssotest: it is the command's
// way in for other languages, and a Go test gives the same with WithIntegration,
// WithCertificate and WithAccount, which is what a seed becomes.

// maxSeedBytes bounds a --seed file: a certificate's PEM is 1 to 2 KiB, so a MiB
// holds hundreds.
const maxSeedBytes = 1 << 20

// maxIDBytes bounds an integration or account ID of a seed.
const maxIDBytes = 256

// maxCertificateID bounds a seed's certificate IDs: 2^53-1, the largest integer every
// client's JSON reads exactly (JavaScript's Number.MAX_SAFE_INTEGER), and far enough
// below the largest int64 that the IDs the fake gives created certificates (the
// largest held, plus one) cannot overflow.
const maxCertificateID = 1<<53 - 1

// ssoResponseURL is where SendGrid's IdP posts its SAML response for an integration,
// the single_signon_url and audience_url SendGrid gives every integration: the ID is
// appended.
const ssoResponseURL = "https://api.sendgrid.com/v3/public/sso/saml/response/id/"

// seed is a parsed --seed file.
type seed struct {
	integrations []ssotest.Integration // nil: the default integration and certificate stay
	certs        []ssotest.Certificate // those of the integrations, in the file's order
	accounts     []string              // nil: the default account stays
}

// seedError is a mistake in a seed: path names the field, such as
// integrations[0].certificates[1].public_certificate, and is empty for the file as a
// whole (not JSON, too big, not an object).
type seedError struct {
	path, msg string
}

func (e *seedError) Error() string {
	if e.path == "" {
		return e.msg
	}
	return e.path + ": " + e.msg
}

// The seed's JSON objects. Pointers tell a field left out (or null) from a zero.
type (
	seedFile struct {
		Integrations *[]json.RawMessage `json:"integrations"`
		Accounts     *[]json.RawMessage `json:"accounts"`
	}
	seedIntegration struct {
		ID              *string           `json:"id"`
		Name            *string           `json:"name"`
		EntityID        *string           `json:"entity_id"`
		Enabled         *bool             `json:"enabled"`
		Completed       *bool             `json:"completed_integration"`
		SigninURL       *string           `json:"signin_url"`
		SignoutURL      *string           `json:"signout_url"`
		SingleSignonURL *string           `json:"single_signon_url"`
		AudienceURL     *string           `json:"audience_url"`
		LastUpdated     *int64            `json:"last_updated"`
		Certificates    []json.RawMessage `json:"certificates"`
	}
	seedCertificate struct {
		ID                *int64  `json:"id"`
		PublicCertificate *string `json:"public_certificate"`
	}
)

// Each object's fields, for the error on an unknown one.
const (
	fileFields        = "integrations, accounts"
	integrationFields = "id, name, entity_id, enabled, completed_integration, signin_url, signout_url, single_signon_url, audience_url, last_updated, certificates"
	certificateFields = "id, public_certificate (not_before and not_after come from the certificate itself, integration_id from the integration holding it)"
)

// loadSeed reads and parses the --seed file; integrations without a last_updated get
// now.
func loadSeed(file string, now time.Time) (*seed, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--seed: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSeedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--seed %s: %w", file, err)
	}
	s, err := parseSeed(data, now)
	if err != nil {
		return nil, fmt.Errorf("--seed %s: %w", file, err)
	}
	return s, nil
}

// parseSeed parses a seed file's bytes. Every error is a *seedError.
func parseSeed(data []byte, now time.Time) (*seed, error) {
	if len(data) > maxSeedBytes {
		return nil, &seedError{msg: fmt.Sprintf("the file is more than %d bytes (1 MiB), the most a seed may hold: seed fewer certificates", maxSeedBytes)}
	}
	// A byte order mark, as some Windows editors write, is no mistake of the seed's.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var file seedFile
	if err := decodeStrict(data, &file, "", fileFields); err != nil {
		return nil, err
	}
	if file.Integrations == nil && file.Accounts == nil {
		return nil, &seedError{msg: `want a JSON object with "integrations", "accounts" or both; it has neither`}
	}
	s := &seed{}
	if file.Integrations != nil {
		if err := s.addIntegrations(*file.Integrations, now); err != nil {
			return nil, err
		}
	}
	if file.Accounts != nil {
		if err := s.addAccounts(*file.Accounts); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// addIntegrations parses the "integrations" array and their certificates.
func (s *seed) addIntegrations(raws []json.RawMessage, now time.Time) error {
	if len(raws) == 0 {
		return &seedError{"integrations", "empty: leave it out to keep the default integration and certificate, or give one integration at least"}
	}
	ids := map[string]string{}    // integration ID: its path
	certIDs := map[int64]string{} // certificate ID: its path
	for i, raw := range raws {
		path := fmt.Sprintf("integrations[%d]", i)
		var in seedIntegration
		if err := decodeStrict(raw, &in, path, integrationFields); err != nil {
			return err
		}
		if in.ID == nil {
			return &seedError{path + ".id", "missing: give the integration's ID, such as int-1"}
		}
		id := *in.ID
		if err := checkSegment(id); err != nil {
			return &seedError{path + ".id", err.Error()}
		}
		if first, ok := ids[id]; ok {
			return &seedError{path + ".id", fmt.Sprintf("%q is the ID of %s already: give each integration an ID of its own", id, first)}
		}
		ids[id] = path
		it := ssotest.Integration{
			ID:              id,
			Name:            or(in.Name, id),
			EntityID:        or(in.EntityID, ""),
			SigninURL:       or(in.SigninURL, ""),
			SignoutURL:      or(in.SignoutURL, ""),
			SingleSignonURL: or(in.SingleSignonURL, ssoResponseURL+id),
			AudienceURL:     or(in.AudienceURL, ssoResponseURL+id),
			Enabled:         or(in.Enabled, true),
			Completed:       or(in.Completed, true),
			LastUpdated:     now.Truncate(time.Second),
		}
		if in.LastUpdated != nil {
			it.LastUpdated = time.Unix(*in.LastUpdated, 0)
		}
		s.integrations = append(s.integrations, it)
		for j, raw := range in.Certificates {
			c, err := parseSeedCertificate(raw, fmt.Sprintf("%s.certificates[%d]", path, j), id, certIDs)
			if err != nil {
				return err
			}
			s.certs = append(s.certs, c)
		}
	}
	if len(s.certs) == 0 {
		return &seedError{"integrations[0].certificates", "no integration holds a certificate: give one at least, so that the fake has a certificate to serve in place of its default"}
	}
	return nil
}

// parseSeedCertificate parses the certificate at path, of integration, whose ID must
// not be one of seen (which it joins).
func parseSeedCertificate(raw json.RawMessage, path, integration string, seen map[int64]string) (ssotest.Certificate, error) {
	var c seedCertificate
	if err := decodeStrict(raw, &c, path, certificateFields); err != nil {
		return ssotest.Certificate{}, err
	}
	switch {
	case c.ID == nil:
		return ssotest.Certificate{}, &seedError{path + ".id", "missing: give the certificate's ID, a positive integer such as 1001"}
	case *c.ID < 1:
		return ssotest.Certificate{}, &seedError{path + ".id", fmt.Sprintf("%d is not a positive integer: give a certificate ID of 1 or more", *c.ID)}
	case *c.ID > maxCertificateID:
		return ssotest.Certificate{}, &seedError{path + ".id", fmt.Sprintf("%d is more than %d, the largest integer JavaScript's JSON reads exactly: give a smaller certificate ID", *c.ID, maxCertificateID)}
	}
	if first, ok := seen[*c.ID]; ok {
		return ssotest.Certificate{}, &seedError{path + ".id", fmt.Sprintf("%d is the ID of %s already: give each certificate an ID of its own", *c.ID, first)}
	}
	seen[*c.ID] = path
	if c.PublicCertificate == nil {
		return ssotest.Certificate{}, &seedError{path + ".public_certificate", "missing: give the certificate's PEM, -----BEGIN CERTIFICATE----- and all"}
	}
	der, err := certtext.DER(*c.PublicCertificate)
	if err != nil {
		return ssotest.Certificate{}, &seedError{path + ".public_certificate", fmt.Sprintf("not a PEM certificate: %v: give the PEM of an X.509 certificate (-----BEGIN CERTIFICATE-----, base64, -----END CERTIFICATE-----; newlines as \\n)", err)}
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		return ssotest.Certificate{}, &seedError{path + ".public_certificate", fmt.Sprintf("not an X.509 certificate: %v: give the PEM of the IdP's signing certificate", err)}
	}
	return ssotest.Certificate{
		ID:                *c.ID,
		PublicCertificate: *c.PublicCertificate,
		NotBefore:         x.NotBefore,
		NotAfter:          x.NotAfter,
		IntegrationID:     integration,
	}, nil
}

// addAccounts parses the "accounts" array of account IDs.
func (s *seed) addAccounts(raws []json.RawMessage) error {
	if len(raws) == 0 {
		return &seedError{"accounts", "empty: leave it out to keep the default account, or give one account ID at least"}
	}
	seen := map[string]string{}
	for i, raw := range raws {
		path := fmt.Sprintf("accounts[%d]", i)
		var id *string
		if err := decodeStrict(raw, &id, path, ""); err != nil {
			return err
		}
		if id == nil {
			return &seedError{path, "null: give an account ID, a string such as acct-1"}
		}
		if err := checkSegment(*id); err != nil {
			return &seedError{path, err.Error()}
		}
		if first, ok := seen[*id]; ok {
			return &seedError{path, fmt.Sprintf("%q is %s already: give each account once", *id, first)}
		}
		seen[*id] = path
		s.accounts = append(s.accounts, *id)
	}
	return nil
}

// decodeStrict decodes the JSON value data into v, refusing fields v lacks (fields
// lists those it has) and anything after the value, with errors naming the field
// under path.
func decodeStrict(data []byte, v any, path, fields string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return &seedError{msg: fmt.Sprintf("not JSON: something follows the object that ends at byte %d: give one JSON object", dec.InputOffset())}
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return &seedError{msg: "not JSON: the file is empty: give a JSON object such as {\"accounts\": [\"acct-1\"]}"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &seedError{msg: "not JSON: the file ends in the middle of a value: is it cut short?"}
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset)
		return &seedError{msg: fmt.Sprintf("not JSON: %v, at line %d, column %d", err, line, col)}
	case errors.As(err, &typ):
		where := join(path, typ.Field)
		if where == "" {
			return &seedError{msg: fmt.Sprintf("want a JSON object with \"integrations\", \"accounts\" or both, got %s", typ.Value)}
		}
		return &seedError{where, fmt.Sprintf("want %s, got %s", kind(typ.Type), typ.Value)}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		// Go quotes the name; a plain one reads better bare in a path.
		if unq, uerr := strconv.Unquote(name); uerr == nil && plainName.MatchString(unq) {
			name = unq
		}
		return &seedError{join(path, name), "unknown field: the fields here are " + fields}
	}
	return &seedError{path, err.Error()}
}

// plainName is a field name shown bare in a path; others keep Go's quotes.
var plainName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// join is path.field, or whichever is not empty. A nested field of a type error comes
// dotted (Go's encoding/json), as the paths are.
func join(path, field string) string {
	switch {
	case field == "":
		return path
	case path == "":
		return field
	}
	return path + "." + field
}

// kind names what a Go type holds in JSON's words.
func kind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// position is the 1-based line and column of byte offset in data.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	return line, len(before) - bytes.LastIndexByte(before, '\n')
}

// or is *p, or def when p is nil.
func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// checkSegment accepts an ID that is one URL path segment as it is, so that it reaches
// the fake unchanged in GET /v3/sso/integrations/{id}/certificates or
// /v3/partners/accounts/{id}/sso: letters, digits and -._~!$&'()*+,;=:@ (RFC 3986's
// unreserved characters and sub-delimiters), not "." or "..", 1 to maxIDBytes bytes.
func checkSegment(id string) error {
	switch {
	case id == "":
		return errors.New("empty: give an ID, such as int-1")
	case len(id) > maxIDBytes:
		return fmt.Errorf("%d bytes: give an ID of at most %d", len(id), maxIDBytes)
	case id == "." || id == "..":
		return fmt.Errorf("%q is not a path segment of its own: give a name", id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~!$&'()*+,;=:@", r)) {
			return fmt.Errorf("%q holds %q: an ID is one URL path segment, of letters, digits and -._~!$&'()*+,;=:@ only", id, r)
		}
	}
	return nil
}

// options is the fake's options for the seed: what it gives replaces the defaults.
func (s *seed) options() []ssotest.Option {
	var opts []ssotest.Option
	for _, it := range s.integrations {
		opts = append(opts, ssotest.WithIntegration(it))
	}
	for _, c := range s.certs {
		opts = append(opts, ssotest.WithCertificate(c))
	}
	for _, a := range s.accounts {
		opts = append(opts, ssotest.WithAccount(a))
	}
	return opts
}

// summary says what the seed holds, for the announcement.
func (s *seed) summary() string {
	parts := []string{"the default integration and certificate", "the default account"}
	if s.integrations != nil {
		parts[0] = count(len(s.integrations), "integration") + ", " + count(len(s.certs), "certificate")
	}
	if s.accounts != nil {
		parts[1] = count(len(s.accounts), "account")
	}
	return strings.Join(parts, ", ")
}

// count is "1 thing" or "n things".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
