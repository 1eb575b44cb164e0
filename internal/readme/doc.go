// Package readme holds no code of its own. Its tests compile the Go blocks of the
// repository's README.md and check that the README shows them as compiled, so that a
// README example cannot stop compiling unnoticed.
//
// Each ```go block in README.md is preceded by a marker naming the function that holds
// it, such as
//
//	<!-- compiled as readmeErrors in internal/readme/snippets_test.go -->
//
// and TestREADMEGoBlocksAreCompiled fails unless the block's lines appear, in order and
// verbatim, in that function (its declaration, or its body one tab less indented). To
// change a README example, change the function and paste it into the README.
package readme
