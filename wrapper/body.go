package wrapper

import (
	"fmt"
	"io"
	"net/http"

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
