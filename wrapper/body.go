package wrapper

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/outbound"
)

// maxBodyBytes bounds every response body the Client reads: the module's one body
// cap (internal/outbound).
const maxBodyBytes = outbound.MaxBodySize

// preallocBytes caps the buffer a declared length reserves up front; a longer body
// grows it as it arrives, so a length that lies costs nothing.
const preallocBytes = 64 << 10

// readBody reads resp's body up to maxBodyBytes and closes it. A larger body is an
// error wrapping ErrInvalidResponse; it is not read further, so nothing near its size
// is allocated (the connection is dropped instead of drained).
//
// A body that declares a length over the bound is refused before anything is read or
// allocated. Otherwise a declared length sizes the buffer (up to preallocBytes), plus
// the byte that shows the body ends there, sparing io.ReadAll's growth.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	size := int64(512)
	if n := resp.ContentLength; n > maxBodyBytes {
		return nil, invalidResponse("the %d response body is larger than %d bytes (it declares %d)", resp.StatusCode, maxBodyBytes, n)
	} else if n >= 0 {
		size = min(n, preallocBytes) + 1
	}
	b := make([]byte, 0, size)
	for {
		n, err := resp.Body.Read(b[len(b):min(cap(b), maxBodyBytes+1)])
		b = b[:len(b)+n]
		if len(b) > maxBodyBytes {
			return nil, invalidResponse("the %d response body is larger than %d bytes", resp.StatusCode, maxBodyBytes)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the %d response body: %w", resp.StatusCode, err)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// Bounds on draining a body the Client does not need (drainBody): net/http reuses a
// connection only once its response body has been read to the end, and drains 2 KiB
// of a redirect's body itself before it follows one.
const (
	maxDrainBytes = 2 << 10
	drainWait     = time.Second
)

// drainBody disposes of the body of a response whose headers hold all the Client
// needs (the 303 of AuthenticateAccount), at once and without waiting for it, and ends
// the attempt (cancel) when done. An empty body is closed at once, and one that
// declares more than maxDrainBytes is closed unread, costing its connection. Any
// other is read to its end in the background, up to maxDrainBytes and for at most
// c.drainWait (then cancel ends the read, and closing the body ends it too where the
// body does not watch the request's context, as a caller's transport's may not), so
// that a short body gives its connection
// back to the pool and only a long or trickling one costs it. c.drained, when set,
// learns when such a read ends and whether it reached the body's end.
func (c *Client) drainBody(resp *http.Response, cancel context.CancelFunc) {
	if resp.ContentLength == 0 || resp.ContentLength > maxDrainBytes {
		resp.Body.Close()
		cancel()
		return
	}
	go func() {
		t := time.AfterFunc(c.drainWait, func() {
			cancel()
			resp.Body.Close() // waits, for net/http's body, until cancel has ended the read
		})
		// io.EOF: the body ended within maxDrainBytes.
		_, err := io.CopyN(io.Discard, resp.Body, maxDrainBytes+1)
		t.Stop()
		resp.Body.Close()
		cancel()
		if c.drained != nil {
			c.drained(err == io.EOF)
		}
	}()
}
