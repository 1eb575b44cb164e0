// Package readme holds no code of its own. Its tests check that what the
// documentation shows is what the code does, so that neither a README example nor a
// transcript can go stale unnoticed.
//
// Each ```go block in README.md and docs/*.md is preceded by a marker naming the
// function that holds it, such as
//
//	<!-- compiled as readmeErrors in internal/readme/snippets_test.go -->
//
// and TestREADMEGoBlocksAreCompiled fails unless the block's lines appear, in order and
// verbatim, in that function (its declaration, or its body one tab less indented). To
// change a README example, change the function and paste it into the README.
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
package readme
