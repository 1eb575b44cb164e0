package outbound

import (
	"errors"
	"io"
)

// MaxBodySize is the most of a response body this module reads, whoever sent it: 1
// MiB. The API's bodies and one IdP's metadata are a few kilobytes; a larger body is
// refused, not truncated, and not read further.
const MaxBodySize = 1 << 20

// ErrTooLarge is returned by a CappedReader once its source has more than its limit.
var ErrTooLarge = errors.New("larger than the limit")

// CappedReader reads at most Max bytes from R. Reading past them ends in ErrTooLarge
// (at most one byte past Max is read from R, to tell "exactly Max" from "more"). It
// records what ended the reading, so that a decoder's error about the cut can be told
// apart from the source's: Over reports the limit, Err the source's own error.
type CappedReader struct {
	R   io.Reader
	Max int64

	n    int64
	over bool
	err  error
}

// Read reads from R, up to the limit.
func (c *CappedReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, ErrTooLarge
	}
	if room := c.Max - c.n + 1; int64(len(p)) > room {
		p = p[:room] // one byte past Max tells "exactly Max" from "more"
	}
	n, err := c.R.Read(p)
	c.n += int64(n)
	if c.n > c.Max {
		c.over = true
		return n, ErrTooLarge
	}
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// Over reports whether R held more than Max bytes.
func (c *CappedReader) Over() bool { return c.over }

// Err returns the error R returned, other than io.EOF, or nil.
func (c *CappedReader) Err() error { return c.err }
