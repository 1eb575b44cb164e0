package wrapper

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// Fuzz targets over everything the Client takes from the network or the caller. Each
// runs its seeds in every `go test`; `make fuzz` (a CI step of its own) fuzzes each
// briefly. The seeds are the examples of api/openapi.yaml.

// specSeeds are the examples of the spec, sorted by where they apply.
type specSeeds struct {
	certificates [][]byte // 200 bodies
	errorBodies  [][]byte // bodies of every other status, both shapes
	locations    []string // Location examples of the 303
	ids          []string // path parameter examples
}

// loadSpecSeeds reads the examples out of api/openapi.yaml.
func loadSpecSeeds(f *testing.F) specSeeds {
	f.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		f.Fatalf("loading the spec: %v", err)
	}
	var s specSeeds
	add := func(status string, example any) {
		b, err := json.Marshal(example)
		if err != nil {
			f.Fatalf("example of %s: %v", status, err)
		}
		if status == "200" {
			s.certificates = append(s.certificates, b)
		} else {
			s.errorBodies = append(s.errorBodies, b)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value.In == "path" && p.Value.Example != nil {
					s.ids = append(s.ids, p.Value.Example.(string))
				}
			}
			for status, resp := range op.Responses.Map() {
				for name, h := range resp.Value.Headers {
					if name == "Location" && h.Value.Example != nil {
						s.locations = append(s.locations, h.Value.Example.(string))
					}
				}
				for _, mt := range resp.Value.Content {
					if mt.Example != nil {
						add(status, mt.Example)
					}
					for _, ex := range mt.Examples {
						add(status, ex.Value.Value)
					}
				}
			}
		}
	}
	if len(s.certificates) == 0 || len(s.errorBodies) == 0 || len(s.locations) == 0 || len(s.ids) == 0 {
		f.Fatalf("the spec lacks examples: %d certificates, %d error bodies, %d locations, %d IDs",
			len(s.certificates), len(s.errorBodies), len(s.locations), len(s.ids))
	}
	for _, l := range [][][]byte{s.certificates, s.errorBodies} {
		sort.Slice(l, func(i, j int) bool { return bytes.Compare(l[i], l[j]) < 0 })
	}
	sort.Strings(s.locations)
	sort.Strings(s.ids)
	return s
}

// fuzzClient returns a Client whose every request is answered by answer, without a
// network, through the Client's real transport stack (redirects off, Location hidden).
func fuzzClient(t *testing.T, answer func(*http.Request) *http.Response) *Client {
	c, err := New(testKey, WithBaseURL("https://api.sendgrid.com"), WithMaxRetries(0),
		WithHTTPClient(&http.Client{Transport: roundTripFn(func(r *http.Request) (*http.Response, error) {
			resp := answer(r)
			resp.Request = r
			return resp, nil
		})}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// response builds a response with status, body and the header pairs kv.
func response(status int, body []byte, kv ...string) *http.Response {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = []string{kv[i+1]} // as is: no canonical checks on fuzzed values
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
}

// FuzzErrorBody feeds any body, under any error status, through the Client: the result
// is always an *APIError for that status, with a short printable excerpt or the
// decoded details (never both), and without the API key even when the body echoes it.
func FuzzErrorBody(f *testing.F) {
	seeds := loadSpecSeeds(f)
	for i, b := range seeds.errorBodies {
		f.Add(uint16(400+i*7), b)
	}
	f.Add(uint16(502), []byte(nginx502))
	f.Add(uint16(401), []byte(`{"errors":[{"message":"bad key Bearer `+testKey+`","field":null}]}`))
	f.Add(uint16(400), []byte("denied "+testKey[:9]+"\x00"+testKey[9:]))
	f.Add(uint16(500), []byte(`[{"message":"\u00e9\ud800","field":7}]`))
	f.Add(uint16(429), []byte(`{"errors":[]}`))
	f.Fuzz(func(t *testing.T, code uint16, body []byte) {
		status := 400 + int(code)%200
		c := fuzzClient(t, func(*http.Request) *http.Response { return response(status, body) })
		_, err := c.GetSSOCertificate(context.Background(), "1")
		apiErr := wantAPIError(t, err, status)
		text := err.Error()
		if !strings.Contains(text, strconv.Itoa(status)) {
			t.Errorf("error %q does not name the status", text)
		}
		if strings.Contains(text, testKey) || strings.Contains(apiErr.Body, testKey) {
			t.Errorf("the key shows: %q", text)
		}
		if len(apiErr.Errors) > 0 {
			if apiErr.Body != "" {
				t.Errorf("both details and an excerpt: %+v", apiErr)
			}
			if !json.Valid(body) {
				t.Errorf("details %v decoded from invalid JSON %q", apiErr.Errors, body)
			}
			for _, d := range apiErr.Errors {
				if !strings.Contains(text, d.String()) {
					t.Errorf("error %q lacks detail %q", text, d)
				}
			}
		}
		if len(apiErr.Body) > bodyExcerptLen+len("…") || !utf8.ValidString(apiErr.Body) {
			t.Errorf("excerpt too long or not UTF-8: %d bytes, %q", len(apiErr.Body), apiErr.Body)
		}
		for _, r := range apiErr.Body {
			if !unicode.IsPrint(r) && r != ' ' {
				t.Errorf("excerpt holds unprintable %U: %q", r, apiErr.Body)
				break
			}
		}
	})
}

// certificateOracle decodes a certificate body independently of the generated model:
// numbers as json.Number, checked as int64.
type certificateOracle struct {
	ID        *json.Number `json:"id"`
	NotBefore *json.Number `json:"not_before"`
	NotAfter  *json.Number `json:"not_after"`
}

// FuzzCertificateJSON feeds any 200 body through GetSSOCertificate: it is a
// certificate whose numbers match an independent decoding, or ErrInvalidResponse;
// X509 of whatever it holds never panics.
func FuzzCertificateJSON(f *testing.F) {
	seeds := loadSpecSeeds(f)
	for _, b := range seeds.certificates {
		f.Add(b)
	}
	pemCert := ssotest.DefaultCertificate().PublicCertificate
	block, _ := pem.Decode([]byte(pemCert))
	for _, pc := range []string{pemCert, base64.StdEncoding.EncodeToString(block.Bytes), strings.ReplaceAll(pemCert, "\n", `\n`)} {
		b, _ := json.Marshal(map[string]any{"id": 9007199254740993, "public_certificate": pc, "not_before": -1, "not_after": 1 << 40, "intergration_id": "x"})
		f.Add(b)
	}
	f.Add([]byte(`{"not_before":0,"not_after":0}`))
	f.Add([]byte(`{"id":1e3}`))
	f.Add([]byte(`{"id":9223372036854775808}`))
	f.Add([]byte(`{"integration_id":null,"intergration_id":"a"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, func(*http.Request) *http.Response { return response(200, body) })
		cert, err := c.GetSSOCertificate(context.Background(), "1")
		if err != nil {
			if !errors.Is(err, ErrInvalidResponse) {
				t.Fatalf("err = %v, want ErrInvalidResponse", err)
			}
			return
		}
		var want certificateOracle
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("accepted %q, which does not decode: %v", body, err)
		}
		checkNumber(t, "id", want.ID, cert.ID)
		checkTime(t, "not_before", want.NotBefore, cert.NotBefore)
		checkTime(t, "not_after", want.NotAfter, cert.NotAfter)
		x, err := cert.X509()
		if (x == nil) == (err == nil) {
			t.Errorf("X509 = %v, %v: want exactly one", x, err)
		}
	})
}

// checkNumber compares a decoded int64 with the oracle's number; an absent number
// must leave the field 0.
func checkNumber(t *testing.T, name string, want *json.Number, got int64) {
	t.Helper()
	if want == nil {
		if got != 0 {
			t.Errorf("%s absent but decoded as %d", name, got)
		}
		return
	}
	n, err := want.Int64()
	if err != nil {
		t.Errorf("%s %q is not an int64 but was accepted as %d", name, *want, got)
	} else if n != got {
		t.Errorf("%s = %d, want %d", name, got, n)
	}
}

// checkTime compares a decoded time with the oracle's unix seconds: an absent number
// or 0 must leave it the zero Time, any other the time of those seconds.
func checkTime(t *testing.T, name string, want *json.Number, got time.Time) {
	t.Helper()
	var secs int64
	if !got.IsZero() {
		secs = got.Unix()
		if secs == 0 {
			t.Errorf("%s decoded as %v: 0 must read as the zero Time", name, got)
		}
	}
	checkNumber(t, name, want, secs)
}

// FuzzCertificateX509 runs X509 on any string: a parsed certificate or an error,
// never a panic. The DER it parses must be the certificate the string encodes.
func FuzzCertificateX509(f *testing.F) {
	pemCert := ssotest.DefaultCertificate().PublicCertificate
	block, _ := pem.Decode([]byte(pemCert))
	der := base64.StdEncoding.EncodeToString(block.Bytes)
	for _, s := range []string{
		pemCert, der, strings.TrimRight(der, "="), strings.ReplaceAll(pemCert, "\n", `\n`),
		"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" + pemCert,
		"<your x509 certificate>", "-----BEGIN", "", " \t\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := Certificate{ID: 7, PublicCertificate: s}.X509()
		if (x == nil) == (err == nil) {
			t.Fatalf("X509 = %v, %v: want exactly one", x, err)
		}
		if err == nil && len(x.Raw) == 0 {
			t.Errorf("parsed a certificate with no DER")
		}
		if err != nil && !strings.Contains(err.Error(), "certificate 7") {
			t.Errorf("error %q does not name the certificate", err)
		}
	})
}

// sendGridHost is what an accepted login host must look like: a plain DNS name
// ending in sendgrid.com, no escapes, no user info, no odd characters.
var sendGridHost = regexp.MustCompile(`^([a-z0-9-]+\.)*sendgrid\.com$`)

// FuzzLocation answers AuthenticateAccount with any Location: it is accepted only as
// an absolute https URL on sendgrid.com or a subdomain (the base URL here is
// https://api.sendgrid.com), and an error about it never shows the code.
func FuzzLocation(f *testing.F) {
	seeds := loadSpecSeeds(f)
	for _, l := range seeds.locations {
		f.Add(l)
	}
	for _, l := range []string{
		"/sso/partner/login?code=X", "//app.sendgrid.com/login", "https://evil.example/x",
		"javascript:alert(1)", "http://app.sendgrid.com/x", "https://app.sendgrid.com.evil.example/",
		"https://evil.example\\@app.sendgrid.com/", "https://user@app.sendgrid.com/", "https://APP.SendGrid.COM./x",
		"https://app%2esendgrid.com/", "https://[::1]:443/", "https://app.sendgrid.com:8443/x#frag", "", " ", "https://%zz",
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		for _, withCode := range []bool{false, true} {
			l := loc
			if withCode {
				l += "?code=" + testLoginCode
			}
			c := fuzzClient(t, func(*http.Request) *http.Response { return response(303, nil, "Location", l) })
			login, err := c.AuthenticateAccount(context.Background(), "a")
			if err != nil {
				if !errors.Is(err, ErrInvalidResponse) {
					t.Fatalf("Location %q: err = %v, want ErrInvalidResponse", l, err)
				}
				if withCode && !strings.Contains(loc, testLoginCode) && strings.Contains(err.Error(), testLoginCode) {
					t.Errorf("Location %q: error shows the code: %v", l, err)
				}
				continue
			}
			u := login.URL
			if !u.IsAbs() || u.Scheme != "https" || u.User != nil || u.Opaque != "" {
				t.Fatalf("Location %q accepted as %q: want absolute https without user info", l, u)
			}
			if !sendGridHost.MatchString(strings.ToLower(u.Hostname())) {
				t.Fatalf("Location %q accepted on host %q", l, u.Hostname())
			}
			again, err := url.Parse(u.String())
			if err != nil || again.Host != u.Host {
				t.Fatalf("Location %q accepted as %q, which parses back to host %v (%v)", l, u, again, err)
			}
			if d := time.Until(login.ExpiresAt); d <= 0 || d > LoginValidity {
				t.Errorf("ExpiresAt %v is not within LoginValidity from now", login.ExpiresAt)
			}
		}
	})
}

// FuzzIDSegment sends any ID through both operations: it is refused (empty, ".",
// "..") before any request, or travels as exactly one path segment that unescapes to
// the ID, with no query and no fragment.
func FuzzIDSegment(f *testing.F) {
	seeds := loadSpecSeeds(f)
	for _, id := range seeds.ids {
		f.Add(id)
	}
	for _, id := range []string{"", ".", "..", "...", "a/b", "../admin", "%2e%2e", "x?y#z", "é", "a;b=c", "\x00", "\xff", " ", "//", "%", "+"} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		var sent []*http.Request
		c := fuzzClient(t, func(r *http.Request) *http.Response {
			sent = append(sent, r)
			return response(404, nil)
		})
		for _, op := range []struct{ prefix, suffix string }{{"/v3/sso/certificates/", ""}, {"/v3/partners/accounts/", "/sso"}} {
			sent = nil
			var err error
			if op.suffix == "" {
				_, err = c.GetSSOCertificate(context.Background(), id)
			} else {
				_, err = c.AuthenticateAccount(context.Background(), id)
			}
			if id == "" || id == "." || id == ".." {
				if !errors.Is(err, ErrInvalidID) || len(sent) != 0 {
					t.Fatalf("ID %q: err = %v, %d requests: want ErrInvalidID and none", id, err, len(sent))
				}
				continue
			}
			if len(sent) != 1 {
				t.Fatalf("ID %q: err = %v after %d requests, want one request", id, err, len(sent))
			}
			wantAPIError(t, err, 404)
			r := sent[0]
			uri := r.URL.RequestURI()
			if !strings.HasPrefix(uri, op.prefix) || !strings.HasSuffix(uri, op.suffix) || len(uri) < len(op.prefix)+len(op.suffix) {
				t.Fatalf("ID %q went as %q", id, uri)
			}
			seg := uri[len(op.prefix) : len(uri)-len(op.suffix)]
			if strings.ContainsAny(seg, "/?#") || r.URL.RawQuery != "" || r.URL.Fragment != "" {
				t.Fatalf("ID %q is not one segment: %q", id, uri)
			}
			if got, err := url.PathUnescape(seg); err != nil || got != id {
				t.Fatalf("ID %q went as segment %q, which unescapes to %q (%v)", id, seg, got, err)
			}
		}
	})
}

// TestHostileBodiesAllocateInProportion feeds bodies at the 1 MiB limit built to make
// a decoder work hard. Whatever each allocates stays a fixed multiple of the limit:
// nothing grows beyond what the bounded read let in.
func TestHostileBodiesAllocateInProportion(t *testing.T) {
	fill := func(prefix, unit, suffix string) []byte {
		n := (maxBodyBytes - len(prefix) - len(suffix)) / len(unit)
		return []byte(prefix + strings.Repeat(unit, n) + suffix)
	}
	cases := []struct {
		name   string
		status int
		body   []byte
	}{
		{"nested arrays", 400, fill("", "[", "")},
		{"many error details", 400, fill(`{"errors":[`, `{"message":"x"},`, `{"message":"x"}]}`)},
		{"one huge message", 500, fill(`[{"message":"`, "x", `"}]`)},
		{"unprintable excerpt", 502, fill("", "\x00\xff", "")},
		{"huge certificate", 200, fill(`{"public_certificate":"`, "QUFB", `"}`)},
		{"nested objects", 200, fill("", `{"a":`, "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fuzzClient(t, func(*http.Request) *http.Response { return response(tc.status, tc.body) })
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			cert, err := c.GetSSOCertificate(context.Background(), "1")
			if err == nil {
				_, err = cert.X509()
			}
			var text string
			if err != nil {
				text = err.Error()
			}
			runtime.ReadMemStats(&after)
			if text == "" {
				t.Fatal("no error from a hostile body")
			}
			got := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d KiB allocated for a %d KiB body", got>>10, len(tc.body)>>10)
			// Linear in the body (65,000 error details cost about 17 MiB); a blow-up
			// such as quadratic string building would pass this by far.
			if got > 32*maxBodyBytes {
				t.Errorf("allocated %d MiB for a %d MiB body", got>>20, len(tc.body)>>20)
			}
		})
	}
}

// integrationOracle decodes an integration independently of the generated model.
type integrationOracle struct {
	ID          *string      `json:"id"`
	Name        *string      `json:"name"`
	EntityID    *string      `json:"entity_id"`
	Enabled     *bool        `json:"enabled"`
	LastUpdated *json.Number `json:"last_updated"`
}

// FuzzListResponses feeds any 200 body to both list calls: a list whose every field
// matches an independent decoding (numbers as int64, 0 as the zero Time), or
// ErrInvalidResponse; never a panic.
func FuzzListResponses(f *testing.F) {
	for _, b := range loadSpecSeeds(f).certificates { // every operation's 200 examples
		f.Add(b)
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[{"id":"a","last_updated":1e3},{"id":9}]`))
	f.Add([]byte(`[{"id":9223372036854775808,"not_after":-1,"intergration_id":"x"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, func(*http.Request) *http.Response { return response(200, body) })
		integrations, err := c.ListSSOIntegrations(context.Background())
		if err != nil {
			if !errors.Is(err, ErrInvalidResponse) {
				t.Fatalf("ListSSOIntegrations: err = %v, want ErrInvalidResponse", err)
			}
		} else {
			var want []integrationOracle
			if err := json.Unmarshal(body, &want); err != nil {
				t.Fatalf("ListSSOIntegrations accepted %q, which does not decode: %v", body, err)
			}
			if len(want) != len(integrations) {
				t.Fatalf("%d integrations, want %d", len(integrations), len(want))
			}
			for i, w := range want {
				got := integrations[i]
				if (w.ID != nil && *w.ID != got.ID) || (w.Name != nil && *w.Name != got.Name) ||
					(w.EntityID != nil && *w.EntityID != got.EntityID) || (w.Enabled != nil && *w.Enabled != got.Enabled) {
					t.Errorf("integration %d = %+v, want %+v", i, got, w)
				}
				checkTime(t, "last_updated", w.LastUpdated, got.LastUpdated)
			}
		}
		certs, err := c.ListSSOCertificates(context.Background(), "int-1")
		if err != nil {
			if !errors.Is(err, ErrInvalidResponse) {
				t.Fatalf("ListSSOCertificates: err = %v, want ErrInvalidResponse", err)
			}
			return
		}
		var want []certificateOracle
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("ListSSOCertificates accepted %q, which does not decode: %v", body, err)
		}
		if len(want) != len(certs) {
			t.Fatalf("%d certificates, want %d", len(certs), len(want))
		}
		for i, w := range want {
			checkNumber(t, "id", w.ID, certs[i].ID)
			checkTime(t, "not_before", w.NotBefore, certs[i].NotBefore)
			checkTime(t, "not_after", w.NotAfter, certs[i].NotAfter)
		}
	})
}
