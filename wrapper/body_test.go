package wrapper

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
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

// closeCounter is a body that counts its Close calls.
type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestReadBodyBound(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 513, 5000, maxBodyBytes, maxBodyBytes + 1, 3 * maxBodyBytes} {
		content := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		for _, declared := range []bool{true, false} {
			for _, chunked := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(content)
				if chunked {
					r = iotest.HalfReader(r) // short reads: the buffer grows
				}
				body := &closeCounter{Reader: r}
				resp := &http.Response{StatusCode: http.StatusOK, Body: body, ContentLength: -1}
				if declared {
					resp.ContentLength = int64(size)
				}
				got, err := readBody(resp)
				if size > maxBodyBytes {
					if !errors.Is(err, ErrInvalidResponse) || got != nil {
						t.Errorf("size %d, declared %v, chunked %v: got %d bytes, err %v; want ErrInvalidResponse", size, declared, chunked, len(got), err)
					}
				} else if err != nil || !bytes.Equal(got, content) {
					t.Errorf("size %d, declared %v, chunked %v: got %d bytes, err %v; want the body", size, declared, chunked, len(got), err)
				}
				if body.closed != 1 {
					t.Errorf("size %d, declared %v, chunked %v: body closed %d times, want 1", size, declared, chunked, body.closed)
				}
			}
		}
	}
}

func TestReadBodyReadError(t *testing.T) {
	broken := errors.New("connection reset")
	for _, declared := range []int64{-1, 100} {
		body := &closeCounter{Reader: io.MultiReader(bytes.NewReader(make([]byte, 10)), iotest.ErrReader(broken))}
		_, err := readBody(&http.Response{StatusCode: http.StatusOK, Body: body, ContentLength: declared})
		if !errors.Is(err, broken) || errors.Is(err, ErrInvalidResponse) {
			t.Errorf("declared %d: err = %v, want the read error, not ErrInvalidResponse", declared, err)
		}
		if body.closed != 1 {
			t.Errorf("declared %d: body closed %d times, want 1", declared, body.closed)
		}
	}
}

// A declared length over the bound is refused before a byte is read, so neither a
// lying proxy nor a retry storm costs a megabyte each.
func TestReadBodyRefusesAHugeDeclaredLength(t *testing.T) {
	src := bytes.NewReader(make([]byte, 10))
	body := &closeCounter{Reader: src}
	got, err := readBody(&http.Response{StatusCode: http.StatusOK, Body: body, ContentLength: 1 << 40})
	if !errors.Is(err, ErrInvalidResponse) || got != nil || !strings.Contains(err.Error(), "declares 1099511627776") {
		t.Fatalf("got %d bytes, err %v; want ErrInvalidResponse naming the declared length", len(got), err)
	}
	if src.Len() != 10 || body.closed != 1 {
		t.Errorf("read %d bytes and closed %d times, want 0 read and 1 close", 10-src.Len(), body.closed)
	}
}
