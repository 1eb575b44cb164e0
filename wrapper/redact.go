package wrapper

import (
	"bytes"
	"io"
	"strings"
	"sync"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// redactor is the one place that knows the API key, and the one point that every
// piece of text from the network passes before it reaches an error, a log line or a
// terminal: it hides the API key (matched without regard to ASCII case, since URL
// parsing lower-cases a scheme), every URL query and every "code=" value (where
// one-time login codes travel), then escapes control, bidi and other invisible runes
// (internal/safetext) so that nothing can forge a line or restyle a terminal. The
// finding and hiding is internal/redact's; the key is passed there from here alone.
//
// Secrets are looked for in the text as a reader or a decoder reads it: escapes
// decoded, invisible runes dropped, spaces skipped inside the key. What is found there
// is hidden in the text as it was written, and the rest stays as it was.
//
// The key sits behind functions, so printing a Client by reflection (a Client in an
// unexported field, which fmt prints without calling its methods) shows an address,
// never the key.
type redactor struct {
	key    func() string
	bearer func() string // "Bearer " + key, built once for the Authorization header
}

// newRedactor returns the redactor of a client authenticated by key.
func newRedactor(key string) redactor {
	bearer := "Bearer " + key
	return redactor{key: func() string { return key }, bearer: func() string { return bearer }}
}

// text returns s made safe to show: white space runs folded to one space, the key,
// URL queries and "code=" values removed, the rest escaped, cut to at most limit bytes
// (0: no limit).
func (r redactor) text(s string, limit int) string {
	return redact.Text(s, limit, r.keyText())
}

// keyText returns the key, or "" for a redactor without one.
func (r redactor) keyText() string {
	if r.key == nil {
		return ""
	}
	return r.key()
}

// error returns err with a text made safe by text (see redact.Error).
func (r redactor) error(err error) error {
	return redact.Error(err, r.keyText())
}

// redact hides the API key, URL queries and "code=" values in s.
func (r redactor) redact(s string) string {
	return redact.Hide(s, true, r.keyText())
}

// LogWriter returns a writer that passes each line written to it through the
// client's redaction before writing it to w: the API key, URL queries and login codes
// are removed and control and bidi runes escaped. Lines are written whole; a line of
// 64 KiB or more is withheld (a secret cut in half would not be recognised). Route the standard logger through it
// (log.SetOutput(client.LogWriter(os.Stderr))) before making calls: net/http logs
// some faults of a server there itself, quoting the server's bytes, for example
// "Unsolicited response received on idle HTTP channel starting with …"; the quoted
// bytes of that message are withheld altogether.
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
