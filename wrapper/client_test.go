package wrapper

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNewRefusesBadConfiguration(t *testing.T) {
	cases := []struct {
		name string
		key  string
		opts []Option
		want string
	}{
		{"empty key", "", nil, "API key is empty"},
		{"blank key", "  \n", nil, "API key is empty"},
		{"key with inner space", "SG.abc def", nil, "not printable ASCII"},
		{"key with a BOM", "\ufeffSG.abc", nil, "not printable ASCII at byte 1"},
		{"key with a zero-width space", "SG.ab\u200bc", nil, "not printable ASCII at byte 6"},
		{"key with a soft hyphen", "SG.ab\u00adc", nil, "not printable ASCII"},
		{"key with a non-breaking space", "SG.ab\u00a0c", nil, "not printable ASCII"},
		{"key with a control character", "SG.ab\x7fc", nil, "not printable ASCII"},
		{"key with a letter outside ASCII", "SG.abç", nil, "not printable ASCII"},
		{"nil option", testKey, []Option{WithMaxRetries(1), nil}, "option 2 of 2 is nil"},
		{"User-Agent with CRLF", testKey, []Option{WithUserAgent("x\r\nEvil: 1")}, "User-Agent product has a character that is not printable ASCII at byte 2"},
		{"User-Agent with a tab", testKey, []Option{WithUserAgent("x\ty")}, "User-Agent"},
		{"unknown region", testKey, []Option{WithRegion("mars")}, `unknown region "mars"`},
		{"relative base URL", testKey, []Option{WithBaseURL("/v3")}, "must be absolute"},
		{"no host", testKey, []Option{WithBaseURL("https://")}, "must be absolute"},
		{"plain http off loopback", testKey, []Option{WithBaseURL("http://api.sendgrid.com")}, "plain http"},
		{"plain http on a private address", testKey, []Option{WithBaseURL("http://10.0.0.1:8080")}, "plain http"},
		{"ftp scheme", testKey, []Option{WithBaseURL("ftp://api.sendgrid.com")}, `scheme "ftp"`},
		{"user info", testKey, []Option{WithBaseURL("https://user:pw@api.sendgrid.com")}, "user info"},
		{"query", testKey, []Option{WithBaseURL("https://api.sendgrid.com/?a=b")}, "query"},
		{"negative retries", testKey, []Option{WithMaxRetries(-1)}, "max retries is -1"},
		{"negative retry wait", testKey, []Option{WithMaxRetryWait(-time.Second)}, "max retry wait is -1s"},
		{"unknown region beside a base URL", testKey, []Option{WithRegion("mars"), WithBaseURL("https://proxy.example")}, `unknown region "mars"`},
		{"unparsable", testKey, []Option{WithBaseURL("https://a b/%zz")}, "does not parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.key, tc.opts...)
			if err == nil {
				t.Fatalf("New succeeded (%v), want an error containing %q", c, tc.want)
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error %q does not wrap ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "def") && tc.key == "SG.abc def" {
				t.Errorf("error %q repeats the key", err)
			}
		})
	}
}

func TestNewAcceptsRegionsAndLoopback(t *testing.T) {
	cases := []struct {
		opts []Option
		want string
	}{
		{nil, "https://api.sendgrid.com/"},
		{[]Option{WithRegion(RegionGlobal)}, "https://api.sendgrid.com/"},
		{[]Option{WithRegion(RegionEU)}, "https://api.eu.sendgrid.com/"},
		{[]Option{WithRegion(RegionEU), WithBaseURL("https://proxy.example/sg")}, "https://proxy.example/sg/"},
		{[]Option{WithBaseURL("http://localhost:8025")}, "http://localhost:8025/"},
		{[]Option{WithBaseURL("http://127.0.0.2:1")}, "http://127.0.0.2:1/"},
		{[]Option{WithBaseURL("http://[::1]:8025/")}, "http://[::1]:8025/"},
		{[]Option{WithBaseURL("HTTPS://API.sendgrid.com")}, "https://API.sendgrid.com/"},
	}
	for _, tc := range cases {
		c, err := New(" "+testKey+"\n", tc.opts...)
		if err != nil {
			t.Fatalf("New(%v): %v", tc.want, err)
		}
		if got := c.baseURL.String(); got != tc.want {
			t.Errorf("base URL = %q, want %q", got, tc.want)
		}
	}
}

func TestParseRegion(t *testing.T) {
	for in, want := range map[string]Region{"": RegionGlobal, "global": RegionGlobal, " EU ": RegionEU, "eu": RegionEU} {
		got, err := ParseRegion(in)
		if err != nil || got != want {
			t.Errorf("ParseRegion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseRegion("us"); err == nil || !strings.Contains(err.Error(), `use "global" or "eu"`) {
		t.Errorf("ParseRegion(us) error = %v, want one naming the valid regions", err)
	}
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	if _, err := NewFromEnv(); err == nil || !strings.Contains(err.Error(), EnvAPIKey) {
		t.Fatalf("NewFromEnv without a key: err = %v, want one naming %s", err, EnvAPIKey)
	}
	t.Setenv(EnvAPIKey, testKey)
	t.Setenv(EnvRegion, "moon")
	if _, err := NewFromEnv(); err == nil || !strings.Contains(err.Error(), EnvRegion) || !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("NewFromEnv with a bad region: err = %v, want one naming %s", err, EnvRegion)
	}
	t.Setenv(EnvRegion, "eu")
	c, err := NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.region != RegionEU || c.baseURL.String() != "https://api.eu.sendgrid.com/" {
		t.Errorf("region %q base %q, want eu", c.region, c.baseURL)
	}
	c, err = NewFromEnv(WithRegion(RegionGlobal))
	if err != nil || c.region != RegionGlobal {
		t.Errorf("an explicit option should override the environment: %v %v", c, err)
	}
}

// TestRequestHeaders checks the bearer key, the User-Agent, method and path of both
// operations.
func TestRequestHeaders(t *testing.T) {
	type seen struct{ method, path, auth, ua string }
	ch := make(chan seen, 2)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ch <- seen{r.Method, r.URL.EscapedPath(), r.Header.Get("Authorization"), r.Header.Get("User-Agent")}
		if r.Method == http.MethodPost {
			w.Header().Set("Location", "/login?code=x")
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		_, _ = w.Write([]byte(`{"id":1}`))
	})
	c := newTestClient(t, srv.URL+"/prefix", WithUserAgent("console/1.2"))
	if _, err := c.GetSSOCertificate(context.Background(), "42"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateAccount(context.Background(), "acct"); err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{"GET", "/prefix/v3/sso/certificates/42", "Bearer " + testKey, "console/1.2 " + userAgent},
		{"POST", "/prefix/v3/partners/accounts/acct/sso", "Bearer " + testKey, "console/1.2 " + userAgent},
	}
	for _, w := range want {
		if got := <-ch; got != w {
			t.Errorf("request = %+v, want %+v", got, w)
		}
	}
	if !strings.HasPrefix(userAgent, "sendgrid-sso-go/"+Version) {
		t.Errorf("User-Agent %q does not name the module and version", userAgent)
	}
}

func TestClientFormattingHidesKey(t *testing.T) {
	c := newTestClient(t, "https://api.sendgrid.com")
	for _, s := range []string{c.String(), sprintf("%v", c), sprintf("%+v", c), sprintf("%#v", c), sprintf("%s", c), sprintf("%v", *c), sprintf("%+v", *c), sprintf("%v", []any{c}), sprintf("%+v", struct{ C *Client }{c})} {
		if strings.Contains(s, testKey) || strings.Contains(s, "NEVER-PRINT") {
			t.Errorf("formatted client shows the key: %s", s)
		}
		if !strings.Contains(s, "REDACTED") {
			t.Errorf("formatted client %q does not say the key is redacted", s)
		}
	}
}

func TestIDsAreRefusedOrSentAsOneSegment(t *testing.T) {
	paths := make(chan string, 16)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.EscapedPath()
		_, _ = w.Write([]byte(`{}`))
	})
	c := newTestClient(t, srv.URL)
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.GetSSOCertificate(context.Background(), id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("GetSSOCertificate(%q) err = %v, want ErrInvalidID", id, err)
		}
		if _, err := c.AuthenticateAccount(context.Background(), id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("AuthenticateAccount(%q) err = %v, want ErrInvalidID", id, err)
		}
	}
	if len(paths) != 0 {
		t.Fatalf("%d requests were sent for refused IDs", len(paths))
	}
	for id, want := range map[string]string{
		"a/b":       "/v3/sso/certificates/a%2Fb",
		"../admin":  "/v3/sso/certificates/..%2Fadmin",
		"x?y#z":     "/v3/sso/certificates/x%3Fy%23z",
		"%2e%2e":    "/v3/sso/certificates/%252e%252e",
		"sp ace":    "/v3/sso/certificates/sp%20ace",
		"...":       "/v3/sso/certificates/...",
		"é":         "/v3/sso/certificates/%C3%A9",
		"66138975":  "/v3/sso/certificates/66138975",
		"a;b=c,d&e": "/v3/sso/certificates/a%3Bb=c%2Cd&e",
	} {
		if _, err := c.GetSSOCertificate(context.Background(), id); err != nil {
			t.Fatalf("GetSSOCertificate(%q): %v", id, err)
		}
		got := <-paths
		if got != want {
			t.Errorf("ID %q went as %q, want %q", id, got, want)
		}
		if n := strings.Count(strings.TrimPrefix(got, "/v3/sso/certificates/"), "/"); n != 0 {
			t.Errorf("ID %q became %d extra segments", id, n)
		}
	}
}

// TestCallerClientIsNotChanged hands in a client that follows redirects and checks
// that the wrapper neither follows the 303 nor changes the caller's client.
func TestCallerClientIsNotChanged(t *testing.T) {
	followed := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) { followed++ })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/login?code=ONE-TIME")
		w.WriteHeader(http.StatusSeeOther)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mine := &http.Client{}
	c := newTestClient(t, srv.URL, WithHTTPClient(mine))
	login, err := c.AuthenticateAccount(context.Background(), "acct")
	if err != nil {
		t.Fatal(err)
	}
	if followed != 0 {
		t.Errorf("the redirect was followed %d times: the code is spent", followed)
	}
	if mine.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
	if got := login.URL.String(); got != srv.URL+"/login?code=ONE-TIME" {
		t.Errorf("login URL = %q", got)
	}
	// The caller's client still follows redirects for the caller's own use.
	resp, err := mine.Post(srv.URL+"/v3/partners/accounts/x/sso", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if followed != 1 {
		t.Errorf("the caller's own client no longer follows redirects (followed=%d)", followed)
	}
}
