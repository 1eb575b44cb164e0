package wrapper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testnet"
)

// discardLog silences a test server's log of the handshakes it refuses.
var discardLog = log.New(io.Discard, "", 0)

// TestDefaultTransportSettings: DefaultTransport is the module's bounded transport
// (internal/outbound's TestTransportSettings pins each of its settings), a new one at
// each call, never the shared one.
func TestDefaultTransportSettings(t *testing.T) {
	tr := DefaultTransport()
	if tr == DefaultTransport() || tr == sharedTransport() {
		t.Error("DefaultTransport returns a shared transport: callers adjusting it would change everyone's")
	}
	if tr.MaxResponseHeaderBytes != 64<<10 || tr.ResponseHeaderTimeout != 30*time.Second || tr.MaxIdleConnsPerHost != 256 {
		t.Errorf("DefaultTransport is not the bounded transport: %+v", tr)
	}
}

// TestDefaultClient checks what New uses without WithHTTPClient: the shared default
// transport, a per-attempt timeout, and no redirects: requests go straight to the
// transport (no http.Client to follow one), behind holdLocation.
func TestDefaultClient(t *testing.T) {
	for name, opts := range map[string][]Option{"no option": nil, "WithHTTPClient(nil)": {WithHTTPClient(nil)}} {
		c, err := New(testKey, opts...)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := c.gen.Client.(transportSender)
		if !ok {
			t.Fatalf("%s: the generated client sends through %T, want transportSender", name, c.gen.Client)
		}
		if c.timeout != 60*time.Second {
			t.Errorf("%s: per-attempt timeout = %v, want 60s", name, c.timeout)
		}
		if h, ok := s.rt.(holdLocation); !ok || h.next != sharedTransport() {
			t.Errorf("%s: transport = %#v, want the shared default transport", name, s.rt)
		}
	}
}

// A caller's http.Client with a cookie jar is used as an http.Client, so that the jar
// works; it never follows a redirect either.
func TestCallerClientWithJarKeepsHTTPClient(t *testing.T) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(&http.Client{Jar: jar}))
	hc, ok := c.gen.Client.(*http.Client)
	if !ok {
		t.Fatalf("the generated client sends through %T, want *http.Client", c.gen.Client)
	}
	if hc.Jar != jar || hc.CheckRedirect == nil || hc.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
		t.Errorf("the http.Client has jar %v and CheckRedirect %p: want the caller's jar and no redirects", hc.Jar, hc.CheckRedirect)
	}
	if _, ok := hc.Transport.(holdLocation); !ok {
		t.Errorf("transport = %#v, want holdLocation", hc.Transport)
	}
}

// tlsClient returns an http.Client with DefaultTransport that trusts srv's certificate.
func tlsClient(srv *httptest.Server) *http.Client {
	tr := DefaultTransport()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr.TLSClientConfig.RootCAs = pool
	return &http.Client{Transport: tr}
}

func TestDefaultTransportTLSVersions(t *testing.T) {
	cases := []struct {
		name     string
		min, max uint16
		ok       bool
	}{
		{"TLS 1.0", tls.VersionTLS10, tls.VersionTLS10, false},
		{"TLS 1.1", tls.VersionTLS11, tls.VersionTLS11, false},
		{"TLS 1.2", tls.VersionTLS12, tls.VersionTLS12, true},
		{"TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var version atomic.Uint32
			srv := serveUnstarted(t, func(w http.ResponseWriter, r *http.Request) {
				version.Store(uint32(r.TLS.Version))
				_, _ = w.Write([]byte(`{"id":1}`))
			})
			srv.TLS = &tls.Config{MinVersion: tc.min, MaxVersion: tc.max}
			srv.Config.ErrorLog = discardLog
			srv.StartTLS()
			c := newTestClient(t, srv.URL, WithHTTPClient(tlsClient(srv)), WithMaxRetries(0))
			_, err := c.GetSSOCertificate(context.Background(), "1")
			if tc.ok {
				if err != nil || version.Load() != uint32(tc.min) {
					t.Errorf("err = %v, version %x: want a %s connection", err, version.Load(), tc.name)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "protocol version") {
				t.Errorf("err = %v, want the handshake refused for %s", err, tc.name)
			}
			// Control: the server does speak that version to a client that allows it.
			old := tlsClient(srv)
			old.Transport.(*http.Transport).TLSClientConfig.MinVersion = tc.min
			resp, err := old.Get(srv.URL)
			if err != nil {
				t.Fatalf("the %s server is broken: %v", tc.name, err)
			}
			resp.Body.Close()
		})
	}
}

func TestDefaultTransportHTTP2(t *testing.T) {
	var (
		mu     sync.Mutex
		protos []string
	)
	srv := serveUnstarted(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		protos = append(protos, r.Proto)
		mu.Unlock()
		if r.Method == http.MethodPost {
			w.Header().Set("Location", "/login?code="+testLoginCode)
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		_, _ = w.Write([]byte(`{"id":1}`))
	})
	srv.EnableHTTP2 = true
	srv.StartTLS()
	c := newTestClient(t, srv.URL, WithHTTPClient(tlsClient(srv)))
	if _, err := c.GetSSOCertificate(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	l, err := c.AuthenticateAccount(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if l.URL.Query().Get("code") != testLoginCode {
		t.Errorf("login over HTTP/2 = %s", l.URL)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(protos) != 2 || protos[0] != "HTTP/2.0" || protos[1] != "HTTP/2.0" {
		t.Errorf("protocols = %v, want HTTP/2.0 for both calls", protos)
	}
}

// TestCallerHTTPClientRespected hands in a client with its own transport, timeout,
// cookie jar and a CheckRedirect that would follow: the Client uses all but the last,
// never follows a redirect, and leaves the caller's client as it was.
func TestCallerHTTPClientRespected(t *testing.T) {
	var requests, followed atomic.Int64
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch {
		case strings.HasPrefix(r.URL.Path, "/login"), strings.HasPrefix(r.URL.Path, "/elsewhere"):
			followed.Add(1)
		case r.Header.Get("X-Caller-Transport") != "yes":
			w.WriteHeader(http.StatusBadRequest)
		case r.Method == http.MethodPost:
			http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1", Path: "/"})
			w.Header().Set("Location", "/login?code="+testLoginCode)
			w.WriteHeader(http.StatusSeeOther)
		case r.URL.Path == "/v3/sso/certificates/cookie":
			if _, err := r.Cookie("seen"); err != nil {
				w.WriteHeader(http.StatusPreconditionFailed)
				return
			}
			_, _ = w.Write([]byte(`{"id":2}`))
		case r.URL.Path == "/v3/sso/certificates/moved":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		default:
			_, _ = w.Write([]byte(`{"id":1}`))
		}
	})
	var trips atomic.Int64
	transport := roundTripFn(func(r *http.Request) (*http.Response, error) {
		trips.Add(1)
		r = r.Clone(r.Context())
		r.Header.Set("X-Caller-Transport", "yes")
		return http.DefaultTransport.RoundTrip(r)
	})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var redirectAsked atomic.Int64
	checkRedirect := func(*http.Request, []*http.Request) error { redirectAsked.Add(1); return nil }
	mine := &http.Client{Transport: transport, Jar: jar, Timeout: 5 * time.Second, CheckRedirect: checkRedirect}
	before := *mine

	c := newTestClient(t, srv.URL, WithHTTPClient(mine), WithMaxRetries(0))
	login, err := c.AuthenticateAccount(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if login.URL.Query().Get("code") != testLoginCode {
		t.Errorf("login = %s", login.URL)
	}
	if _, err := c.GetSSOCertificate(context.Background(), "cookie"); err != nil {
		t.Errorf("the caller's cookie jar was not used: %v", err)
	}
	_, err = c.GetSSOCertificate(context.Background(), "moved")
	wantAPIError(t, err, http.StatusFound)
	if got := followed.Load(); got != 0 {
		t.Errorf("redirects were followed %d times", got)
	}
	if got := redirectAsked.Load(); got != 0 {
		t.Errorf("the caller's CheckRedirect was asked %d times", got)
	}
	if got, want := trips.Load(), requests.Load(); got != 3 || got != want {
		t.Errorf("caller's transport carried %d requests, server saw %d, want 3", got, want)
	}
	if mine.Transport == nil || reflect.ValueOf(mine.Transport).Pointer() != reflect.ValueOf(before.Transport).Pointer() ||
		mine.Jar != before.Jar || mine.Timeout != before.Timeout ||
		reflect.ValueOf(mine.CheckRedirect).Pointer() != reflect.ValueOf(before.CheckRedirect).Pointer() {
		t.Errorf("the caller's client changed: %+v, was %+v", *mine, before)
	}
}

// TestCallerHTTPClientTimeout: the caller's client timeout bounds a call whose context
// has no deadline.
func TestCallerHTTPClientTimeout(t *testing.T) {
	url, _ := rawServer(t, func(conn net.Conn, _ *http.Request) { _, _ = io.Copy(io.Discard, conn) })
	c := newTestClient(t, url, WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}), WithMaxRetries(0))
	start := time.Now()
	_, err := c.GetSSOCertificate(context.Background(), "1")
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("err = %v, want the client's timeout", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("a 100ms client timeout returned after %v", took)
	}
}

// The Client sends through its transport directly unless a cookie jar needs
// http.Client (newSender): either way a failed request reads as http.Client has it, a
// *url.Error naming the method and URL, and a plain-HTTP answer to https is
// http.ErrSchemeMismatch.
func TestSenderErrorsReadAsHTTPClients(t *testing.T) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := serve(t, func(w http.ResponseWriter, r *http.Request) {})
	refused := "http://" + testnet.RefusedAddr(t)
	for _, jar := range []http.CookieJar{nil, jar} {
		for _, method := range []string{opGET, opPOST} {
			c := newTestClient(t, refused, WithHTTPClient(&http.Client{Jar: jar}), WithMaxRetries(0))
			err := call(context.Background(), c, method)
			var ue *url.Error
			if !errors.As(err, &ue) || ue.Op != method[:1]+strings.ToLower(method[1:]) || !strings.HasPrefix(ue.URL, refused+"/v3/") || !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("%s (jar %v): err = %#v, want a *url.Error of the method and URL wrapping ECONNREFUSED", method, jar != nil, err)
			}
			https := "https://" + strings.TrimPrefix(plain.URL, "http://")
			c = newTestClient(t, https, WithHTTPClient(&http.Client{Jar: jar}), WithMaxRetries(0))
			if err := call(context.Background(), c, method); !errors.Is(err, http.ErrSchemeMismatch) {
				t.Errorf("%s (jar %v): https to a plain HTTP server: err = %v, want http.ErrSchemeMismatch", method, jar != nil, err)
			}
		}
	}
}
