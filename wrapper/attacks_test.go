package wrapper

// Routes around the promises of SECURITY.md that an independent review (an attacker's
// eye) found, one test each; each failed before its fix.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// A caller's mistake in WithBaseURL (the key put in a proxy URL's query or path) is
// quoted raw by New's errors: they never pass the redactor, which knows the key.
func TestConfigErrorsHideTheKeyInABaseURL(t *testing.T) {
	for name, base := range map[string]string{
		"key in the query":                  "https://proxy.example/sendgrid?api_key=" + testKey,
		"key in the path of plain http":     "http://proxy.example/" + testKey,
		"key in the path, unknown scheme":   "ftp://proxy.example/" + testKey,
		"key in the path of a relative URL": "proxy.example/" + testKey,
	} {
		_, err := New(testKey, WithBaseURL(base))
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want ErrInvalidConfig", name, err)
		}
		assertNoSecret(t, name, err)
	}
}

// A 303 to a sendgrid.com subdomain spelled as the key (a proxy echoing the
// Authorization header) or as the code is accepted, and then SSOLogin's String,
// LogValue and MarshalJSON, which show the host, show the secret; the attempt's
// location_host log attribute shows the code.
func TestSecretsInATrustedLoginHost(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"key as a sendgrid.com subdomain": echoKey(303, func(string) string { return "" },
			"Location", "https://"+testKey+".sendgrid.com/login?code=x"),
		"code as a sendgrid.com subdomain": reply(303, "",
			"Location", "https://"+testLoginCode+".sendgrid.com/login?code="+testLoginCode),
	} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newTestClient(t, serve(t, h).URL, WithLogger(logger))
			login, err := c.AuthenticateAccount(context.Background(), "acct-1")
			if err != nil {
				assertNoSecret(t, "error", err)
			} else {
				assertNoSecret(t, "login", login)
			}
			if strings.Contains(strings.ToLower(logs.String()), strings.ToLower(secretMarker)) {
				t.Errorf("the client's log shows a secret:\n%s", logs.String())
			}
		})
	}
}

// readerSees is a text as a reader reads it: escapes as net/http's %q writes them
// and white space taken out, and the runes a terminal does not show (default
// ignorable code points such as U+034F and variation selectors, which are marks or
// letters, not format runes) dropped.
func readerSees(s string) string {
	s = escapeSequence.ReplaceAllString(s, "")
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
			unicode.Is(unicode.Variation_Selector, r) || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s))
}

// The redactor recognises the key with invisible format runes or bad bytes inside it,
// but not in forms a reader still reads as the key: split by a NUL inside net/http's
// %q quote (it arrives as the four characters \x00), folded by a line break (the
// excerpt shows a space), or split by an invisible rune that unicode.IsPrint counts
// as printable (U+034F COMBINING GRAPHEME JOINER, U+FE0F, U+3164 HANGUL FILLER),
// which safetext passes raw, so the text on screen is the key itself.
func TestRedactorSeesWhatAReaderSees(t *testing.T) {
	split := func(s, sep string) string { return s[:len(s)/2] + sep + s[len(s)/2:] }
	cases := map[string]func(t *testing.T) string{ // each returns a base URL
		"key split by a NUL in a malformed header line net/http quotes": func(t *testing.T) string {
			url, _ := rawServer(t, func(conn net.Conn, _ *http.Request) {
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\n"+split(testKey, "\x00")+"\r\nContent-Length: 0\r\n\r\n")
			})
			return url
		},
		"key folded by a line break in an error page": func(t *testing.T) string {
			return serve(t, echoKey(502, func(a string) string { return "<pre>" + split(a, "\r\n ") + "</pre>" })).URL
		},
	}
	for _, r := range []string{"\u034f", "\ufe0f", "\u3164"} {
		cases[fmt.Sprintf("key split by U+%04X", []rune(r)[0])] = func(t *testing.T) string {
			return serve(t, echoKey(400, func(a string) string { return `[{"message":"denied ` + split(a, r) + `"}]` })).URL
		}
	}
	for name, url := range cases {
		t.Run(name, func(t *testing.T) {
			err := call(context.Background(), newTestClient(t, url(t), WithMaxRetries(0)), opGET)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range renderings(err) {
				seen := readerSees(s)
				if strings.Contains(seen, strings.ToLower(testKey)) || strings.Contains(seen, strings.ToLower(secretMarker)) {
					t.Errorf("a reader reads the key in %q", s)
					return
				}
			}
		})
	}
}

// LogWriter cuts a long line to 64 KiB before it redacts it: a key that straddles
// the cut is no longer the whole key, is not recognised, and its first part is
// written out.
func TestLogWriterCutLeavesNoPartOfTheKey(t *testing.T) {
	c := newTestClient(t, "https://api.sendgrid.com")
	var out bytes.Buffer
	w := c.LogWriter(&out)
	line := strings.Repeat("a", maxLogLine-30) + testKey + "\n"
	if _, err := io.WriteString(w, line); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Contains(got, secretMarker) || strings.Contains(got, testKey[:20]) {
		t.Errorf("LogWriter wrote part of the key: …%q", got[max(len(got)-80, 0):])
	}
}

// The client once held a redirect's Location in a response header of its own,
// X-Sendgrid-Sso-Go-Held-Location, and a server could send that header itself: a 303
// without any Location was then accepted as a login, where SECURITY.md promises "none
// at all" is an error. The Location now reaches the exchange through the attempt's
// context (heldLocation), and that header is one like any other, which nothing reads.
func TestHeldLocationHeaderFromTheServerIsNoLocation(t *testing.T) {
	srv := serve(t, reply(303, "", "X-Sendgrid-Sso-Go-Held-Location", "https://app.sendgrid.com/login?code=x"))
	login, err := newTestClient(t, srv.URL).AuthenticateAccount(context.Background(), "acct-1")
	if !errors.Is(err, ErrInvalidResponse) {
		t.Errorf("a 303 without Location gave login %v, err %v: want ErrInvalidResponse", login, err)
	}
}

// A caller's http.Client with a typed-nil transport (var tr *http.Transport), or a
// nil RoundTripper func, makes every call panic instead of failing with
// ErrInvalidConfig, in New or in the call.
func TestNilTransportsAreConfigErrors(t *testing.T) {
	var typedNil *http.Transport
	var nilFunc roundTripFn
	for name, rt := range map[string]http.RoundTripper{"typed nil *http.Transport": typedNil, "nil RoundTripper func": nilFunc} {
		t.Run(name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if v := recover(); v != nil {
						t.Errorf("panic: %v", v)
					}
				}()
				var c *Client
				if c, err = New(testKey, WithHTTPClient(&http.Client{Transport: rt})); err == nil {
					_, err = c.GetSSOCertificate(context.Background(), "1")
				}
			}()
			if err != nil && !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("err = %v, want ErrInvalidConfig", err)
			}
		})
	}
}

// A code that stands in a Location's host in another case than in its query was
// hidden only when the cases matched: a foreign host's error, and a trusted
// sendgrid.com host's String, LogValue and JSON, showed it.
func TestCodeInALocationHostInAnotherCase(t *testing.T) {
	code := testLoginCode
	for name, location := range map[string]string{
		"foreign host, code upper-cased":       "https://" + strings.ToUpper(code) + ".evil.example/login?code=" + code,
		"foreign host, code lower-cased":       "https://" + strings.ToLower(code) + ".evil.example/login?code=" + code,
		"sendgrid.com host, code upper-cased":  "https://" + strings.ToUpper(code) + ".sendgrid.com/login?code=" + code,
		"sendgrid.com host, query upper-cased": "https://" + code + ".sendgrid.com/login?code=" + strings.ToUpper(code),
	} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newTestClient(t, serve(t, reply(303, "", "Location", location)).URL, WithLogger(logger))
			login, err := c.AuthenticateAccount(context.Background(), "acct-1")
			if err == nil {
				t.Errorf("a login on a host that carries the code was accepted: %v", login)
			}
			assertNoSecret(t, "error", err)
			if strings.Contains(readerSees(logs.String()), readerSees(secretMarker)) {
				t.Errorf("the client's log shows a secret:\n%s", logs.String())
			}
		})
	}
}
