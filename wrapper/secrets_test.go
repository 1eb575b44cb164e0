package wrapper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/build"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The API key (testKey) and a one-time login code (testLoginCode) must never show in
// an error's text, any fmt rendering of an exported type, slog output, a panic value
// or a request dump. Both carry the marker below, so even part of one is spotted.
const secretMarker = "NEVER-PRINT-ME"

// renderings returns every way a user might print v: the fmt verbs, slog's text and
// JSON handlers and, for an error, the same for each error it wraps (errors.As hands
// those out).
func renderings(v any) []string {
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	for _, h := range []func(io.Writer) slog.Handler{
		func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
		func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("rendering", "value", v, slog.Any("any", v), slog.Group("group", "value", v))
		out = append(out, buf.String())
	}
	if err, ok := v.(error); ok {
		out = append(out, err.Error())
		for _, inner := range unwrapAll(err) {
			out = append(out, renderings(inner)...)
		}
	}
	return out
}

// unwrapAll returns the errors err wraps, directly or not, err excluded.
func unwrapAll(err error) []error {
	var inner []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		inner = []error{u.Unwrap()}
	case interface{ Unwrap() []error }:
		inner = u.Unwrap()
	}
	var out []error
	for _, e := range inner {
		if e != nil {
			out = append(out, e)
			out = append(out, unwrapAll(e)...)
		}
	}
	return out
}

// escapeSequence matches the escapes of internal/safetext, and %q's.
var escapeSequence = regexp.MustCompile(`\\+(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})`)

// assertNoSecret fails when any rendering of v shows the key, the code or the marker,
// in any case (URL parsing lower-cases a scheme).
func assertNoSecret(t *testing.T, what string, v any) {
	t.Helper()
	for _, s := range renderings(v) {
		// Also as a reader sees it: escapes and invisible runes inside a secret do not
		// hide it.
		seen := strings.ToLower(s + " " + visible(escapeSequence.ReplaceAllString(s, "")))
		for _, secret := range []string{testKey, testLoginCode, secretMarker} {
			if strings.Contains(seen, strings.ToLower(secret)) {
				t.Errorf("%s: a rendering shows %q:\n%s", what, secret, s)
				return
			}
		}
	}
}

func TestSecretsNotInConfigErrors(t *testing.T) {
	cases := map[string][]Option{
		"key in base URL user info":            {WithBaseURL("https://apikey:" + testKey + "@api.sendgrid.com")},
		"key in user info of a relative URL":   {WithBaseURL("//apikey:" + testKey + "@api.sendgrid.com")},
		"key in user info of a bad URL":        {WithBaseURL("https://apikey:" + testKey + "@api.sendgrid.com/%zz")},
		"key in user info of a plain http URL": {WithBaseURL("http://apikey:" + testKey + "@example.com")},
		"unknown region":                       {WithRegion("mars")},
		"negative retries":                     {WithMaxRetries(-1)},
	}
	for name, opts := range cases {
		_, err := New(testKey, opts...)
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want ErrInvalidConfig", name, err)
		}
		assertNoSecret(t, name, err)
	}
	for name, key := range map[string]string{
		"key with inner space":   testKey[:10] + " " + testKey[10:],
		"key with a NUL":         testKey + "\x00",
		"key with a line break":  testKey + "\nsecond line",
		"key with a tab, quoted": "\"" + testKey + "\t\"",
	} {
		_, err := New(key)
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want ErrInvalidConfig", name, err)
		}
		assertNoSecret(t, name, err)
	}
	t.Setenv(EnvAPIKey, testKey)
	t.Setenv(EnvRegion, "atlantis")
	_, err := NewFromEnv()
	if !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("NewFromEnv with a bad region: err = %v, want ErrInvalidConfig", err)
	}
	assertNoSecret(t, "NewFromEnv", err)
}

// echoKey answers with status, the body built from the request's Authorization header
// (the key, as a misbehaving proxy might echo it) and the header pairs kv.
func echoKey(status int, body func(auth string) string, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reply(status, body(r.Header.Get("Authorization")), kv...)(w, r)
	}
}

func TestSecretsNotInCallErrors(t *testing.T) {
	split := func(s string, sep string) string { return s[:len(s)/2] + sep + s[len(s)/2:] }
	// Errors about a Location name its host, by design: a code put in the host of an
	// untrusted Location is not covered.
	code := testLoginCode
	cases := []struct {
		name   string
		method string
		h      http.HandlerFunc
	}{
		{"key in JSON envelope", opGET, echoKey(401, func(a string) string {
			return fmt.Sprintf(`{"errors":[{"message":"bad key %s","field":%q,"error_id":%q}]}`, a, a, a)
		})},
		{"key in JSON array", opPOST, echoKey(403, func(a string) string { return fmt.Sprintf(`[{"message":%q}]`, a) })},
		{"key in HTML page", opGET, echoKey(502, func(a string) string { return "<html><body><pre>Authorization: " + a + "</pre></body></html>" })},
		{"key split by NUL", opGET, echoKey(400, func(a string) string { return "denied " + split(a, "\x00") })},
		{"key split by bad UTF-8", opGET, echoKey(400, func(a string) string { return "denied " + split(a, "\xff") })},
		{"key after 190 bytes", opGET, echoKey(400, func(a string) string { return strings.Repeat("x", 190) + " " + a })},
		{"key in a bad 200", opGET, echoKey(200, func(a string) string { return "<p>" + a + "</p>" })},
		{"key in 429 exhausting retries", opGET, echoKey(429, func(a string) string { return "slow down " + a })},
		{"key in 429 past the deadline", opGET, echoKey(429, func(a string) string { return "slow down " + a }, "Retry-After", "3600")},
		{"code in a foreign Location", opPOST, reply(303, "", "Location", "https://evil.example/sso?code="+code)},
		{"code in a javascript Location", opPOST, reply(303, "", "Location", "javascript:go('"+code+"')")},
		{"code in a plain http Location", opPOST, reply(303, "", "Location", "http://app.sendgrid.com/sso?code="+code)},
		{"code in Location user info", opPOST, reply(303, "", "Location", "https://"+code+"@app.sendgrid.com/sso")},
		{"code in an unparsable Location", opPOST, reply(303, "", "Location", "https://app.sendgrid.com/%zz?code="+code)},
		{"code in a 302 and its body", opPOST, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://app.sendgrid.com/sso?code="+code, http.StatusFound)
		}},
		{"key as the Location's host", opPOST, echoKey(303, func(string) string { return "" }, "Location", "https://"+testKey+".evil.example/login")},
		{"key as the Location's scheme (lower-cased by parsing)", opPOST, echoKey(303, func(string) string { return "" }, "Location", testKey+":x")},
		{"key with a BOM in an error body", opGET, echoKey(400, func(a string) string { return `[{"message":"` + split(a, "\ufeff") + `"}]` })},
		{"key with a bidi override in an excerpt", opGET, echoKey(502, func(a string) string { return "<p>" + split(a, "\u202e") + "</p>" })},
		{"key upper-cased in an error body", opGET, echoKey(400, func(a string) string { return "denied " + strings.ToUpper(a) })},
		{"code in a foreign Location's host", opPOST, reply(303, "", "Location", "https://"+code+".evil.example/login?code="+code)},
		{"code= outside a URL in an excerpt", opGET, reply(502, "<p>your code="+code+"</p>")},
		{"code in a 200 excerpt", opGET, reply(200, `<a href="https://app.sendgrid.com/login?code=`+code+`">`)},
		{"code in a 307 body", opPOST, reply(307, `<a href="https://app.sendgrid.com/sso?code=`+code+`">here</a>`, "Location", "https://app.sendgrid.com/sso?code="+code)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, tc.h)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := call(ctx, newTestClient(t, srv.URL), tc.method)
			if err == nil {
				t.Fatal("no error")
			}
			assertNoSecret(t, tc.name, err)
		})
	}
	// net/http's own errors quote the server's raw bytes.
	for name, line := range map[string]string{
		"key as a malformed header line":  testKey,
		"code in a malformed header line": "Location https://app.sendgrid.com/login?code=" + code,
		"code in a malformed status line": "HTTP/1.1 2x0 code=" + code,
	} {
		t.Run(name, func(t *testing.T) {
			url, _ := rawServer(t, func(conn net.Conn, _ *http.Request) {
				if strings.HasPrefix(line, "HTTP/") {
					_, _ = io.WriteString(conn, line+"\r\n\r\n")
					return
				}
				_, _ = io.WriteString(conn, "HTTP/1.1 303 See Other\r\n"+line+"\r\nContent-Length: 0\r\n\r\n")
			})
			for _, method := range []string{opGET, opPOST} {
				err := call(context.Background(), newTestClient(t, url, WithMaxRetries(0)), method)
				if err == nil {
					t.Fatal("no error")
				}
				assertNoSecret(t, method, err)
			}
		})
	}
	t.Run("transport failures", func(t *testing.T) {
		url, _ := rawServer(t, func(conn net.Conn, _ *http.Request) { resetConn(conn) })
		c := newTestClient(t, url)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		for _, method := range []string{opGET, opPOST} {
			assertNoSecret(t, method+" reset", call(context.Background(), c, method))
			assertNoSecret(t, method+" deadline", call(ctx, c, method))
		}
	})
}

func TestSecretsNotInValues(t *testing.T) {
	var authSeen string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		authSeen = r.Header.Get("Authorization")
		if r.Method == http.MethodPost {
			w.Header().Set("Location", "/sso/partner/login?code="+testLoginCode)
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		_, _ = fmt.Fprintf(w, `{"id":1,"public_certificate":%q}`, testKey)
	})
	c := newTestClient(t, srv.URL)
	login, err := c.AuthenticateAccount(context.Background(), "acct-1")
	if err != nil {
		t.Fatal(err)
	}
	if authSeen != "Bearer "+testKey || !strings.Contains(login.URL.String(), testLoginCode) {
		t.Fatalf("the fixture is wrong: auth %q, login %q", authSeen, login.URL)
	}
	cert, err := c.GetSSOCertificate(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	_, x509Err := cert.X509() // the "certificate" is the key: parsing it fails
	assertNoSecret(t, "X509 error", x509Err)

	// idle has a transport of its own that no request touches: printing a transport
	// in use by reflection would race with its connections.
	idle, err := New(testKey, WithHTTPClient(&http.Client{Transport: DefaultTransport()}))
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"*Client":                c,
		"Client":                 *c,
		"struct with *Client":    struct{ C *Client }{c},
		"struct with Client":     struct{ C Client }{*c},
		"[]*Client":              []*Client{c},
		"*SSOLogin":              login,
		"SSOLogin":               *login,
		"struct with SSOLogin":   struct{ L SSOLogin }{*login},
		"map of SSOLogin":        map[string]SSOLogin{"l": *login},
		"Redacted()":             login.Redacted(),
		"String()":               login.String(),
		"APIError":               APIError{StatusCode: 401, Errors: []ErrorDetail{{Message: "m"}}, Body: "b"},
		"Region":                 c.Region(),
		"BaseURL()":              c.BaseURL(),
		"Option":                 WithBaseURL(srv.URL),
		"ErrorDetail":            ErrorDetail{Message: "m", Field: "f", ErrorID: "e"},
		"RateLimit":              RateLimit{Limit: 1},
		"Certificate (with ID)":  Certificate{ID: cert.ID},
		"DefaultTransport()":     DefaultTransport(),
		"client's http.Client":   idle.gen.Client,
		"client's generated one": idle.gen,
	}
	for name, v := range values {
		assertNoSecret(t, name, v)
	}
	// A caller's own struct holding the values in unexported fields: fmt prints those
	// by reflection, without their methods. %v, %+v and %#v still show no secret (%s
	// and %q of such a struct walk into SSOLogin.URL, which is the caller's to print).
	holders := map[string]any{
		"unexported Client":   struct{ c Client }{*c},
		"unexported SSOLogin": struct{ l SSOLogin }{*login},
	}
	for name, v := range holders {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, testKey) || strings.Contains(s, testLoginCode) {
				t.Errorf("%s printed with %s shows a secret: %s", name, verb, s)
			}
		}
	}
}

// TestSecretsNotInPanics checks the panics a misuse can raise: their values, however
// printed, show neither secret.
func TestSecretsNotInPanics(t *testing.T) {
	srv := serve(t, reply(303, "", "Location", "/sso?code="+testLoginCode))
	c := newTestClient(t, srv.URL)
	var nilClient *Client
	misuses := map[string]func() error{
		"nil context GET": func() error {
			//lint:ignore SA1012 the misuse under test
			_, err := c.GetSSOCertificate(nil, "1")
			return err
		},
		"nil context POST": func() error {
			//lint:ignore SA1012 the misuse under test
			_, err := c.AuthenticateAccount(nil, "1")
			return err
		},
		"nil client GET": func() error {
			_, err := nilClient.GetSSOCertificate(context.Background(), "1")
			return err
		},
		"nil client POST": func() error {
			_, err := nilClient.AuthenticateAccount(context.Background(), "1")
			return err
		},
	}
	for name, misuse := range misuses {
		func() {
			defer func() {
				if v := recover(); v != nil {
					assertNoSecret(t, name+" (panic)", v)
				}
			}()
			assertNoSecret(t, name+" (error)", misuse())
		}()
	}
}

// TestSecretsNoRequestDumps: the package produces no request dump at all, so none can
// carry the key. It must not pull in net/http/httputil, whose dumps print the
// Authorization header.
func TestSecretsNoRequestDumps(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "net/http/httputil" {
			t.Errorf("the package imports %s: a request dump would show the key", imp)
		}
	}
}

// Server runes that could forge a line, restyle a terminal or reverse the text reach
// no error raw: they are escaped, whatever route they take.
func TestErrorsEscapeServerRunes(t *testing.T) {
	runes := []string{"\u0085", "\u009b", "\u202e", "\u2028", "\x1b", "\u200b"}
	for _, r := range runes {
		for name, h := range map[string]http.HandlerFunc{
			"foreign Location host": reply(303, "", "Location", "https://evil"+r+"host.example/login"),
			"error message":         reply(400, `[{"message":"bad`+r+`thing","field":"f`+r+`","error_id":"e`+r+`"}]`),
			"excerpt":               reply(502, "<p>bad"+r+"thing</p>"),
			"bad 200":               reply(200, "not json"+r),
		} {
			method := opGET
			if strings.Contains(name, "Location") {
				method = opPOST
			}
			err := call(context.Background(), newTestClient(t, serve(t, h).URL, WithMaxRetries(0)), method)
			if err == nil {
				t.Fatalf("%s %q: no error", name, r)
			}
			for _, text := range renderings(err) {
				if strings.Contains(text, r) {
					t.Errorf("%s %q: raw in %q", name, r, text)
					break
				}
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				for _, d := range apiErr.Errors {
					if strings.Contains(d.Message+d.Field+d.ErrorID, r) {
						t.Errorf("%s %q: raw in the detail %+v", name, r, d)
					}
				}
			}
		}
	}
}

// The standard logger routed through LogWriter shows neither the key nor a code from
// net/http's own log lines, and withholds the server's bytes they quote.
func TestLogWriterRedacts(t *testing.T) {
	c := newTestClient(t, "https://api.sendgrid.com")
	var out bytes.Buffer
	w := c.LogWriter(&out)
	lines := []string{
		fmt.Sprintf("2026/11/23 10:00:00 %s%q; err=<nil>\n", unsolicited, "HTTP/1.1 303 See Other\r\nLocation: https://app.sendgrid.com/l?"+testLoginCode),
		"2026/11/23 10:00:00 echo " + strings.ToLower(testKey) + " \x1b]0;title\x07 https://x.example/?code=" + testLoginCode + "\n",
	}
	for _, l := range lines {
		// Written in two pieces: a line is redacted whole, not piece by piece.
		if _, err := io.WriteString(w, l[:len(l)/2]); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, l[len(l)/2:]); err != nil {
			t.Fatal(err)
		}
	}
	got := out.String()
	if strings.Count(got, "\n") != 2 || strings.ContainsAny(got, "\x1b\x07\r") {
		t.Errorf("LogWriter wrote %q: want two lines, no control characters", got)
	}
	for _, secret := range []string{testKey, strings.ToLower(testKey), testLoginCode, secretMarker, "See Other"} {
		if strings.Contains(strings.ToLower(got), strings.ToLower(secret)) {
			t.Errorf("LogWriter wrote %q, which shows %q", got, secret)
		}
	}
}
