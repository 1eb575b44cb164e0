// Package readme holds no code of its own. Its tests check that what the
// documentation shows is what the code does, so that neither an example nor a
// transcript can go stale unnoticed: README.md, the other top-level *.md files
// (CONTRIBUTING.md, ...) and docs/*.md.
//
// Each ```go block is preceded by a marker naming the function that holds it, such as
//
//	<!-- compiled as readmeErrors in internal/readme/snippets_test.go -->
//
// and TestDocsGoBlocksAreCompiled fails unless the block's lines appear, in order and
// verbatim, in that function (its declaration, or its body one tab less indented). To
// change an example, change the function and paste it into the document.
//
// Each ```console block of README.md and docs/*.md that runs sendgrid-sso is a
// transcript, preceded by
//
//	<!-- transcript -->
//
// (optionally with fake="FLAGS" for the sendgrid-sso-fake it runs against and
// files="PATH ..." to copy where the commands run), or by
// <!-- transcript unchecked: REASON -->. TestTranscriptsAreCurrent runs the "$ " lines
// of every marked block in one shell against the binaries built from this tree and
// fails unless each prints what the block shows after it; transcript_test.go says
// which values may differ from run to run.
//
// TestDocLinksResolve fails when a relative link names a file that does not exist, or
// a #anchor that is not a heading of the Markdown file it points at (anchors as GitHub
// makes them), so that a section that moves takes its links along. TestREADMEIsShort
// holds README.md to 300 lines: the reference material has its homes in docs/ and
// CONTRIBUTING.md.
package readme
