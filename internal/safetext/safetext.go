// Package safetext makes text that came from the network safe to show in an error, a
// log line or a terminal: one home for the rule "nothing a server sends reaches a
// terminal unescaped". It knows no secret; redaction of the API key and of login
// codes happens in internal/redact (given the key by package wrapper), which then
// escapes through here.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every rune that is not printable written as a Go escape, so
// that it can neither move the cursor, retitle or recolour a terminal, start a new log
// line, nor reorder the text around it: C0 and C1 controls and DEL ("\x1b", "\u009b"),
// line and paragraph separators ("\u2028"), bidi controls, zero-width and other format
// runes ("\u202e", "\u200b", "\ufeff", "\u00ad"), default-ignorable runes
// ("\u034f", "\ufe0f", "\u3164"), spaces other than U+0020, and bytes
// of invalid UTF-8 ("\xff"). Tab, CR and LF are escaped too. Printable text passes
// unchanged, and s is returned as it is (no allocation) when nothing needs escaping.
func Escape(s string) string { return escape(s, -1) }

// escape is Escape that stops once the result is longer than max bytes (max < 0: no
// limit), for Line, which keeps no more.
func escape(s string, max int) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	if max >= 0 && i > max {
		return s[:max+1] // Line cuts it further
	}
	var b strings.Builder
	if max >= 0 {
		b.Grow(min(len(s)+8, max+16))
	} else {
		b.Grow(len(s) + 8)
	}
	b.WriteString(s[:i])
	for i < len(s) && (max < 0 || b.Len() <= max) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeByteEscape(&b, s[i])
		case safe(r):
			b.WriteString(s[i : i+size])
		case r < 0x80:
			writeByteEscape(&b, byte(r))
		case r <= 0xffff:
			writeHex(&b, `\u`, uint32(r), 4)
		default:
			writeHex(&b, `\U`, uint32(r), 8)
		}
		i += size
	}
	return b.String()
}

// Line is Escape, cut to at most limit bytes; "…" marks a cut, which never falls
// inside an escape or a rune. A limit of 0 or less means no limit.
func Line(s string, limit int) string {
	if limit <= 0 {
		return Escape(s)
	}
	// Escaping past limit plus the longest escape would be thrown away.
	s = escape(s, limit+10)
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	// Do not leave half an escape: back up to the backslash that starts it.
	if j := strings.LastIndexByte(s[:cut], '\\'); j >= 0 && j+10 > cut {
		if k := escapeEnd(s, j); k > cut {
			cut = j
		}
	}
	return s[:cut] + "…"
}

// escapeEnd returns where the escape starting at s[j] (a backslash) ends.
func escapeEnd(s string, j int) int {
	if j+1 >= len(s) {
		return len(s)
	}
	switch s[j+1] {
	case 'x':
		return min(j+4, len(s))
	case 'u':
		return min(j+6, len(s))
	case 'U':
		return min(j+10, len(s))
	}
	return j + 1
}

// firstUnsafe returns the index of the first byte of s that Escape changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !safe(r) {
			return i
		}
		i += size
	}
	return -1
}

// safe reports whether r is shown as it is: the ASCII space, or a printable rune
// (letters, marks, numbers, punctuation, symbols) that is not Invisible.
func safe(r rune) bool {
	return r == ' ' || !Invisible(r)
}

// Invisible reports whether a terminal shows r as nothing, or as something other than
// a glyph of its own: controls, format runes (bidi controls, zero-width runes, BOM,
// soft hyphen), separators other than the ASCII space, the replacement character
// (which stands for invalid UTF-8), and Unicode's default-ignorable runes that Go
// counts as printable (U+034F COMBINING GRAPHEME JOINER, variation selectors such as
// U+FE0F, fillers such as U+3164). Such a rune inside a secret hides it from a
// matcher but not from a reader.
func Invisible(r rune) bool {
	return r == utf8.RuneError || !unicode.IsPrint(r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r)
}

const hexDigits = "0123456789abcdef"

func writeByteEscape(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}

func writeHex(b *strings.Builder, prefix string, v uint32, digits int) {
	b.WriteString(prefix)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[(v>>uint(shift))&0xf])
	}
}
