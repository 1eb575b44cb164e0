package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
)

// This file is the one place where the tool's output meets the terminal: every line
// of text output (certificates, login URLs, error reports) goes through writeLines,
// every JSON document through writeJSONSafe, every Prometheus document through
// writeDocument. Both escape, with internal/safetext,
// whatever a server sent that a terminal would act on: control characters (ESC
// sequences that recolour or retitle it, CR and LF that forge a line), bidi controls
// that reorder what is shown, and other invisible runes.

// writeLines writes each line to w, escaped, ending in a newline. A line holds no
// newline of its own: one inside it (a server's "\r\n", say) comes out as an escape,
// so text from the network can neither start a line nor move the cursor.
func writeLines(w io.Writer, lines ...string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(safetext.Escape(l))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// field prepares a value that came from the network for a row of text output: runs
// of spaces become one, so that padding cannot push text onto a line of its own on a
// narrow terminal and forge a row there. writeLines escapes the rest (other white
// space included, so that it stays visible).
func field(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return strings.Trim(s, " ")
}

// writeJSONSafe writes the JSON document doc to w with every rune a terminal would act
// on written as a \u escape. encoding/json already escapes C0 controls and U+2028
// and U+2029, but passes DEL, C1 controls (U+009B is a CSI on some terminals) and
// bidi controls (U+202E) raw, and people cat JSON to terminals. Outside strings JSON
// holds only ASCII, so an escape can only land inside a string, where it decodes to
// the same text.
func writeJSONSafe(w io.Writer, doc []byte) error {
	var b bytes.Buffer
	b.Grow(len(doc))
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if r == 0x7f || r >= utf8.RuneSelf && safetext.Escape(string(r)) != string(r) {
			// encoding/json writes valid UTF-8 only, so r is a real rune here.
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		} else {
			b.Write(doc[i : i+size])
		}
		i += size
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeDocument writes doc, a document in a format that has no escape of its own for
// what a terminal acts on (the Prometheus text format, whose label values are any
// UTF-8): as it is to a file or a pipe, so that its reader gets every value exactly;
// line by line through writeLines to a terminal. doc's lines hold no raw newline but
// the ones that end them.
func writeDocument(w io.Writer, doc string) error {
	if !isTerminal(w) {
		_, err := io.WriteString(w, doc)
		return err
	}
	return writeLines(w, strings.Split(strings.TrimSuffix(doc, "\n"), "\n")...)
}

// isTerminal reports whether w is a terminal (a *os.File that isTTY says is one).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTTY(f)
}
