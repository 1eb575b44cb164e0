package main

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/certtext"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// seedNow is the time parseSeed gets in these tests.
var seedNow = time.Unix(1_800_000_000, 0)

// seedPEM is a certificate's PEM as JSON holds it, quoted.
func seedPEM(t testing.TB, pemText string) string {
	t.Helper()
	return mustJSON(t, pemText)
}

// TestSeedErrorsNameTheField: each mistake in a seed gets an error that names its
// place and says what is wrong and what to do.
func TestSeedErrorsNameTheField(t *testing.T) {
	t.Parallel()
	pemQ := seedPEM(t, ssotest.DefaultCertificate().PublicCertificate)
	notCert := seedPEM(t, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
	integ := func(certs string) string { return `{"integrations": [{"id": "i1", "certificates": [` + certs + `]}]}` }
	for _, tc := range []struct{ name, file, want string }{
		{"empty file", ``, "not JSON: the file is empty"},
		{"syntax", "{\n  \"accounts\": [\"a\",]\n}", "not JSON: invalid character ']' looking for beginning of value, at line 2, column 21"},
		{"cut short", `{"accounts": ["a"`, "not JSON: the file ends in the middle of a value"},
		{"trailing", `{"accounts": ["a"]} {}`, "not JSON: something follows the object"},
		{"not an object", `["a"]`, `want a JSON object with "integrations", "accounts" or both, got array`},
		{"neither", `{}`, `want a JSON object with "integrations", "accounts" or both; it has neither`},
		{"unknown top-level field", `{"acounts": ["a"]}`, "acounts: unknown field: the fields here are integrations, accounts"},
		{"unknown integration field", `{"integrations": [{"id": "i1", "nmae": "x"}]}`, "integrations[0].nmae: unknown field: the fields here are id, name,"},
		{"unknown certificate field", integ(`{"id": 1, "public_certificate": ` + pemQ + `, "not_after": 5}`),
			"integrations[0].certificates[0].not_after: unknown field: the fields here are id, public_certificate (not_before and not_after come from the certificate itself"},
		{"odd field name quoted", `{"integrations": [{"id": "i1", "a\u001bb": 1}]}`, `integrations[0]."a\x1bb": unknown field`},
		{"integrations not an array", `{"integrations": {}}`, "integrations: want an array, got object"},
		{"empty integrations", `{"integrations": []}`, "integrations: empty: leave it out to keep the default integration"},
		{"integration not an object", `{"integrations": ["i1"]}`, "integrations[0]: want an object, got string"},
		{"missing integration id", `{"integrations": [{"name": "x"}]}`, "integrations[0].id: missing: give the integration's ID"},
		{"empty integration id", `{"integrations": [{"id": ""}]}`, "integrations[0].id: empty: give an ID"},
		{"id with a slash", `{"integrations": [{"id": "a/b"}]}`, `integrations[0].id: "a/b" holds '/': an ID is one URL path segment`},
		{"dot-dot id", `{"integrations": [{"id": ".."}]}`, `integrations[0].id: ".." is not a path segment of its own`},
		{"wrong type", `{"integrations": [{"id": 7}]}`, "integrations[0].id: want a string, got number"},
		{"enabled a string", `{"integrations": [{"id": "i1", "enabled": "yes"}]}`, "integrations[0].enabled: want true or false, got string"},
		{"last_updated a fraction", `{"integrations": [{"id": "i1", "last_updated": 1.5}]}`, "integrations[0].last_updated: want an integer, got number 1.5"},
		{"duplicate integration", `{"integrations": [{"id": "i1", "certificates": [{"id": 1, "public_certificate": ` + pemQ + `}]}, {"id": "i1"}]}`,
			`integrations[1].id: "i1" is the ID of integrations[0] already`},
		{"no certificate at all", `{"integrations": [{"id": "i1"}, {"id": "i2", "certificates": []}]}`, "integrations[0].certificates: no integration holds a certificate"},
		{"certificates not an array", `{"integrations": [{"id": "i1", "certificates": 1}]}`, "integrations[0].certificates: want an array, got number"},
		{"missing certificate id", integ(`{"public_certificate": ` + pemQ + `}`), "integrations[0].certificates[0].id: missing: give the certificate's ID"},
		{"zero certificate id", integ(`{"id": 0, "public_certificate": ` + pemQ + `}`), "integrations[0].certificates[0].id: 0 is not a positive integer"},
		{"certificate id past JavaScript's integers", integ(`{"id": 9223372036854775807, "public_certificate": ` + pemQ + `}`),
			"integrations[0].certificates[0].id: 9223372036854775807 is more than 9007199254740991, the largest integer JavaScript's JSON reads exactly"},
		{"huge certificate id", integ(`{"id": 1e30, "public_certificate": ` + pemQ + `}`), "integrations[0].certificates[0].id: want an integer, got number 1e30"},
		{"duplicate certificate id across integrations", `{"integrations": [{"id": "i1", "certificates": [{"id": 5, "public_certificate": ` + pemQ + `}]}, {"id": "i2", "certificates": [{"id": 5, "public_certificate": ` + pemQ + `}]}]}`,
			"integrations[1].certificates[0].id: 5 is the ID of integrations[0].certificates[0] already"},
		{"missing PEM", integ(`{"id": 1}`), "integrations[0].certificates[0].public_certificate: missing: give the certificate's PEM"},
		{"bad PEM", integ(`{"id": 1, "public_certificate": "-----BEGIN CERTIFICATE-----\nAAAA"}`), "integrations[0].certificates[0].public_certificate: not a PEM certificate: no PEM CERTIFICATE block: give the PEM of an X.509 certificate"},
		{"not a certificate", integ(`{"id": 1, "public_certificate": ` + notCert + `}`), "integrations[0].certificates[0].public_certificate: not an X.509 certificate: x509: "},
		{"PEM a number", integ(`{"id": 1, "public_certificate": 5}`), "integrations[0].certificates[0].public_certificate: want a string, got number"},
		{"accounts not an array", `{"accounts": "a"}`, "accounts: want an array, got string"},
		{"empty accounts", `{"accounts": []}`, "accounts: empty: leave it out to keep the default account"},
		{"account a number", `{"accounts": ["a", 3]}`, "accounts[1]: want a string, got number"},
		{"account null", `{"accounts": [null]}`, "accounts[0]: null: give an account ID"},
		{"account with a query", `{"accounts": ["a?b"]}`, `accounts[0]: "a?b" holds '?'`},
		{"long account", `{"accounts": ["` + strings.Repeat("a", 257) + `"]}`, "accounts[0]: 257 bytes: give an ID of at most 256"},
		{"duplicate account", `{"accounts": ["a", "b", "a"]}`, `accounts[2]: "a" is accounts[0] already`},
		{"too big", `{"accounts": ["` + strings.Repeat("a", maxSeedBytes) + `"]}`, "the file is more than 1048576 bytes (1 MiB)"},
		{"a byte order mark twice", "\xef\xbb\xbf\xef\xbb\xbf{}", "not JSON: invalid character"},
	} {
		_, err := parseSeed([]byte(tc.file), seedNow)
		var se *seedError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v (%T), want one starting %q", tc.name, err, err, tc.want)
		}
	}
}

// TestSeedServesItsCertificates: a seed's integrations, certificates and accounts are
// what the fake serves, each certificate's not_before and not_after its PEM's own,
// optional integration fields defaulted; parts a seed leaves out keep the defaults.
func TestSeedServesItsCertificates(t *testing.T) {
	t.Parallel()
	a := testcert.New(t, testcert.Spec{CN: "a", NotBefore: time.Unix(1_700_000_000, 0), NotAfter: time.Unix(1_900_000_000, 0)})
	b := testcert.New(t, testcert.Spec{CN: "b", Serial: 7, NotBefore: time.Unix(1_750_000_000, 0), NotAfter: time.Unix(1_850_000_000, 0)})
	file := `{"integrations": [{"id": "int-a", "name": "Okta", "entity_id": "https://idp.example.com/metadata", "enabled": false, "last_updated": 1700000001,
	                        "certificates": [{"id": 7, "public_certificate": ` + seedPEM(t, testcert.PEM(a.X)) + `}]},
	                       {"id": "int-b", "certificates": [{"id": 3, "public_certificate": ` + seedPEM(t, testcert.PEM(b.X)) + `}]}],
	          "accounts": ["acct-1", "acct-2"]}`
	sd, err := parseSeed([]byte(file), seedNow)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sd.summary(), "2 integrations, 2 certificates, 2 accounts"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	srv := ssotest.NewServer(sd.options()...)
	defer srv.Close()
	get := func(path string, v any) int {
		t.Helper()
		resp, body := call(t, srv.URL, srv.APIKey, "GET", path, "", "")
		if resp.StatusCode == 200 {
			if err := json.Unmarshal([]byte(body), v); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	for id, x := range map[string]*x509.Certificate{"7": a.X, "3": b.X} {
		var got map[string]any
		if status := get("/v3/sso/certificates/"+id, &got); status != 200 {
			t.Fatalf("certificate %s: %d", id, status)
		}
		if got["not_before"] != float64(x.NotBefore.Unix()) || got["not_after"] != float64(x.NotAfter.Unix()) {
			t.Errorf("certificate %s: not_before %v, not_after %v; want the PEM's %d and %d", id, got["not_before"], got["not_after"], x.NotBefore.Unix(), x.NotAfter.Unix())
		}
	}
	if status := get("/v3/sso/certificates/66138975", new(any)); status != 400 {
		t.Errorf("the default certificate: %d, want 400: the seed replaces it", status)
	}
	var list []map[string]any
	get("/v3/sso/integrations?si=true", &list)
	want := []map[string]any{
		{"id": "int-a", "name": "Okta", "entity_id": "https://idp.example.com/metadata", "enabled": false, "completed_integration": true,
			"signin_url": "", "signout_url": "", "last_updated": float64(1700000001),
			"single_signon_url": ssoResponseURL + "int-a", "audience_url": ssoResponseURL + "int-a"},
		{"id": "int-b", "name": "int-b", "entity_id": "", "enabled": true, "completed_integration": true,
			"signin_url": "", "signout_url": "", "last_updated": float64(seedNow.Unix()),
			"single_signon_url": ssoResponseURL + "int-b", "audience_url": ssoResponseURL + "int-b"},
	}
	if g, w := mustJSON(t, list), mustJSON(t, want); g != w {
		t.Errorf("integrations:\n%s\nwant\n%s", g, w)
	}
	var certs []map[string]any
	get("/v3/sso/integrations/int-b/certificates", &certs)
	if len(certs) != 1 || certs[0]["id"] != float64(3) || certs[0]["intergration_id"] != "int-b" {
		t.Errorf("int-b's certificates: %v, want certificate 3", certs)
	}
	for account, want := range map[string]int{"acct-2": http.StatusSeeOther, ssotest.DefaultAccountID: http.StatusNotFound} {
		if resp, body := call(t, srv.URL, srv.APIKey, "POST", "/v3/partners/accounts/"+account+"/sso", "", ""); resp.StatusCode != want {
			t.Errorf("login for %s: %d, want %d: %s", account, resp.StatusCode, want, body)
		}
	}

	only, err := parseSeed([]byte("\xef\xbb\xbf"+`{"accounts": ["acct-9"]}`), seedNow) // a byte order mark is skipped
	if err != nil {
		t.Fatal(err)
	}
	if got := only.summary(); got != "the default integration and certificate, 1 account" {
		t.Errorf("an accounts-only seed: %q", got)
	}
	srv2 := ssotest.NewServer(only.options()...)
	defer srv2.Close()
	if resp, _ := call(t, srv2.URL, srv2.APIKey, "GET", "/v3/sso/certificates/66138975", "", ""); resp.StatusCode != 200 {
		t.Errorf("an accounts-only seed lost the default certificate: %d", resp.StatusCode)
	}
}

// mustJSON is v in JSON.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLoadSeedBoundsTheFile: a file over maxSeedBytes is refused without reading it
// all, and a file that is not there is named.
func TestLoadSeedBoundsTheFile(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte(`{"accounts": ["`+strings.Repeat("a", 2*maxSeedBytes)+`"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSeed(big, seedNow); err == nil || !strings.Contains(err.Error(), "--seed "+big+": the file is more than 1048576 bytes") {
		t.Errorf("a 2 MiB seed: %v", err)
	}
	if _, err := loadSeed(filepath.Join(t.TempDir(), "none.json"), seedNow); err == nil || !strings.Contains(err.Error(), "--seed: open ") {
		t.Errorf("a missing seed: %v", err)
	}
}

// seedPath is the grammar of a seed error's place.
var seedPath = regexp.MustCompile(`^([A-Za-z0-9_-]+|"(\\.|[^"\\])*")(\[\d+\])?(\.([A-Za-z0-9_-]+|"(\\.|[^"\\])*")(\[\d+\])?)*$`)

// FuzzSeed: whatever the file, parseSeed does not panic; an error names a field (a
// path in seedPath's grammar) or is about the file as a whole (not JSON, too big, not
// the object wanted); a seed it accepts serves certificates whose validity is their
// PEM's, under IDs that are unique, and IDs that are one path segment.
func FuzzSeed(f *testing.F) {
	pemQ := seedPEM(f, ssotest.DefaultCertificate().PublicCertificate)
	for _, s := range []string{
		`{"integrations": [{"id": "int-seed", "name": "Okta", "entity_id": "https://idp.example.com/metadata", "enabled": true,
		  "certificates": [{"id": 1001, "public_certificate": ` + pemQ + `}]}], "accounts": ["acct-seed"]}`,
		`{"accounts": ["a", "b"]}`,
		`{"integrations": [{"id": "i", "last_updated": 5, "completed_integration": false, "certificates": [{"id": 1, "public_certificate": ` + pemQ + `}, {"id": 2, "public_certificate": ` + pemQ + `}]}]}`,
		`{"integrations": [{"id": "i", "certificates": [{"id": 1, "public_certificate": "MIIB"}]}]}`,
		`{"integrations": [{"id": "a/b"}]}`,
		`{"accounts": [1]}`,
		`{"x": 1}`,
		`[]`, `null`, ``, `{`, `{"accounts": ["a"]} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := parseSeed(data, seedNow)
		if err != nil {
			var se *seedError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is a %T, not a *seedError", err, err)
			}
			if se.path == "" && !strings.Contains(se.msg, "JSON") && !strings.Contains(se.msg, "bytes") {
				t.Fatalf("error %q neither names a field nor is about the file as a whole", err)
			}
			if se.path != "" && !seedPath.MatchString(se.path) {
				t.Fatalf("error %q: place %q is not a field path", err, se.path)
			}
			return
		}
		ids := map[int64]bool{}
		for _, c := range sd.certs {
			der, err := certtext.DER(c.PublicCertificate)
			if err != nil {
				t.Fatalf("certificate %d accepted but its text does not decode: %v", c.ID, err)
			}
			x, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatalf("certificate %d accepted but does not parse: %v", c.ID, err)
			}
			if !c.NotBefore.Equal(x.NotBefore) || !c.NotAfter.Equal(x.NotAfter) {
				t.Fatalf("certificate %d: validity %v to %v, the PEM's %v to %v", c.ID, c.NotBefore, c.NotAfter, x.NotBefore, x.NotAfter)
			}
			if ids[c.ID] || c.ID < 1 {
				t.Fatalf("certificate ID %d twice or not positive", c.ID)
			}
			ids[c.ID] = true
		}
		for _, it := range sd.integrations {
			if checkSegment(it.ID) != nil {
				t.Fatalf("integration ID %q accepted", it.ID)
			}
		}
		for _, a := range sd.accounts {
			if checkSegment(a) != nil {
				t.Fatalf("account ID %q accepted", a)
			}
		}
		if sd.integrations == nil && sd.accounts == nil || sd.integrations != nil && len(sd.certs) == 0 {
			t.Fatalf("a seed of nothing accepted: %+v", sd)
		}
	})
}

// TestSeedIDsReachTheFake: every character checkSegment lets into an ID reaches the
// fake through package wrapper as it was seeded: an integration's certificates are
// listed and an account logs in.
func TestSeedIDsReachTheFake(t *testing.T) {
	t.Parallel()
	const odd = "a-._~!$&'()*+,;=:@Z9"
	sd, err := parseSeed([]byte(`{"integrations": [{"id": "`+odd+`", "certificates": [{"id": 1, "public_certificate": `+
		seedPEM(t, ssotest.DefaultCertificate().PublicCertificate)+`}]}], "accounts": ["`+odd+`"]}`), seedNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := ssotest.NewServer(sd.options()...)
	defer srv.Close()
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if certs, err := client.ListSSOCertificates(t.Context(), odd); err != nil || len(certs) != 1 {
		t.Errorf("the certificates of integration %q: %v, %v", odd, certs, err)
	}
	if _, err := client.AuthenticateAccount(t.Context(), odd); err != nil {
		t.Errorf("a login for account %q: %v", odd, err)
	}
	if bad, _ := srv.InvalidCounts(); bad != 0 {
		t.Errorf("the fake refused: %v", srv.InvalidRequests())
	}
}
