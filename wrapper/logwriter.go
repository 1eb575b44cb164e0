package wrapper

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// LogWriter returns a writer that passes each line written to it through the
// client's redaction before writing it to w: the API key, URL queries and login codes
// are removed and control and bidi runes escaped. Lines are written whole; a line of
// 64 KiB or more is withheld (a secret cut in half would not be recognised). Route
// the standard logger through it (log.SetOutput(client.LogWriter(os.Stderr))) before
// making calls: net/http logs some faults of a server there itself, quoting the
// server's bytes, for example "Unsolicited response received on idle HTTP channel
// starting with …"; the quoted bytes of that message are withheld altogether.
func (c *Client) LogWriter(w io.Writer) io.Writer {
	return &logWriter{r: c.redact, w: w}
}

// logWriter is the writer LogWriter returns.
type logWriter struct {
	r   redactor
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// maxLogLine bounds the part of one line a logWriter keeps.
const maxLogLine = 64 << 10

// unsolicited is the start of net/http's log line that quotes a server's stray bytes.
const unsolicited = "Unsolicited response received on idle HTTP channel starting with "

// Write buffers p and writes every complete line, made safe, to the underlying writer.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.buf = appendBounded(l.buf, p)
			break
		}
		l.buf = appendBounded(l.buf, p[:i])
		p = p[i+1:]
		line := string(l.buf)
		l.buf = l.buf[:0]
		if len(line) >= maxLogLine {
			// Cut before it could be redacted: a secret across the cut would not be
			// recognised, so nothing of the line is shown.
			line = "(a log line of over 64 KiB, withheld)"
		} else if j := strings.Index(line, unsolicited); j >= 0 {
			line = line[:j+len(unsolicited)] + "(the server's bytes are withheld)"
		}
		if _, err := io.WriteString(l.w, l.r.text(line, 0)+"\n"); err != nil {
			return n - len(p), err
		}
	}
	return n, nil
}

// appendBounded appends p to buf, keeping at most maxLogLine bytes.
func appendBounded(buf, p []byte) []byte {
	if room := maxLogLine - len(buf); room < len(p) {
		p = p[:max(room, 0)]
	}
	return append(buf, p...)
}
