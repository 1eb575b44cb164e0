package wrapper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/build"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
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
		seen := strings.ToLower(s) + " " + readerSees(s)
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
		{"key with its S as a JSON escape in an excerpt", opGET, echoKey(502, func(a string) string { return `<p>\u0053` + a[len("Bearer S"):] + "</p>" })},
		{"key with its dots percent-encoded in an excerpt", opGET, echoKey(502, func(a string) string { return "<p>" + strings.ReplaceAll(a, ".", "%2E") + "</p>" })},
		{"code after login%3Fcode%3D in an excerpt", opGET, reply(502, "<p>see https://app.sendgrid.com/login%3Fcode%3D"+code+"</p>")},
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
		"String()":               login.String(),
		"APIError":               APIError{StatusCode: 401, Errors: []ErrorDetail{{Message: "m"}}, Body: "b"},
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

// decodings returns s and what a browser, a JSON or URL decoder or a reader's eye
// makes of it: percent-encoding, JSON and Go escapes and HTML character references
// decoded, in every order, up to three deep. A leak check looks at every form.
func decodings(s string) []string {
	percent := regexp.MustCompile(`%[0-9a-fA-F]{2}`)
	escaped := regexp.MustCompile(`\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})`)
	decoders := []func(string) string{
		html.UnescapeString,
		func(s string) string {
			return percent.ReplaceAllStringFunc(s, func(m string) string {
				n, _ := strconv.ParseUint(m[1:], 16, 8)
				return string([]byte{byte(n)})
			})
		},
		func(s string) string {
			return escaped.ReplaceAllStringFunc(s, func(m string) string {
				n, _ := strconv.ParseUint(m[2:], 16, 32)
				if m[1] == 'x' {
					return string([]byte{byte(n)})
				}
				return string(rune(n))
			})
		},
	}
	seen := map[string]bool{s: true}
	forms := []string{s}
	for depth, next := 0, 0; depth < 3; depth++ {
		end := len(forms)
		for _, f := range forms[next:end] {
			for _, d := range decoders {
				if g := d(f); !seen[g] {
					seen[g] = true
					forms = append(forms, g)
				}
			}
		}
		next = end
	}
	return forms
}

// The redactor matches on the text as a decoder reads it, not only as it is
// written: a key or a code spelled with percent-encoding, JSON or Go escapes or HTML
// character references is hidden, in the spelling it was written in, and the text
// around it survives as it was.
func TestRedactEncodedSpellings(t *testing.T) {
	key, code := testKey, testLoginCode
	percentAll := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	}
	cases := map[string]string{
		"key with its S as a JSON escape":                    `\u0053` + key[1:],
		"key with its S as a Go byte escape":                 `\x53` + key[1:],
		"key with its S as a decimal HTML reference":         "&#83;" + key[1:],
		"key with its S as a hex HTML reference":             "&#x53;" + key[1:],
		"key with its S as an HTML reference without ;":      "&#83" + key[1:],
		"key with its dots percent-encoded":                  strings.ReplaceAll(key, ".", "%2E"),
		"key with its dots percent-encoded in lower case":    strings.ReplaceAll(key, ".", "%2e"),
		"key with its dots as JSON escapes":                  strings.ReplaceAll(key, ".", `\u002e`),
		"key with its dots as named HTML references":         strings.ReplaceAll(key, ".", "&period;"),
		"key percent-encoded throughout":                     percentAll(key),
		"key upper-cased, its dots percent-encoded":          strings.ToUpper(strings.ReplaceAll(key, ".", "%2E")),
		"key with its S HTML-escaped twice":                  "&amp;#83;" + key[1:],
		"key with its S as a JSON escape, percent-encoded":   "%5Cu0053" + key[1:],
		"key with its S as an HTML reference in JSON":        `\u0026#83;` + key[1:],
		"key with a percent-encoded zero-width space inside": key[:10] + "%E2%80%8B" + key[10:],
		"code after login%3Fcode%3D":                         "https://app.sendgrid.com/login%3Fcode%3D" + code,
		"code after login%3fcode%3d":                         "https://app.sendgrid.com/login%3fcode%3d" + code,
		`code after login\u003fcode\u003d`:                   `https://app.sendgrid.com/login\u003fcode\u003d` + code,
		"code after login&#63;code&#61;":                     "https://app.sendgrid.com/login&#63;code&#61;" + code,
		"code after login%253Fcode%253D (encoded twice)":     "https://app.sendgrid.com/login%253Fcode%253D" + code,
		"code after code%3D":                                 "your code%3D" + code,
		"code after c&#111;de=":                              "your c&#111;de=" + code,
		"code after CODE=":                                   "your CODE=" + code,
		"code in escaped quotes":                             `code=\"` + code + `\"`,
		"code in HTML quotes":                                "code=&quot;" + code + "&quot;",
		"code in percent-encoded quotes":                     "code%3D%22" + code + "%22",
		"code percent-encoded throughout after code=":        "code=" + percentAll(code),
		"code with a percent-encoded quote inside":           "code=" + code[:4] + "%22" + code[4:],
		"code after a percent-encoded space in the query":    "https://app.sendgrid.com/login?next=a%20" + code,
		"code in a percent-encoded URL in a query":           "https://idp.example/?next=https%3A%2F%2Fapp.sendgrid.com%2Flogin%3Fstate%3D%2522x%2522%26code%3D" + code,
	}
	r := newRedactor(testKey)
	for name, spelling := range cases {
		in := "before " + spelling + " after"
		out := r.text(in, 0)
		if !strings.HasPrefix(out, "before ") || !strings.HasSuffix(out, " after") {
			t.Errorf("%s: %q lost the text around the secret: %q", name, in, out)
		}
		if again := r.text(out, 0); again != out {
			t.Errorf("%s: redacting %q again gives %q", name, out, again)
		}
	forms:
		for _, form := range decodings(out) {
			seen := readerSees(form)
			for _, secret := range []string{testKey, testLoginCode, secretMarker} {
				if strings.Contains(seen, readerSees(secret)) {
					t.Errorf("%s: %q became %q, which decodes to %q and shows %q", name, in, out, form, secret)
					break forms
				}
			}
		}
	}
}

// A code= value is hidden up to the end of the value, whatever ends it, and only up
// to there: quoted (in any quotes, also escaped as %q writes them), in angle
// brackets, or followed by the next query parameter or a fragment.
func TestLogWriterHidesACodeWhateverItsDelimiter(t *testing.T) {
	code := testLoginCode
	c := newTestClient(t, "https://api.sendgrid.com")
	for name, tc := range map[string]struct{ value, rest string }{
		"double quotes":     {`"` + code + `"`, ` after`},
		"apostrophes":       {`'` + code + `'`, ` after`},
		"backticks":         {"`" + code + "`", ` after`},
		"angle brackets":    {"<" + code + ">", ` after`},
		"escaped quotes":    {`\"` + code + `\"`, ` after`},
		"the next one":      {code, `&state=kept after`},
		"a fragment":        {code, `#kept after`},
		"a tab":             {code, "\tafter"},
		"the line's end":    {code, ``},
		"an HTML reference": {"&quot;" + code + "&quot;", ` after`},
	} {
		var out bytes.Buffer
		if _, err := io.WriteString(c.LogWriter(&out), "2026/11/23 10:00:00 sent code="+tc.value+tc.rest+"\n"); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if strings.Contains(readerSees(got), readerSees(code)) {
			t.Errorf("%s: LogWriter wrote %q, which shows the code", name, got)
		}
		if want := strings.ReplaceAll(tc.rest, "\t", " ") + "\n"; !strings.HasSuffix(got, want) {
			t.Errorf("%s: LogWriter wrote %q: want it to end with %q", name, got, want)
		}
	}
}

// BenchmarkRedactText is the redactor's cost on what it sees: an error excerpt, plain
// or HTML with character references (decoded for matching), and a 64 KiB log line.
func BenchmarkRedactText(b *testing.B) {
	r := newRedactor(testKey)
	for name, s := range map[string]string{
		"plain excerpt":               strings.Repeat("upstream error, try again later. ", 6),
		"HTML excerpt":                `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>see /status?x=1 &amp; retry</p></body></html>`,
		"64 KiB line":                 strings.Repeat("abcd", 16<<10),
		"64 KiB line with references": strings.Repeat("a&amp;b ", 8<<10),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.text(s, bodyExcerptLen)
			}
		})
	}
}
