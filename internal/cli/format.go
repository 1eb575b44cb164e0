package cli

import (
	"flag"
	"fmt"
	"strings"
)

// Output formats (--format) of cert and sync.
const (
	formatText       = "text"
	formatJSON       = "json"
	formatPrometheus = "prometheus"
)

// resolveFormat checks *format, the value of --format, against formats, the ones the
// command writes, and folds in --json (asJSON), its shorthand: --json with any other
// --format is a usage error. fs is the command's flags, to tell a --format given from
// its default.
func resolveFormat(fs *flag.FlagSet, format *string, asJSON bool, formats ...string) error {
	known := false
	for _, f := range formats {
		known = known || f == *format
	}
	if !known {
		return &UsageError{Err: fmt.Errorf("--format %q: use %s", *format, orList(formats))}
	}
	if !asJSON {
		return nil
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "format" })
	if given && *format != formatJSON {
		return &UsageError{Err: fmt.Errorf("--json and --format %s exclude each other: pick one", *format)}
	}
	*format = formatJSON
	return nil
}

// orList is words as a sentence offers a choice: "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
