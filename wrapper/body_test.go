package wrapper

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBodiesAreBounded(t *testing.T) {
	pad := func(n int) string {
		return `{"id":9,"public_certificate":"` + strings.Repeat("A", n-len(`{"id":9,"public_certificate":""}`)) + `"}`
	}
	for _, tc := range []struct {
		size int
		ok   bool
	}{{maxBodyBytes, true}, {maxBodyBytes + 1, false}, {4 * maxBodyBytes, false}} {
		body := pad(tc.size)
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
		cert, err := newTestClient(t, srv.URL).GetSSOCertificate(context.Background(), "9")
		if tc.ok && (err != nil || cert.ID != 9) {
			t.Errorf("%d bytes: %v, want the certificate", tc.size, err)
		}
		if !tc.ok && (!errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), "larger than 1048576 bytes")) {
			t.Errorf("%d bytes: err = %v, want ErrInvalidResponse naming the limit", tc.size, err)
		}
	}
}

// closeRecorder is a body that counts how many bytes were read and whether it was
// closed.
type closeRecorder struct {
	remaining int
	read      int
	closed    bool
}

func (b *closeRecorder) Read(p []byte) (int, error) {
	if b.remaining == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.remaining)
	for i := range p[:n] {
		p[i] = 'A'
	}
	b.remaining -= n
	b.read += n
	return n, nil
}

func (b *closeRecorder) Close() error { b.closed = true; return nil }

func TestBodiesAreClosed(t *testing.T) {
	for _, size := range []int{10, maxBodyBytes + 1, 64 * maxBodyBytes} {
		for _, status := range []int{200, 500} {
			body := &closeRecorder{remaining: size}
			rt := roundTripFn(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: status, Header: http.Header{}, Body: body, Request: r}, nil
			})
			c := newTestClient(t, "https://api.sendgrid.com", WithHTTPClient(&http.Client{Transport: rt}), WithMaxRetries(0))
			_, _ = c.GetSSOCertificate(context.Background(), "1")
			if !body.closed {
				t.Errorf("%d body of %d bytes was not closed", status, size)
			}
			if body.read > maxBodyBytes+1<<16 {
				t.Errorf("%d body of %d bytes: read %d bytes, want at most the bound", status, size, body.read)
			}
		}
	}
}
