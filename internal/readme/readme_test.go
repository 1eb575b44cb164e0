package readme_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is where README.md and the marker paths are, seen from this package.
const repoRoot = "../.."

// marker names the function that holds the next ```go block (see doc.go).
var marker = regexp.MustCompile(`^<!-- compiled as ([A-Za-z_][A-Za-z0-9_]*) in (\S+\.go) -->$`)

// fenced is one fenced block of a Markdown file.
type fenced struct {
	lang     string // after the opening ```: go, console, ...
	line     int    // the line of its opening fence
	before   string // the nearest non-blank line before the fence: its marker, if any
	beforeAt int    // that line's number
	lines    []string
}

// fencedBlocks returns the fenced blocks of Markdown text.
func fencedBlocks(md []byte) ([]fenced, error) {
	var (
		blocks   []fenced
		cur      *fenced
		lastText string
		lastAt   int
		n        int
	)
	sc := bufio.NewScanner(bytes.NewReader(md))
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
			lastText, lastAt = line, n
		case cur != nil:
			cur.lines = append(cur.lines, line)
		case strings.HasPrefix(line, "```"):
			cur = &fenced{lang: strings.TrimPrefix(line, "```"), line: n, before: lastText, beforeAt: lastAt}
		case strings.TrimSpace(line) != "":
			lastText, lastAt = line, n
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: ```%s block never closed", cur.line, cur.lang)
	}
	return blocks, sc.Err()
}

// goBlock is one ```go block of a Markdown file.
type goBlock struct {
	line     int    // the line of its opening fence
	fn, file string // from its marker; "" when it has none
	lines    []string
}

// goBlocks returns the ```go blocks of Markdown text, each with the marker on the
// nearest non-blank line before its fence.
func goBlocks(md []byte) ([]goBlock, error) {
	all, err := fencedBlocks(md)
	if err != nil {
		return nil, err
	}
	var blocks []goBlock
	for _, f := range all {
		if f.lang != "go" {
			continue
		}
		b := goBlock{line: f.line, lines: f.lines}
		if m := marker.FindStringSubmatch(f.before); m != nil {
			b.fn, b.file = m[1], m[2]
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// funcTexts returns the source of function name in file: the whole declaration, and
// its body with the braces removed and one tab less indentation.
func funcTexts(root, file, name string) (decl, body []string, err error) {
	path := filepath.Join(root, filepath.FromSlash(file))
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != name || fd.Body == nil {
			continue
		}
		start := fset.Position(fd.Pos()).Offset
		if fd.Doc != nil {
			start = fset.Position(fd.Doc.Pos()).Offset
		}
		decl = strings.Split(string(src[start:fset.Position(fd.End()).Offset]), "\n")
		inner := src[fset.Position(fd.Body.Lbrace).Offset+1 : fset.Position(fd.Body.Rbrace).Offset]
		for l := range strings.SplitSeq(strings.Trim(string(inner), "\n"), "\n") {
			body = append(body, strings.TrimPrefix(l, "\t"))
		}
		return decl, body, nil
	}
	return nil, nil, fmt.Errorf("%s has no function %s", file, name)
}

// containsRun reports whether want appears in have as consecutive lines.
func containsRun(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		if equalLines(have[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkBlocks returns a problem for each block of the Markdown file (relative to
// root) without a marker, or whose lines its function does not hold.
func checkBlocks(root, file string, blocks []goBlock) []string {
	var problems []string
	for _, b := range blocks {
		if b.fn == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: ```go block without a marker line before it: "+
				"put its code in a function of a _test.go file and write <!-- compiled as FUNC in PATH --> above the block", file, b.line))
			continue
		}
		decl, body, err := funcTexts(root, b.file, b.fn)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", file, b.line, err))
			continue
		}
		if !containsRun(decl, b.lines) && !containsRun(body, b.lines) {
			problems = append(problems, fmt.Sprintf("%s:%d: the block differs from %s in %s: "+
				"make them the same (gofmt the function, then copy its lines into the document)", file, b.line, b.fn, b.file))
		}
	}
	return problems
}

// TestREADMEGoBlocksAreCompiled checks the Go blocks of README.md and docs/*.md.
func TestREADMEGoBlocksAreCompiled(t *testing.T) {
	n := 0
	for _, file := range markdownFiles(t, repoRoot) {
		md, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := goBlocks(md)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		n += len(blocks)
		for _, p := range checkBlocks(repoRoot, file, blocks) {
			t.Error(p)
		}
	}
	if n == 0 {
		t.Fatal("found no ```go blocks; has the fence syntax changed?")
	}
}

// TestCheckBlocksBites shows that the check refuses a block its function does not
// hold, a block without a marker, and a marker naming a missing function.
func TestCheckBlocksBites(t *testing.T) {
	md := strings.Join([]string{
		"<!-- compiled as readmeTransport in internal/readme/snippets_test.go -->",
		"",
		"```go",
		"tr := wrapper.DefaultTransport()",
		"tr.ResponseHeaderTimeout = 10 * time.Second",
		"```",
		"<!-- compiled as readmeTransport in internal/readme/snippets_test.go -->",
		"```go",
		"tr := wrapper.DefaultTransport()",
		"tr.ResponseHeaderTimeout = 11 * time.Second",
		"```",
		"```go",
		"x := 1",
		"```",
		"<!-- compiled as noSuchFunction in internal/readme/snippets_test.go -->",
		"```go",
		"```",
	}, "\n")
	blocks, err := goBlocks([]byte(md))
	if err != nil {
		t.Fatal(err)
	}
	got := checkBlocks(repoRoot, "README.md", blocks)
	want := []string{
		"README.md:8: the block differs from readmeTransport",
		"README.md:12: ```go block without a marker",
		"README.md:16: internal/readme/snippets_test.go has no function noSuchFunction",
	}
	wantProblems(t, got, want)
}

// wantProblems fails the test unless got has as many problems as want, each starting
// with the one of want in its place.
func wantProblems(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
}
