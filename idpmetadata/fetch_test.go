package idpmetadata

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

func TestFetch(t *testing.T) {
	a := testcert.New(t, testcert.Spec{}).X
	doc := testcert.IdPEntity("e", testcert.KeyDescriptor("", a))
	var gotAccept string
	handler := func(w http.ResponseWriter, r *http.Request) {
		gotAccept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/samlmetadata+xml")
		_, _ = w.Write([]byte(doc))
	}

	t.Run("https", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(handler))
		t.Cleanup(srv.Close)
		md, err := Fetch(context.Background(), srv.Client(), srv.URL+"/metadata")
		if err != nil {
			t.Fatal(err)
		}
		if len(md.SigningCertificates) != 1 || md.SigningCertificates[0].Fingerprint != FingerprintOf(a) {
			t.Errorf("signing certificates %+v, want the one published", md.SigningCertificates)
		}
		if !strings.Contains(gotAccept, "application/samlmetadata+xml") {
			t.Errorf("Accept %q, want the metadata media type", gotAccept)
		}
	})
	t.Run("plain http on loopback, nil client", func(t *testing.T) {
		srv := serve(t, handler)
		if _, err := Fetch(context.Background(), nil, srv.URL); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFetchRefusesURLs(t *testing.T) {
	for _, raw := range []string{
		"http://idp.example.com/metadata",
		"http://10.0.0.1/metadata",
		"ftp://idp.example.com/metadata",
		"file:///etc/passwd",
		"/metadata.xml",
		"https://user:hunter2@idp.example.com/metadata",
		"https://idp.example.com/%zz",
	} {
		_, err := Fetch(context.Background(), &http.Client{Transport: roundTripFn(func(r *http.Request) (*http.Response, error) {
			t.Errorf("%s: a request was sent", raw)
			return nil, errors.New("no")
		})}, raw)
		if !errors.Is(err, ErrInvalidURL) {
			t.Errorf("%s: err = %v, want ErrInvalidURL", raw, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: err = %q shows the password", raw, err)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	doc := testcert.IdPEntity("e", testcert.KeyDescriptor("", testcert.New(t, testcert.Spec{}).X))
	final := serve(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(doc)) })
	var hops atomic.Int32
	redirector := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		switch r.URL.Path {
		case "/loopback":
			http.Redirect(w, r, final.URL, http.StatusFound)
		case "/plain":
			http.Redirect(w, r, "http://idp.example.com/metadata", http.StatusFound)
		default:
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	})
	if _, err := Fetch(context.Background(), nil, redirector.URL+"/loopback"); err != nil {
		t.Errorf("redirect to loopback http: %v", err)
	}
	_, err := Fetch(context.Background(), nil, redirector.URL+"/plain")
	if !errors.Is(err, ErrInvalidURL) || !strings.Contains(err.Error(), "redirected to http://idp.example.com/metadata, which uses plain http") {
		t.Errorf("redirect to plain http: err = %v", err)
	}
	hops.Store(0)
	_, err = Fetch(context.Background(), nil, redirector.URL+"/loop")
	if !errors.Is(err, ErrInvalidURL) || hops.Load() != maxRedirects+1 {
		t.Errorf("a redirect loop: err = %v after %d requests, want ErrInvalidURL after %d", err, hops.Load(), maxRedirects+1)
	}
}

func TestFetchBadAnswers(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "answered 404 Not Found, not 200 OK"},
		{"an HTML login page", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html><body>Sign in</body></html>"))
		}, "an HTML page, not SAML metadata"},
		{"a body over 1 MiB", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">"))
			chunk := []byte(strings.Repeat(" ", 64<<10))
			for i := 0; i < 64; i++ { // 4 MiB, unless the client hangs up first
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 1048576 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, tc.handler)
			_, err := Fetch(context.Background(), nil, srv.URL+"/metadata?tenant=secret-ish")
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalid saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret-ish") {
				t.Errorf("err = %q shows the URL's query", err)
			}
		})
	}
}

// TestFetchBoundedByContext: a server that never answers, or stops in the
// middle of the body, holds the fetch only until the context ends. The server is
// released by the test's cleanup; nothing depends on how long anything takes.
func TestFetchBoundedByContext(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/half" {
			_, _ = w.Write([]byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">`))
			w.(http.Flusher).Flush()
		}
		arrived <- struct{}{}
		<-release
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close: LIFO

	for _, path := range []string{"/silent", "/half"} {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		_, err := Fetch(ctx, nil, srv.URL+path)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", path, err)
		}
		if errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v: a cancelled fetch is not invalid metadata", path, err)
		}
	}

	// A deadline in the past: the same, with the deadline's error.
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := Fetch(ctx, nil, srv.URL+"/silent"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired deadline: err = %v, want context.DeadlineExceeded", err)
	}
}

// No hop of a fetch goes from https to plain http: not to a loopback host either,
// where it would be a downgrade and a way into local services. Plain http on
// loopback is for a chain that started there and never was https.
func TestFetchNeverStepsDownToHTTP(t *testing.T) {
	doc := testcert.IdPEntity("e", testcert.KeyDescriptor("", testcert.New(t, testcert.Spec{}).X))
	var local atomic.Int32
	plain := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to-tls" {
			http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound)
			return
		}
		local.Add(1)
		_, _ = w.Write([]byte(doc))
	})
	port := plain.URL[strings.LastIndex(plain.URL, ":")+1:]
	for _, target := range []string{plain.URL + "/metadata", "http://localhost:" + port + "/metadata", "http://[::1]:" + port + "/metadata"} {
		tls := httptest.NewTLSServer(http.RedirectHandler(target, http.StatusFound))
		t.Cleanup(tls.Close)
		for name, start := range map[string]string{
			"https to " + target:                         tls.URL + "/metadata",
			"http on loopback, then https, to " + target: plain.URL + "/to-tls?next=" + tls.URL,
		} {
			local.Store(0)
			_, err := Fetch(context.Background(), tls.Client(), start)
			if !errors.Is(err, ErrInvalidURL) || !strings.Contains(err.Error(), "from https to plain http") {
				t.Errorf("%s: err = %v, want ErrInvalidURL for a step down to plain http", name, err)
			}
			if local.Load() != 0 {
				t.Errorf("%s: the plain http server was asked", name)
			}
		}
	}
}

// With a nil client, or one without a Transport (as the command passes), the fetch
// runs on the module's bounded transport (outbound.SharedTransport, the one
// wrapper.DefaultTransport builds), not on http.DefaultTransport: a server's 900 KiB
// of headers are refused after 64 KiB.
func TestFetchBoundsResponseHeaders(t *testing.T) {
	doc := testcert.IdPEntity("e", testcert.KeyDescriptor("", testcert.New(t, testcert.Spec{}).X))
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("a", 900<<10))
		_, _ = w.Write([]byte(doc))
	})
	for name, client := range map[string]*http.Client{"nil client": nil, "client without a Transport": {}} {
		_, err := Fetch(context.Background(), client, srv.URL)
		if err == nil || !strings.Contains(err.Error(), "exceeded 65536 bytes") {
			t.Errorf("%s, 900 KiB of headers: err = %v, want them refused after 64 KiB", name, err)
		}
	}
}
