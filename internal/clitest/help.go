package clitest

import (
	"strings"
	"testing"
)

// WantAlignedTables fails the test unless every table in help, the output of a
// --help named name, is aligned. A table is a run of two or more lines indented by
// two spaces; in it, a row is "  KEY  TEXT" (two spaces or more between them) or a
// key alone on its line followed by its text on lines indented further, and every
// text, first lines and continuations alike, starts in the same column.
func WantAlignedTables(t *testing.T, name, help string) {
	t.Helper()
	lines := strings.Split(help, "\n")
	for start := 0; start < len(lines); {
		end := start
		for end < len(lines) && strings.HasPrefix(lines[end], "  ") {
			end++
		}
		if end-start >= 2 {
			wantAligned(t, name, lines[start:end])
		}
		start = max(end, start+1)
	}
}

// wantAligned checks one table.
func wantAligned(t *testing.T, name string, table []string) {
	t.Helper()
	column := -1
	for i, line := range table {
		indent := len(line) - len(strings.TrimLeft(line, " "))
		var col int
		switch {
		case indent > 2: // a continuation
			col = indent
		default:
			gap := strings.Index(line[2:], "  ")
			if gap < 0 { // a key alone: its text must follow, indented
				if i+1 == len(table) || !strings.HasPrefix(table[i+1], "   ") {
					t.Errorf("%s: table row %q has no text column (two spaces after its key, or text on the next line):\n%s", name, line, strings.Join(table, "\n"))
				}
				continue
			}
			col = 2 + gap + len(line[2+gap:]) - len(strings.TrimLeft(line[2+gap:], " "))
		}
		if column < 0 {
			column = col
		} else if col != column {
			t.Errorf("%s: %q starts its text in column %d, the table's other rows in %d:\n%s", name, line, col, column, strings.Join(table, "\n"))
		}
	}
}
