package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testFiles writes a binary and a document into a temporary directory, with modes
// and times that the archives must not copy.
func testFiles(t *testing.T) []archiveFile {
	t.Helper()
	dir := t.TempDir()
	bin, doc := filepath.Join(dir, "tool"), filepath.Join(dir, "README.md")
	if err := os.WriteFile(bin, []byte("\x7fELF binary"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(doc, []byte("# read me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, p := range []string{bin, doc} {
		if err := os.Chtimes(p, now, now); err != nil {
			t.Fatal(err)
		}
	}
	return []archiveFile{{name: "tool", path: bin, mode: 0o755}, {name: "README.md", path: doc, mode: 0o644}}
}

var testMtime = time.Unix(1763856000, 0).UTC()

// TestArchivesAreReproducible writes each archive twice, the files touched in between,
// and wants the same bytes.
func TestArchivesAreReproducible(t *testing.T) {
	for name, write := range map[string]func(io.Writer, string, []archiveFile, time.Time) error{"tar.gz": writeTarGz, "zip": writeZip} {
		files := testFiles(t)
		var a, b bytes.Buffer
		if err := write(&a, "pkg_1.0_os_arch", files, testMtime); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour)
		for _, f := range files {
			if err := os.Chtimes(f.path, later, later); err != nil {
				t.Fatal(err)
			}
		}
		if err := write(&b, "pkg_1.0_os_arch", files, testMtime); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of the same files differ", name)
		}
	}
}

// TestTarGzEntries reads a tar.gz back: a directory, then the files in order, with
// the fixed time, owner 0:0, no names and the modes given; no name or time in gzip.
func TestTarGzEntries(t *testing.T) {
	var buf bytes.Buffer
	if err := writeTarGz(&buf, "pkg", testFiles(t), testMtime); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header has name %q and time %v, want neither", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	want := []struct {
		name string
		mode int64
		body string
	}{{"pkg/", 0o755, ""}, {"pkg/tool", 0o755, "\x7fELF binary"}, {"pkg/README.md", 0o644, "# read me\n"}}
	for _, w := range want {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("entry %s: %v", w.name, err)
		}
		body, _ := io.ReadAll(tr)
		if h.Name != w.name || h.Mode != w.mode || string(body) != w.body {
			t.Errorf("entry %q mode %o body %q, want %q %o %q", h.Name, h.Mode, body, w.name, w.mode, w.body)
		}
		if !h.ModTime.Equal(testMtime) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: time %v owner %d:%d %q:%q, want %v 0:0 with no names", h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname, testMtime)
		}
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("more entries than %d", len(want))
	}
}

// TestZipEntries reads a zip back: a directory, then the files in order, with the
// fixed time and the modes given.
func TestZipEntries(t *testing.T) {
	var buf bytes.Buffer
	if err := writeZip(&buf, "pkg", testFiles(t), testMtime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name string
		mode os.FileMode
	}{{"pkg/", os.ModeDir | 0o755}, {"pkg/tool", 0o755}, {"pkg/README.md", 0o644}}
	if len(zr.File) != len(want) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(want))
	}
	for i, w := range want {
		f := zr.File[i]
		if f.Name != w.name || f.Mode() != w.mode || !f.Modified.Equal(testMtime) {
			t.Errorf("entry %q mode %v time %v, want %q %v %v", f.Name, f.Mode(), f.Modified, w.name, w.mode, testMtime)
		}
	}
}

func TestSelectPlatforms(t *testing.T) {
	if ps, err := selectPlatforms(""); err != nil || len(ps) != 6 {
		t.Errorf(`selectPlatforms("") = %v, %v; want all 6`, ps, err)
	}
	if ps, err := selectPlatforms("linux/amd64, windows/arm64"); err != nil || len(ps) != 2 || ps[1] != (platform{"windows", "arm64"}) {
		t.Errorf("selectPlatforms = %v, %v; want linux/amd64 and windows/arm64", ps, err)
	}
	if _, err := selectPlatforms("plan9/386"); err == nil || !strings.Contains(err.Error(), `"plan9/386" is not a released platform`) {
		t.Errorf("selectPlatforms(plan9/386) error = %v", err)
	}
}

// TestDocsShipEveryUserDoc: every Markdown file of docs/, which the README links to,
// is in the archives' list, so that a link in a downloaded README resolves.
func TestDocsShipEveryUserDoc(t *testing.T) {
	found, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(found) == 0 {
		t.Fatalf("no docs/*.md found (%v)", err)
	}
	for _, f := range found {
		name := "docs/" + filepath.Base(f)
		if !slices.Contains(docs, name) {
			t.Errorf("%s is not in the archives' docs list", name)
		}
	}
	for _, d := range docs {
		if _, err := os.Stat(filepath.Join("../..", d)); err != nil {
			t.Errorf("archived file %s: %v", d, err)
		}
	}
}

// TestEveryCommandIsArchived: every command of cmd/ is in the archives, and each
// builds where it can: sendgrid-sso-exporter, a module of its own, from its directory.
func TestEveryCommandIsArchived(t *testing.T) {
	dirs, err := filepath.Glob("../../cmd/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cmd/* found (%v)", err)
	}
	for _, d := range dirs {
		if !slices.Contains(commands, filepath.Base(d)) {
			t.Errorf("cmd/%s is not in the archives' commands", filepath.Base(d))
		}
	}
	for _, tc := range []struct{ cmd, dir, pkg string }{
		{"sendgrid-sso", "../..", "./cmd/sendgrid-sso"},
		{"sendgrid-sso-exporter", "../../cmd/sendgrid-sso-exporter", "."},
	} {
		if dir, pkg := buildTarget("../..", tc.cmd); filepath.Clean(dir) != filepath.Clean(tc.dir) || pkg != tc.pkg {
			t.Errorf("buildTarget(%s) = %s %s, want %s %s", tc.cmd, dir, pkg, tc.dir, tc.pkg)
		}
	}
}
