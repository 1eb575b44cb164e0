// Package readme holds no code of its own. Its tests check the repository's Markdown
// documentation: README.md, the other top-level *.md files (CONTRIBUTING.md, ...) and
// docs/*.md.
//
// Each ```go block is preceded by a marker naming the function that holds it, such as
//
//	<!-- compiled as readmeErrors in internal/readme/snippets_test.go -->
//
// and TestDocsGoBlocksAreCompiled fails unless the block's lines appear, in order and
// verbatim, in that function (its declaration, or its body one tab less indented), so
// that an example cannot stop compiling unnoticed. To change an example, change the
// function and paste it into the document.
//
// TestDocLinksResolve fails when a relative link names a file that does not exist, or
// a #anchor that is not a heading of the Markdown file it points at (anchors as GitHub
// makes them), so that a section that moves takes its links along. TestREADMEIsShort
// holds README.md to 300 lines: the reference material has its homes in docs/ and
// CONTRIBUTING.md.
package readme
