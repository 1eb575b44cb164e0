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

// maxREADMELines is the README's budget: what this is, who it is for, why, how to
// install, a quick start and where everything else lives. The rest has a home in
// docs/ or CONTRIBUTING.md.
const maxREADMELines = 300

// docFiles returns the Markdown files the checks cover, as slash paths relative to
// root: every *.md at the top (README.md, CONTRIBUTING.md, SECURITY.md, ...) and in
// docs/.
func docFiles(root string) ([]string, error) {
	var files []string
	for _, pattern := range []string{"*.md", "docs/*.md"} {
		matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			rel, err := filepath.Rel(root, m)
			if err != nil {
				return nil, err
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files, nil
}

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

// checkBlocks returns a problem for each block of the Markdown file doc without a
// marker, or whose lines its function does not hold.
func checkBlocks(root, doc string, blocks []goBlock) []string {
	var problems []string
	for _, b := range blocks {
		if b.fn == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: ```go block without a marker line before it: "+
				"put its code in a function of a _test.go file and write <!-- compiled as FUNC in PATH --> above the block", doc, b.line))
			continue
		}
		decl, body, err := funcTexts(root, b.file, b.fn)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", doc, b.line, err))
			continue
		}
		if !containsRun(decl, b.lines) && !containsRun(body, b.lines) {
			problems = append(problems, fmt.Sprintf("%s:%d: the block differs from %s in %s: "+
				"make them the same (gofmt the function, then copy its lines into %s)", doc, b.line, b.fn, b.file, doc))
		}
	}
	return problems
}

func TestDocsGoBlocksAreCompiled(t *testing.T) {
	files, err := docFiles(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, doc := range files {
		md, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(doc)))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := goBlocks(md)
		if err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		counts[doc] = len(blocks)
		for _, p := range checkBlocks(repoRoot, doc, blocks) {
			t.Error(p)
		}
	}
	// The quick start and the testing guide show Go; none found means the fence
	// syntax changed or a file moved, and the check would pass on nothing.
	for _, doc := range []string{"README.md", "docs/testing.md", "docs/library.md"} {
		if counts[doc] == 0 {
			t.Errorf("%s: found no ```go blocks (files checked: %v); has the fence syntax changed or the file moved?", doc, files)
		}
	}
}

// TestCheckBlocksBites shows that the check refuses a block its function does not
// hold, a block without a marker, and a marker naming a missing function, naming
// the file each is in.
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
	got := checkBlocks(repoRoot, "docs/x.md", blocks)
	want := []string{
		"docs/x.md:8: the block differs from readmeTransport",
		"docs/x.md:12: ```go block without a marker",
		"docs/x.md:16: internal/readme/snippets_test.go has no function noSuchFunction",
	}
	wantProblems(t, got, want)
}

// TestREADMEIsShort holds the README to its budget, so that the CLI reference, the
// operations guide and the contributor loop stay in their own homes.
func TestREADMEIsShort(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(md, []byte("\n")); n > maxREADMELines {
		t.Errorf("README.md has %d lines, more than %d: move the detail to its home (docs/cli.md, docs/operations.md, "+
			"docs/library.md, docs/testing.md, CONTRIBUTING.md) and link to it", n, maxREADMELines)
	}
}

// wantProblems fails t unless got holds one problem per want, in order, each starting
// with its want.
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
