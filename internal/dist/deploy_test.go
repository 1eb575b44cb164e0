package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDeployShipsItsUserFiles: every file of deploy/ but its Go files is in the
// archives' deployFiles, since docs/operations.md, which the archives ship, tells the
// user to install them; each listed file exists, executable in the archive exactly
// when it is in the repository.
func TestDeployShipsItsUserFiles(t *testing.T) {
	var found []string
	err := filepath.WalkDir("../../deploy", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".go") {
			return err
		}
		rel, err := filepath.Rel("../..", path)
		found = append(found, filepath.ToSlash(rel))
		return err
	})
	if err != nil || len(found) == 0 {
		t.Fatalf("no files found in deploy/ (%v)", err)
	}
	var listed []string
	for _, f := range deployFiles {
		listed = append(listed, f.name)
		fi, err := os.Stat(filepath.Join("../..", filepath.FromSlash(f.name)))
		if err != nil {
			t.Errorf("archived file %s: %v", f.name, err)
			continue
		}
		if exec := fi.Mode().Perm()&0o111 != 0; exec != (f.mode == 0o755) {
			t.Errorf("%s: mode %#o in the archive, %v in the repository", f.name, f.mode, fi.Mode().Perm())
		}
	}
	for _, f := range found {
		if !slices.Contains(listed, f) {
			t.Errorf("%s is not in the archives' deployFiles", f)
		}
	}
}
