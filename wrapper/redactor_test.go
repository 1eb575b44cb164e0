package wrapper

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// The mark that replaces a hidden secret is written once, as redact.Mark: no file of
// this package spells it out, so that every redacted rendering (a Client, an
// SSOLogin, an error) shows the same mark, and changing it changes them all.
func TestTheMarkIsWrittenOnce(t *testing.T) {
	fset, files := sourceFiles(t)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, redact.Mark) {
				t.Errorf("%s spells out %q: use redact.Mark", fset.Position(lit.Pos()), redact.Mark)
			}
			return true
		})
	}
}
