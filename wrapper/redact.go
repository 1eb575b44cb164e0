package wrapper

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
)

// redactor is the one place that knows the API key, and the one point that every
// piece of text from the network passes before it reaches an error, a log line or a
// terminal: it removes the API key (matched without regard to ASCII case, since URL
// parsing lower-cases a scheme), every URL query and every "code=" value (where
// one-time login codes travel), then escapes control, bidi and other invisible runes
// (internal/safetext) so that nothing can forge a line or restyle a terminal.
//
// An invisible rune inside a secret does not hide it: when dropping invisible runes
// reveals something that would be removed, the text is redacted in that form.
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

// redactedMark replaces whatever is redacted.
const redactedMark = "[REDACTED]"

// text returns s made safe to show: white space runs folded to one space, secrets
// removed, the rest escaped, cut to at most limit bytes (0: no limit).
func (r redactor) text(s string, limit int) string {
	s = foldSpace(s)
	if vis := visible(s); vis != s && r.redact(vis) != vis {
		s = vis
	} else if key := r.keyText(); key != "" && !containsFold(s, key) {
		// The key as a reader still reads it: behind escapes (net/http quotes a NUL as
		// \x00), invisible runes or a space where a line was folded.
		if squeezed := squeeze(s); containsFold(squeezed, key) {
			s = squeezed
		}
	}
	return safetext.Line(r.redact(s), limit)
}

// keyText returns the key, or "" for a redactor without one.
func (r redactor) keyText() string {
	if r.key == nil {
		return ""
	}
	return r.key()
}

// containsFold reports whether s contains sub under ASCII case folding.
func containsFold(s, sub string) bool {
	return replaceFold(s, sub, "") != s
}

// squeeze returns s without Go escape sequences (\x00, \u200b, \n, …), invisible
// runes and spaces: what a reader's eye skips over.
func squeeze(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if n := escapeLen(s[i+1:]); n > 0 {
				i += n
				continue
			}
		}
		if s[i] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return visible(b.String())
}

// escapeLen returns the length of the Go escape that follows a backslash at the start
// of s (without the backslash), or 0.
func escapeLen(s string) int {
	hex := func(n int) int {
		if len(s) < 1+n {
			return 0
		}
		for _, c := range []byte(s[1 : 1+n]) {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
				return 0
			}
		}
		return 1 + n
	}
	switch s[0] {
	case 'x':
		return hex(2)
	case 'u':
		return hex(4)
	case 'U':
		return hex(8)
	case 'a', 'b', 'f', 'n', 'r', 't', 'v', '0':
		return 1
	}
	return 0
}

// error returns err with a text made safe by text. An error whose text is already safe
// is returned as it is; otherwise the result matches what err matches with errors.Is
// and errors.As, but has no Unwrap: walking the chain by hand must not reach the raw
// text either.
func (r redactor) error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	safe := r.text(msg, 0)
	if safe == msg {
		return err
	}
	return &redactedError{msg: safe, err: err}
}

// redactedError is an error whose text was made safe by the redactor.
type redactedError struct {
	msg string
	err error
}

// Error is the redacted text.
func (e *redactedError) Error() string { return e.msg }

// Is reports whether the original error matches target.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// As finds the first error in the original chain that matches target.
func (e *redactedError) As(target any) bool { return errors.As(e.err, target) }

// redact removes the API key, URL queries and "code=" values from s.
func (r redactor) redact(s string) string {
	s = replaceFold(s, r.keyText(), redactedMark)
	s = redactAfter(s, "?")
	return redactAfter(s, "code=")
}

// replaceFold replaces every occurrence of old in s, compared without regard to ASCII
// case, by repl.
func replaceFold(s, old, repl string) string {
	if old == "" || len(s) < len(old) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(old) <= len(s); {
		if asciiEqualFold(s[i:i+len(old)], old) {
			b.WriteString(s[last:i])
			b.WriteString(repl)
			i += len(old)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// asciiEqualFold reports whether a and b, of equal length, are equal under ASCII case
// folding.
func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// redactAfter replaces the run of characters that follows each occurrence of marker
// (matched without regard to ASCII case) up to white space, a quote or an angle
// bracket, by redactedMark: after "?", a URL's query; after "code=", a login code.
func redactAfter(s, marker string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+len(marker) <= len(s); i++ {
		if !asciiEqualFold(s[i:i+len(marker)], marker) {
			continue
		}
		start := i + len(marker)
		end := start
		for end < len(s) && !strings.ContainsRune(" \t\r\n\"'<>`", rune(s[end])) {
			end++
		}
		if end == start || s[start:end] == redactedMark {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(redactedMark)
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// foldSpace trims s and folds each run of white space in it to one space, so that
// nothing in it starts a new line.
func foldSpace(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = !asciiSpace(c) || (c == ' ' && s[i+1] != ' ')
	}
	if clean {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < utf8.RuneSelf && asciiSpace(byte(r)) }), " ")
}

// asciiSpace reports whether c is ASCII white space.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// visible returns s without the runes that a terminal does not show
// (safetext.Invisible) and invalid UTF-8.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || !safetext.Invisible(r) {
			return r
		}
		return -1
	}, s)
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
