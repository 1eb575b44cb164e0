package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorFromBothBodyShapes(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   []ErrorDetail
		text   []string // substrings of Error()
	}{
		{
			"envelope", 404,
			`{"errors":[{"message":"No such endpoint","field":"","error_id":"10-40400"}]}`,
			[]ErrorDetail{{Message: "No such endpoint", ErrorID: "10-40400"}},
			[]string{"GetSSOCertificate", "404 Not Found", "No such endpoint [10-40400]"},
		},
		{
			"bare array with null field", 400,
			`[{"message":"bad id","field":null,"error_id":"e1"},{"message":"second","field":"cert_id"}]`,
			[]ErrorDetail{{Message: "bad id", ErrorID: "e1"}, {Message: "second", Field: "cert_id"}},
			[]string{"400 Bad Request", "bad id [e1]; second (field cert_id)"},
		},
		{
			"docs 429", 429,
			`{"errors":[{"field":null,"message":"too many requests"}]}`,
			[]ErrorDetail{{Message: "too many requests"}},
			[]string{"429 Too Many Requests: too many requests"},
		},
		{
			"HTML page", 502,
			"<html>\n<body><h1>502   Bad Gateway</h1>\n" + strings.Repeat("x", 500) + "</body></html>",
			nil,
			[]string{"502 Bad Gateway", `body "<html> <body><h1>502 Bad Gateway</h1>`, "…"},
		},
		{"empty body", 500, "", nil, []string{"500 Internal Server Error"}},
		{"JSON of the wrong type", 403, `{"errors":"nope"}`, nil, []string{`403 Forbidden: body "{\"errors\":\"nope\"}"`}},
		{"undeclared status", 418, `[]`, nil, []string{"418 I'm a teapot"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			_, err := newTestClient(t, srv.URL, WithMaxRetries(0)).GetSSOCertificate(context.Background(), "1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if apiErr.StatusCode != tc.status {
				t.Errorf("StatusCode = %d, want %d", apiErr.StatusCode, tc.status)
			}
			if len(apiErr.Errors) != len(tc.want) {
				t.Fatalf("Errors = %+v, want %+v", apiErr.Errors, tc.want)
			}
			for i := range tc.want {
				if apiErr.Errors[i] != tc.want[i] {
					t.Errorf("Errors[%d] = %+v, want %+v", i, apiErr.Errors[i], tc.want[i])
				}
			}
			for _, s := range tc.text {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Error() = %q, want it to contain %q", err, s)
				}
			}
			if len(apiErr.Body) > bodyExcerptLen+len("…") {
				t.Errorf("Body excerpt is %d bytes, want at most %d", len(apiErr.Body), bodyExcerptLen)
			}
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	for status, sentinel := range map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 429: ErrRateLimited, 500: ErrServer, 504: ErrServer} {
		err := error(&APIError{StatusCode: status})
		if !errors.Is(err, sentinel) {
			t.Errorf("%d is not %v", status, sentinel)
		}
		for _, other := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer} {
			if other != sentinel && errors.Is(err, other) {
				t.Errorf("%d matches %v too", status, other)
			}
		}
	}
}

func TestAPIErrorHeadersAndRedaction(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.Header().Set("X-RateLimit-Limit", "600")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", "1893456000")
		w.WriteHeader(http.StatusUnauthorized)
		// A misbehaving proxy echoing the request's credentials back.
		_, _ = w.Write([]byte("<pre>Authorization: " + r.Header.Get("Authorization") + "</pre>"))
	})
	_, err := newTestClient(t, srv.URL).GetSSOCertificate(context.Background(), "1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.RetryAfter != 7*time.Second {
		t.Errorf("RetryAfter = %v, want 7s", apiErr.RetryAfter)
	}
	want := RateLimit{Limit: 600, Remaining: 0, Reset: time.Unix(1893456000, 0)}
	if apiErr.RateLimit != want {
		t.Errorf("RateLimit = %+v, want %+v", apiErr.RateLimit, want)
	}
	for _, s := range []string{err.Error(), sprintf("%+v", apiErr), sprintf("%#v", apiErr)} {
		if strings.Contains(s, testKey) {
			t.Errorf("the API key leaks: %s", s)
		}
	}
	if !strings.Contains(apiErr.Body, "Bearer [REDACTED]") {
		t.Errorf("Body = %q, want the echoed key redacted", apiErr.Body)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"99999999999999999", time.Duration(1<<63 - 1).Truncate(time.Second), true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAPIErrorTextIsOneBoundedLine(t *testing.T) {
	many := `{"errors":[` + strings.Repeat(`{"message":"m"},`, 300) + `{"message":"last"}]}`
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		if r.URL.Path == "/v3/sso/certificates/many" {
			_, _ = w.Write([]byte(many))
			return
		}
		_, _ = w.Write([]byte(`[{"message":"bad\nINFO forged log line\r\u001b[31m","field":"a\tb","error_id":"` + strings.Repeat("9", 5000) + `"}]`))
	})
	c := newTestClient(t, srv.URL)
	_, err := c.GetSSOCertificate(context.Background(), "ctl")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatal(err)
	}
	if strings.ContainsAny(err.Error(), "\n\r\t\x1b") {
		t.Errorf("Error() %q carries control characters", err)
	}
	if d := apiErr.Errors[0]; d.Message != `bad INFO forged log line \x1b[31m` || d.Field != "a b" || len(d.ErrorID) > maxDetailLen+len("…") {
		t.Errorf("detail = %q %q (error_id %d bytes)", d.Message, d.Field, len(d.ErrorID))
	}
	_, err = c.GetSSOCertificate(context.Background(), "many")
	if !errors.As(err, &apiErr) || len(apiErr.Errors) != maxErrorDetails {
		t.Errorf("kept %d error details of 301, want %d", len(apiErr.Errors), maxErrorDetails)
	}
}

// A key echoed more than once must be redacted everywhere, also where the excerpt is
// cut: a copy cut in half would otherwise slip past the redaction.
func TestRedactBeforeCutting(t *testing.T) {
	r := newRedactor(testKey)
	for _, gap := range []int{0, 1, 150, 180, 199, 250} {
		s := testKey + strings.Repeat("x", gap) + testKey + " " + testKey
		for _, limit := range []int{10, 100, 200, 1000} {
			out := r.text(s, limit)
			// Any piece of a key cut short starts with its first characters.
			if strings.Contains(out, testKey[:6]) {
				t.Errorf("gap %d limit %d: %q shows part of the key", gap, limit, out)
			}
			if len(out) > limit+len("…") {
				t.Errorf("gap %d limit %d: %d bytes", gap, limit, len(out))
			}
		}
	}
}
