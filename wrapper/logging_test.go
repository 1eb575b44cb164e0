package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// records decodes the JSON lines a slog JSON handler wrote.
func records(t *testing.T, out *bytes.Buffer) []map[string]any {
	t.Helper()
	var recs []map[string]any
	dec := json.NewDecoder(out)
	for {
		var r map[string]any
		if err := dec.Decode(&r); err == io.EOF {
			return recs
		} else if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
}

// summary renders the records that matter for the assertions: level, message,
// operation, attempt(s), status.
func summary(recs []map[string]any) string {
	var lines []string
	for _, r := range recs {
		line := r["level"].(string) + " " + r["msg"].(string) + " " + r["operation"].(string)
		for _, k := range []string{"attempt", "attempts", "status", "method", "path", "location_host"} {
			if v, ok := r[k]; ok {
				line += " " + k + "=" + jsonText(v)
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func TestLoggerRecordsEveryAttempt(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, _ := script(
		reply(429, `{"errors":[{"message":"slow down `+testKey+`"}]}`),
		certOK,
		redirectTo("https://app.sendgrid.com/sso?code="+testLoginCode),
		reply(503, `{"errors":[{"message":"down"}]}`),
	)
	c := newTestClient(t, serve(t, h).URL, WithLogger(logger))
	recordSleeps(c)
	if _, err := c.GetSSOCertificate(context.Background(), "5"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateAccount(context.Background(), "acct-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateAccount(context.Background(), "acct-1"); err == nil {
		t.Fatal("the 503 did not fail")
	}
	text := out.String()
	for _, secret := range []string{testKey, testLoginCode, secretMarker} {
		if strings.Contains(text, secret) {
			t.Errorf("the log shows %q:\n%s", secret, text)
		}
	}
	recs := records(t, &out)
	want := `DEBUG sendgrid attempt GetSSOCertificate attempt=1 status=429 method=GET path=/v3/sso/certificates/5
WARN sendgrid retry GetSSOCertificate attempt=1
DEBUG sendgrid attempt GetSSOCertificate attempt=2 status=200 method=GET path=/v3/sso/certificates/5
DEBUG sendgrid attempt AuthenticateAccount attempt=1 status=303 method=POST path=/v3/partners/accounts/acct-1/sso location_host=app.sendgrid.com
DEBUG sendgrid attempt AuthenticateAccount attempt=1 status=503 method=POST path=/v3/partners/accounts/acct-1/sso
WARN sendgrid gave up AuthenticateAccount attempts=1`
	if got := summary(recs); got != want {
		t.Errorf("records:\n%s\nwant:\n%s", got, want)
	}
	for _, r := range recs {
		switch r["msg"] {
		case "sendgrid attempt":
			if _, ok := r["duration"]; !ok {
				t.Errorf("attempt record without a duration: %v", r)
			}
		case "sendgrid retry":
			if r["wait"] == nil || !strings.Contains(r["reason"].(string), "429") {
				t.Errorf("retry record without its wait and reason: %v", r)
			}
		case "sendgrid gave up":
			if !strings.Contains(r["error"].(string), "503") {
				t.Errorf("give-up record without the error: %v", r)
			}
		}
	}
}

// The exchange checks a login's Location once and hands the result to the attempt
// log: a Location it refuses makes the attempt a failed one, logged with the reason,
// and no host is logged for it.
func TestLoggerRecordsARefusedLogin(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, serve(t, redirectTo("https://evil.example/sso?code="+testLoginCode)).URL, WithLogger(logger))
	if _, err := c.AuthenticateAccount(context.Background(), "acct-1"); !errors.Is(err, ErrInvalidResponse) {
		t.Fatalf("err = %v, want ErrInvalidResponse", err)
	}
	if strings.Contains(out.String(), testLoginCode) {
		t.Errorf("the log shows the code:\n%s", out.String())
	}
	recs := records(t, &out)
	want := `DEBUG sendgrid attempt AuthenticateAccount attempt=1 method=POST path=/v3/partners/accounts/acct-1/sso
WARN sendgrid gave up AuthenticateAccount attempts=1`
	if got := summary(recs); got != want {
		t.Errorf("records:\n%s\nwant:\n%s", got, want)
	}
	if e, _ := recs[0]["error"].(string); !strings.Contains(e, "the 303 Location points at https://evil.example") {
		t.Errorf("the attempt record's error is %q, want the refused Location's host", e)
	}
}

// Without a logger, or with one that does not log at Debug, the logging hooks of a
// successful attempt cost nothing: the per-call cost is what it was before WithLogger.
// BenchmarkLogger shows the whole call.
func TestLoggerOffAllocatesNothing(t *testing.T) {
	quiet := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	res := result{resp: &http.Response{StatusCode: 200}}
	for name, c := range map[string]*Client{
		"no logger":      newTestClient(t, "https://api.sendgrid.com"),
		"logger at Info": newTestClient(t, "https://api.sendgrid.com", WithLogger(quiet)),
	} {
		ctx := context.Background()
		n := testing.AllocsPerRun(100, func() {
			a := c.startAttempt(ctx, opGetCertificate, "66138975", 1)
			c.logAttempt(ctx, a, res, nil)
		})
		if n != 0 {
			t.Errorf("%s: the logging hooks allocate %v times per attempt, want 0", name, n)
		}
	}
}

// BenchmarkLogger is one GET through a loopback server without a logger, with a
// logger that does not log at Debug, and with one that does (JSON to io.Discard).
func BenchmarkLogger(b *testing.B) {
	srv := serve(b, certOK)
	for name, logger := range map[string]*slog.Logger{
		"off":   nil,
		"info":  slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})),
		"debug": slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})),
	} {
		b.Run(name, func(b *testing.B) {
			c := newTestClient(b, srv.URL, WithLogger(logger))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetSSOCertificate(context.Background(), "5"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
