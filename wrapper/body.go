package wrapper

import (
	"fmt"
	"io"
	"net/http"
)

// maxBodyBytes bounds every response body the Client reads.
const maxBodyBytes = 1 << 20

// readBody reads resp's body up to maxBodyBytes and closes it. A larger body is an
// error wrapping ErrInvalidResponse; it is not read further, so nothing near its size
// is allocated (the connection is dropped instead of drained).
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the %d response body: %w", resp.StatusCode, err)
	}
	if len(b) > maxBodyBytes {
		return nil, fmt.Errorf("%w: the %d response body is larger than %d bytes", ErrInvalidResponse, resp.StatusCode, maxBodyBytes)
	}
	return b, nil
}
