package redact

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// TestErrorWithoutSecrets is the redaction idpmetadata's errors pass, which have no
// secret of their own: URL queries and code= values are hidden, control runes
// escaped, the chain still matched by errors.Is and errors.As; a safe error is
// returned as it is.
func TestErrorWithoutSecrets(t *testing.T) {
	safe := errors.New("invalid idp metadata: https://idp.test/metadata answered 404 Not Found")
	if Error(safe) != safe {
		t.Error("a safe error was wrapped")
	}
	pathErr := &fs.PathError{Op: "get", Path: "x", Err: fs.ErrNotExist}
	raw := fmt.Errorf("https://idp.test/metadata?tenant=t0p-secret&code=abc answered \x1b]0;owned\x07: %w", pathErr)
	err := Error(raw)
	if msg := err.Error(); strings.Contains(msg, "t0p-secret") || strings.Contains(msg, "abc") || strings.ContainsAny(msg, "\x1b\x07") {
		t.Errorf("err = %q: a query, a code or a control rune survived", msg)
	}
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe != pathErr {
		t.Errorf("err = %v: the chain is lost", err)
	}
	if errors.Unwrap(err) != nil {
		t.Error("the redacted error unwraps to the raw text")
	}
	if Error(nil) != nil {
		t.Error("Error(nil) is not nil")
	}
}

func TestUserInfo(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:hunter2@idp.test/m": "https://[REDACTED]@idp.test/m",
		"https://a@b@idp.test/m?x=@y":     "https://[REDACTED]@idp.test/m?x=@y",
		"https://idp.test/m?next=//u:p@h": "https://idp.test/m?next=//u:p@h",
		"not a url":                       "not a url",
		"%zz://user:hunter2@idp.test/%zz": "%zz://[REDACTED]@idp.test/%zz",
	} {
		if got := UserInfo(raw); got != want {
			t.Errorf("UserInfo(%q) = %q, want %q", raw, got, want)
		}
	}
}

// TestWhereAQueryEnds: a query ends where RFC 3986 says it cannot go on, square
// brackets included, so a "[?]" in a message is kept (FuzzErrorBody found it hidden);
// a code= value is hidden whole, brackets and all.
func TestWhereAQueryEnds(t *testing.T) {
	for in, want := range map[string]string{
		"(no message) [?]":                         "(no message) [?]",
		"see [https://x.test/p?tenant=t0p]":        "see [https://x.test/p?" + Mark + "]",
		"https://x.test/l?code=ab]cd after":        "https://x.test/l?" + Mark + " after",
		"sent code=ab]cd&state=s after":            "sent code=" + Mark + "&state=s after",
		"https://x.test/p?a=1#frag and ?b=2 'q?c'": "https://x.test/p?" + Mark + "#frag and ?" + Mark + " 'q?" + Mark + "'",
	} {
		if got := Hide(in, true); got != want {
			t.Errorf("Hide(%q) = %q, want %q", in, got, want)
		}
	}
}
