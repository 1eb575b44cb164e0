// Package redact hides secrets in text before it is shown: in an error, a log line or
// a terminal. It finds each secret (compared without regard to ASCII case), every URL
// query and every "code=" value (where one-time login codes travel) in the text as a
// reader or a decoder reads it (percent-encoding, JSON and Go escapes and HTML
// character references decoded, invisible runes dropped, spaces skipped inside a
// secret), hides what it finds in the text as written, and leaves the rest as it was;
// then Text and Error escape what is left (internal/safetext), so that nothing can
// forge a line or restyle a terminal.
//
// It holds no secret itself: package wrapper's redactor is the one place that knows
// the API key and passes it here; package idpmetadata passes none (its errors lose
// URL queries and are escaped).
package redact

import (
	"errors"
	"html"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sendgrid-sso/sendgrid-sso/internal/safetext"
)

// Mark replaces whatever is hidden.
const Mark = "[REDACTED]"

// Text returns s made safe to show: white space runs folded to one space, each of
// secrets, every URL query and every "code=" value hidden (Hide), the rest escaped,
// cut to at most limit bytes (0: no limit).
func Text(s string, limit int, secrets ...string) string {
	return safetext.Line(Hide(foldSpace(s), true, secrets...), limit)
}

// Error returns err with a text made safe by Text. An error whose text is already
// safe is returned as it is; otherwise the result matches what err matches with
// errors.Is and errors.As, but has no Unwrap: walking the chain by hand must not reach
// the raw text either.
func Error(err error, secrets ...string) error { return ErrorCut(err, 0, secrets...) }

// ErrorCut is Error with the text also cut to at most limit bytes (0: no limit), for
// an error that quotes input, as many bytes as there are (encoding/xml quotes a
// whole entity name).
func ErrorCut(err error, limit int, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	safe := Text(msg, limit, secrets...)
	if safe == msg {
		return err
	}
	return &redactedError{msg: safe, err: err}
}

// redactedError is an error whose text was made safe by Error.
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

// UserInfo hides the user info of a URL, parsable or not, for an error message:
// "https://user:secret@host/" becomes "https://[REDACTED]@host/".
func UserInfo(raw string) string {
	i := strings.Index(raw, "//")
	if i < 0 {
		return raw
	}
	authority := raw[i+2:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	return raw[:i+2] + Mark + raw[i+2+at:]
}

// Hide returns s with each of secrets (compared without regard to ASCII case) and,
// when queries is set, every URL query and "code=" value replaced by Mark.
// All are looked for in readerView(s), and hidden in s as written: a key spelled
// "&#83;G.…" or a code after "login%3Fcode%3D" is hidden in that spelling, and
// nothing around it changes.
func Hide(s string, queries bool, secrets ...string) string {
	v := readerView(s)
	var found []span
	for _, secret := range secrets {
		found = v.findFold(found, secret)
	}
	if queries {
		found = v.valuesAfter(found, "?", queryEnds)
		found = v.valuesAfter(found, "code=", valueEnds)
	}
	if len(found) == 0 {
		return s
	}
	written := make([]span, len(found))
	for i, f := range found {
		written[i] = v.written(f)
	}
	slices.SortFunc(written, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for i := 0; i < len(written); {
		cut := written[i]
		for i++; i < len(written) && written[i].start <= cut.end; i++ {
			cut.end = max(cut.end, written[i].end) // overlapping or touching: one mark
		}
		b.WriteString(s[last:cut.start])
		b.WriteString(Mark)
		last = cut.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// Where a URL query, and a value in it, end in running text: the one definition for
// all query and code hiding. A query runs to white space, a quote, an apostrophe, a
// backtick, an angle bracket, a '#', or a square bracket (RFC 3986 allows neither
// bracket in a query: "[?]" in a message is no URL); a code= value ends at the same
// bytes but the brackets (a code is hidden whole, whatever it holds), and at '&'. A
// value that opens with a quote, an apostrophe, a backtick or '<' (code="…", code=<…>)
// starts after it.
const (
	queryEnds   = valueBounds + "[]"
	valueEnds   = valueBounds + "&"
	valueBounds = " \"'`<>#"
	valueOpens  = "\"'`<"
	spaceInView = ' '
)

// span is a range [start, end) of bytes.
type span struct{ start, end int }

// view is a text as a reader or a decoder reads it, with the way back to the text as
// written: from[i] is the span of the written text that text[i] was read from (the
// bytes of an escape, or the byte itself); from is nil when text is the written text.
// url[i] reports that text[i] was percent-decoded: it is data inside a URL, and ends
// no query or value, whatever it reads as ("code=a%20b" is one value).
type view struct {
	text string
	from []span
	url  []bool
}

// maxDecodeRounds bounds how often readerView decodes: an escape that spells another
// escape ("%253F", "&amp;#83;", "\u0026#83;") is decoded again, up to this depth.
const maxDecodeRounds = 4

// readerView returns s as a reader or a decoder reads it: percent-encoding ("%3F"),
// JSON and Go escapes ("\u003f", "\x3f", "\n", "\""), and HTML character
// references ("&#63;", "&#x3f;", "&quot;") decoded, repeatedly while that changes
// anything (up to maxDecodeRounds); white space read as a space; invisible runes
// (safetext.Invisible) and invalid UTF-8 dropped.
func readerView(s string) view {
	v := view{text: s}
	for range maxDecodeRounds {
		next, changed := v.decoded()
		if !changed {
			break
		}
		v = next
	}
	return v
}

// written returns the span of the written text that the view's bytes f came from.
func (v view) written(f span) span {
	if v.from == nil {
		return f
	}
	return span{v.from[f.start].start, v.from[f.end-1].end}
}

// inURL reports whether the view's bytes f were percent-decoded (see view).
func (v view) inURL(f span) bool {
	return v.url != nil && slices.Contains(v.url[f.start:f.end], true)
}

// decoded is one round of readerView, and whether it changed anything. Nothing is
// allocated for a round that changes nothing.
func (v view) decoded() (view, bool) {
	s := v.text
	if plainASCII(s) {
		return v, false
	}
	var d viewBuilder
	for i := 0; i < len(s); {
		if dec, n := decodeEscape(s[i:]); n > 0 {
			d.change(v, i)
			f, url := v.written(span{i, i + n}), s[i] == '%' || v.inURL(span{i, i + n})
			for j := 0; j < len(dec); j++ {
				d.add(dec[j], f, url)
			}
			i += n
			continue
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r != spaceInView && r < utf8.RuneSelf && asciiSpace(byte(r)): // read as a space
			d.change(v, i)
			d.add(spaceInView, v.written(span{i, i + 1}), v.inURL(span{i, i + 1}))
		case r < ' ' || r == 0x7f || (r >= utf8.RuneSelf && safetext.Invisible(r)): // dropped; invalid UTF-8 too
			d.change(v, i)
		case d.text != nil:
			for j := i; j < i+n; j++ {
				d.add(s[j], v.written(span{j, j + 1}), v.inURL(span{j, j + 1}))
			}
		}
		i += n
	}
	if d.text == nil {
		return v, false
	}
	return view{text: string(d.text), from: d.from, url: d.url}, true
}

// viewBuilder builds the next view of a round of decoding, from its first change on.
type viewBuilder struct {
	text []byte
	from []span
	url  []bool
}

// change starts the new view at the first change, at byte i of v, with v's bytes
// before it.
func (d *viewBuilder) change(v view, i int) {
	if d.text != nil {
		return
	}
	d.text = append(make([]byte, 0, len(v.text)), v.text[:i]...)
	d.from = make([]span, i, len(v.text))
	d.url = make([]bool, i, len(v.text))
	for j := range i {
		d.from[j] = v.written(span{j, j + 1})
		d.url[j] = v.inURL(span{j, j + 1})
	}
}

// add appends byte c, read from the written span f, percent-decoded or not (url).
func (d *viewBuilder) add(c byte, f span, url bool) {
	d.text = append(d.text, c)
	d.from = append(d.from, f)
	d.url = append(d.url, url)
}

// plainASCII reports whether s is printable ASCII without anything readerView
// decodes: it reads as it is written.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= utf8.RuneSelf-1 || c == '%' || c == '\\' || c == '&' {
			return false
		}
	}
	return true
}

// decodeEscape decodes the escape at the start of s: "%hh"; a Go or JSON escape
// ("\xhh", "\uhhhh" (with a following low surrogate, the pair), "\Uhhhhhhhh",
// "\ooo", "\n" and the other letters, "\0", "\"", "\'", "\\\\", "\/"); or an HTML
// character reference ("&#ddd;", "&#xhh;", the ';' optional, or "&name;"). It returns
// what the escape stands for and its length, or n == 0 when s starts with none.
func decodeEscape(s string) (dec string, n int) {
	if len(s) < 2 {
		return "", 0
	}
	switch s[0] {
	case '%':
		if b, ok := hexValue(s[1:], 2); ok {
			return string([]byte{byte(b)}), 3
		}
	case '\\':
		return decodeBackslash(s)
	case '&':
		return decodeCharRef(s)
	}
	return "", 0
}

// decodeBackslash decodes the Go or JSON escape at the start of s, a backslash.
func decodeBackslash(s string) (string, int) {
	switch c := s[1]; c {
	case 'x':
		if b, ok := hexValue(s[2:], 2); ok {
			return string([]byte{byte(b)}), 4
		}
	case 'u':
		r, ok := hexValue(s[2:], 4)
		if !ok {
			return "", 0
		}
		if utf16.IsSurrogate(rune(r)) && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hexValue(s[8:], 4); ok {
				if pair := utf16.DecodeRune(rune(r), rune(lo)); pair != utf8.RuneError {
					return string(pair), 12
				}
			}
		}
		return string(rune(r)), 6
	case 'U':
		if r, ok := hexValue(s[2:], 8); ok {
			return string(rune(r)), 10
		}
	case 'a', 'b', 'f', 'n', 'r', 't', 'v':
		i := strings.IndexByte("abfnrtv", c)
		return "\a\b\f\n\r\t\v"[i : i+1], 2
	case '"', '\'', '\\', '/':
		return string(rune(c)), 2
	case '0', '1', '2', '3':
		if len(s) >= 4 && isOctal(s[2]) && isOctal(s[3]) {
			return string([]byte{(c-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0')}), 4
		}
		if c == '0' {
			return "\x00", 2
		}
	}
	return "", 0
}

// decodeCharRef decodes the HTML character reference at the start of s, an '&'.
func decodeCharRef(s string) (string, int) {
	if s[1] == '#' {
		digits, base, i := "0123456789", 10, 2
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			digits, base, i = "0123456789abcdefABCDEF", 16, 3
		}
		start := i
		r := 0
		for i < len(s) && i-start < 8 && strings.IndexByte(digits, s[i]) >= 0 {
			d := strings.IndexByte(digits, s[i])
			if d >= 16 {
				d -= 6
			}
			r = r*base + d
			i++
		}
		if i == start {
			return "", 0
		}
		if i < len(s) && s[i] == ';' {
			i++
		}
		return string(rune(r)), i
	}
	end := 1
	for end < len(s) && end <= 32 && isAlnum(s[end]) {
		end++
	}
	if end == 1 || end >= len(s) || s[end] != ';' {
		return "", 0
	}
	ref := s[:end+1]
	// A named reference stands for one or two runes; a longer result is a legacy name
	// that is only a prefix ("&ampx;" reads as "&x;"), not this reference.
	if dec := html.UnescapeString(ref); dec != ref && utf8.RuneCountInString(dec) <= 2 {
		return dec, len(ref)
	}
	return "", 0
}

// hexValue parses the n hex digits at the start of s.
func hexValue(s string, n int) (uint32, bool) {
	if len(s) < n {
		return 0, false
	}
	var v uint32
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			c = c | 0x20 - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(c)
	}
	return v, true
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// findFold appends to found the spans of the view that read as secret, compared
// without regard to ASCII case, spaces in the view skipped (where a line was folded,
// or a decoded "\n" stood).
func (v view) findFold(found []span, secret string) []span {
	secret = strings.ReplaceAll(secret, " ", "")
	if secret == "" {
		return found
	}
	t := v.text
	for i := 0; i < len(t); i++ {
		if !asciiEqualFold(t[i:i+1], secret[:1]) {
			continue
		}
		j, k := i, 0
		for j < len(t) && k < len(secret) {
			if t[j] == spaceInView {
				j++
				continue
			}
			if !asciiEqualFold(t[j:j+1], secret[k:k+1]) {
				break
			}
			j++
			k++
		}
		if k == len(secret) {
			found = append(found, span{i, j})
			i = j - 1
		}
	}
	return found
}

// valuesAfter appends to found the span of the value that follows each occurrence of
// marker in the view (matched without regard to ASCII case), up to the first byte of
// ends, an opening quote skipped; percent-decoded bytes neither open nor end a value.
// A value that is already Mark is left.
func (v view) valuesAfter(found []span, marker, ends string) []span {
	t := v.text
	for i := 0; i+len(marker) <= len(t); i++ {
		if !asciiEqualFold(t[i:i+len(marker)], marker) {
			continue
		}
		delimits := func(k int, set string) bool {
			return strings.IndexByte(set, t[k]) >= 0 && !v.inURL(span{k, k + 1})
		}
		start := i + len(marker)
		if start < len(t) && delimits(start, valueOpens) {
			start++
		}
		end := start
		for end < len(t) && !delimits(end, ends) {
			end++
		}
		if end > start && t[start:end] != Mark {
			found = append(found, span{start, end})
		}
		i = max(end, i+len(marker)) - 1
	}
	return found
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
