package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The Client applies an http.Client's Timeout to each attempt itself (noRedirects):
// these tests hold that it still bounds the wait for headers and the body read, that
// a timed-out GET is retried, and that the caller's client is left as it was.

// stallingServer answers after headers (and, with body, a first byte) and then waits
// until the client gives up. It counts the requests that reached it.
func stallingServer(t *testing.T, body bool) (string, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if body {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	return srv.URL, &calls
}

func TestHTTPClientTimeoutBoundsEachAttempt(t *testing.T) {
	for _, tc := range []struct {
		name string
		body bool
	}{{"awaiting headers", false}, {"reading the body", true}} {
		t.Run(tc.name, func(t *testing.T) {
			url, calls := stallingServer(t, tc.body)
			hc := &http.Client{Timeout: 50 * time.Millisecond}
			c := newTestClient(t, url, WithHTTPClient(hc), WithMaxRetries(1))
			// Should the timeout not apply, this cancels the call (context.Canceled)
			// rather than letting it hang.
			ctx, cancel := context.WithCancel(context.Background())
			defer time.AfterFunc(10*time.Second, cancel).Stop()
			_, err := c.GetSSOCertificate(ctx, "1")
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want a timeout (context.DeadlineExceeded)", err)
			}
			// The text blames the http.Client's timeout, not a context deadline the
			// caller never set.
			if !strings.Contains(err.Error(), "longer than the http.Client's 50ms timeout") {
				t.Errorf("err = %q, want it to name the http.Client's timeout", err)
			}
			var ex *exhaustedError
			if !tc.body && (!errors.As(err, &ex) || ex.attempts != 2) {
				t.Errorf("err = %v, want 2 attempts: a GET that timed out awaiting headers is retried", err)
			}
			if calls.Load() == 0 {
				t.Error("no request reached the server")
			}
			if hc.Timeout != 50*time.Millisecond || hc.CheckRedirect != nil || hc.Transport != nil {
				t.Errorf("the caller's http.Client was changed: %+v", hc)
			}
		})
	}
}

// A login's attempt is detached from the caller's context so that its body can be
// drained after the call (newAttempt); until the headers are in, it still follows that
// context as a GET's attempt does: its values and deadline reach the transport, a
// cancellation ends it, and so do the caller's deadline and the http.Client's Timeout,
// each with its own error.
func TestAttemptContextFollowsTheCaller(t *testing.T) {
	type key struct{}
	t.Run("values and deadline", func(t *testing.T) {
		for _, method := range []string{opGET, opPOST} {
			ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "v"), 10*time.Second)
			want, _ := ctx.Deadline()
			hc := &http.Client{Transport: roundTripFn(func(r *http.Request) (*http.Response, error) {
				if got, ok := r.Context().Deadline(); !ok || !got.Equal(want) {
					t.Errorf("%s: the transport sees the deadline %v (%v), want the caller's %v", method, got, ok, want)
				}
				if v := r.Context().Value(key{}); v != "v" {
					t.Errorf("%s: the transport sees the value %v, want the caller's", method, v)
				}
				return &http.Response{StatusCode: http.StatusTeapot, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
			})}
			err := call(ctx, newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(hc)), method)
			cancel()
			wantAPIError(t, err, http.StatusTeapot)
		}
	})
	t.Run("cancelled awaiting headers", func(t *testing.T) {
		for _, method := range []string{opGET, opPOST} {
			arrived := make(chan struct{}, 1)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				arrived <- struct{}{}
				<-r.Context().Done()
			})
			// The timeout only turns a regression into a failure instead of a hang.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			go func() {
				<-arrived
				cancel()
			}()
			err := call(ctx, newTestClient(t, srv.URL, WithMaxRetries(0)), method)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s: err = %v, want context.Canceled", method, err)
			}
		}
	})
	t.Run("the http.Client's timeout", func(t *testing.T) {
		url, _ := stallingServer(t, false)
		c := newTestClient(t, url, WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}), WithMaxRetries(0))
		// Should the timeout not apply, this cancels the call rather than letting it
		// hang.
		ctx, cancel := context.WithCancel(context.Background())
		defer time.AfterFunc(10*time.Second, cancel).Stop()
		_, err := c.AuthenticateAccount(ctx, "acct")
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "longer than the http.Client's 50ms timeout") {
			t.Errorf("err = %v, want context.DeadlineExceeded naming the http.Client's timeout", err)
		}
	})
}
