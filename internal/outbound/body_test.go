package outbound

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestCappedReader: exactly Max bytes read whole; one more is ErrTooLarge, with at
// most Max+1 bytes taken from the source; the source's own error is kept apart.
func TestCappedReader(t *testing.T) {
	const max = 100
	for _, tc := range []struct {
		size int
		over bool
	}{{0, false}, {max - 1, false}, {max, false}, {max + 1, true}, {50 * max, true}} {
		src := &countingReader{r: strings.NewReader(strings.Repeat("a", tc.size))}
		c := &CappedReader{R: src, Max: max}
		got, err := io.ReadAll(c) // asks for 512 bytes at first
		if whole, err2 := io.ReadAll(iotest.OneByteReader(&CappedReader{R: strings.NewReader(strings.Repeat("a", tc.size)), Max: max})); (err2 == nil) != (err == nil) || len(whole) != len(got) {
			t.Errorf("%d bytes, one at a time: read %d, err %v; in one go: %d, err %v", tc.size, len(whole), err2, len(got), err)
		}
		if tc.over {
			if !errors.Is(err, ErrTooLarge) || !c.Over() || c.Err() != nil {
				t.Errorf("%d bytes: err %v, Over %v, Err %v; want ErrTooLarge, Over, no source error", tc.size, err, c.Over(), c.Err())
			}
			if src.n > max+1 {
				t.Errorf("%d bytes: read %d from the source, want at most %d", tc.size, src.n, max+1)
			}
			continue
		}
		if err != nil || len(got) != tc.size || c.Over() {
			t.Errorf("%d bytes: read %d, err %v, Over %v; want all of it", tc.size, len(got), err, c.Over())
		}
	}

	boom := errors.New("disk on fire")
	c := &CappedReader{R: io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), Max: max}
	if _, err := io.ReadAll(c); !errors.Is(err, boom) || !errors.Is(c.Err(), boom) || c.Over() {
		t.Errorf("a failing source: err %v, Err %v, Over %v; want the source's error, not over", err, c.Err(), c.Over())
	}
}
