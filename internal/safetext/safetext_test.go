package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, Ünïcödé and 日本語", "plain text, Ünïcödé and 日本語"},
		{"abc\x1b[31mRED\x1b[0m\r\nsha256       FA:KE", `abc\x1b[31mRED\x1b[0m\x0d\x0asha256       FA:KE`},
		{"\x1b]0;title\x07", `\x1b]0;title\x07`},
		{"tab\there", `tab\x09here`},
		{"del\x7f", `del\x7f`},
		{"next\u0085line", `next\u0085line`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"rtl\u202eevil", `rtl\u202eevil`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{"\ufeffbom zero\u200bwidth soft\u00adhyphen", `\ufeffbom zero\u200bwidth soft\u00adhyphen`},
		{"bad\xffutf8\xc3", `bad\xffutf8\xc3`},
		{"nbsp\u00a0", `nbsp\u00a0`},
		{"cgj\u034f vs\ufe0f filler\u3164", `cgj\u034f vs\ufe0f filler\u3164`},
		{"tag\U000E0041", `tag\U000e0041`},
		{"", ""},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeLeavesSafeTextAlone(t *testing.T) {
	s := "CN=idp.example.com,O=Example"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape of safe text allocates %v times, want 0", n)
	}
}

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"abcdefghij", 5, "abcde…"},
		{"ab\x1bcdef", 4, "ab…"},   // never half of \x1b
		{"ab\u202ecdef", 5, "ab…"}, // never half of \u202e
		{"日本語", 4, "日…"},           // never half a rune
		{"anything", 0, "anything"},
	} {
		got := Line(tc.in, tc.limit)
		if got != tc.want {
			t.Errorf("Line(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

// FuzzEscape: the output is valid UTF-8 with no rune Escape would change, and safe
// input comes back unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"abc", "\x1b[2J", "\u202e", "\xff\xfe", "a\u2028b", "\\x1b"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		out := Line(s, limit%64)
		if !utf8.ValidString(out) {
			t.Fatalf("Line(%q) = %q is not valid UTF-8", s, out)
		}
		if i := firstUnsafe(strings.TrimSuffix(out, "…")); i >= 0 {
			t.Fatalf("Line(%q) = %q keeps an unsafe rune at %d", s, out, i)
		}
		if firstUnsafe(s) < 0 && Escape(s) != s {
			t.Fatalf("Escape changed safe text %q", s)
		}
	})
}
