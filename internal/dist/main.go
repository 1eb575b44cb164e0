// Command dist builds the release archives (make dist): sendgrid-sso,
// sendgrid-sso-fake and sendgrid-sso-exporter for linux, darwin and windows on amd64
// and arm64, one archive per platform (tar.gz; zip for windows) holding the binaries, LICENSE, README.md,
// CHANGELOG.md and the user documentation the README links to (docs/*.md), and a SHA256SUMS file that sha256sum -c reads.
//
//	go run ./internal/dist [-out dist] [-platforms linux/amd64,...] [-commit HEAD]
//
// The archives are reproducible: the same commit built with the same Go release gives
// the same bytes, wherever the checkout is and whatever the build cache holds. So
//
//   - it builds from a fresh clone of HEAD in a temporary directory: only committed
//     files count, and the binaries' embedded VCS information (revision, commit time,
//     modified=false) is that of HEAD, which a linked git worktree, or a tree with
//     uncommitted changes, would not give;
//   - go build runs with -trimpath (no file system paths), -buildvcs=true,
//     CGO_ENABLED=0 (no C toolchain or libc), and GOAMD64=v1 and GOARM64=v8.0 fixed,
//     whatever the environment says; -ldflags="-s -w" drops the symbol table and
//     DWARF, which only debuggers read;
//   - every archive entry has the commit time of HEAD as its time (or
//     $SOURCE_DATE_EPOCH), owner 0:0 with no names, and a fixed mode and order; the
//     gzip header carries no name or time.
//
// The version in the archive names and in the binaries is wrapper.Version, the
// module's one version; when HEAD carries a v* tag, it must be "v" + wrapper.Version.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// platform is one GOOS/GOARCH pair.
type platform struct{ goos, goarch string }

// String is "GOOS/GOARCH".
func (p platform) String() string { return p.goos + "/" + p.goarch }

// platforms are the GOOS/GOARCH pairs released.
var platforms = []platform{
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"linux", "amd64"}, {"linux", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// commands are the binaries in every archive, each built from cmd/NAME.
var commands = []string{"sendgrid-sso", "sendgrid-sso-fake", "sendgrid-sso-exporter"}

// docs are the repository files in every archive, beside the binaries: docs/ too,
// since the README links into it.
var docs = []string{"CHANGELOG.md", "LICENSE", "README.md",
	"docs/cli.md", "docs/exporter.md", "docs/library.md", "docs/operations.md", "docs/rotation.md", "docs/testing.md"}

// deployFiles are the files of deploy/ in every archive, beside the docs: what a user
// runs the watch in production with (docs/operations.md), each with its mode. The Go
// tests of deploy/ stay out; the rules' promtool tests ship, so that an edited copy
// can be tested. The fake's Dockerfile and compose file ship too, so that
// docs/testing.md's links resolve in an archive; the Dockerfile's BINARY=context stage
// takes a prebuilt static binary such as the archive's (its context: make image-context).
var deployFiles = []archiveFile{
	{name: "deploy/prometheus/sendgrid-sso-alerts.yml", mode: 0o644},
	{name: "deploy/prometheus/sendgrid-sso-alerts_test.yml", mode: 0o644},
	{name: "deploy/systemd/sendgrid-sso-exporter.service", mode: 0o644},
	{name: "deploy/kubernetes/deployment.yaml", mode: 0o644},
	{name: "deploy/kubernetes/service.yaml", mode: 0o644},
	{name: "deploy/kubernetes/secret.yaml", mode: 0o644},
	{name: "deploy/cron/sendgrid-sso-textfile.sh", mode: 0o755},
	{name: "deploy/Dockerfile", mode: 0o644},
	{name: "deploy/docker-compose.yml", mode: 0o644},
}

// sumsFile is the checksum list, in the format of sha256sum.
const sumsFile = "SHA256SUMS"

func main() {
	out := flag.String("out", "dist", "write the archives and "+sumsFile+" into this `directory`")
	only := flag.String("platforms", "", "build only these comma-separated `GOOS/GOARCH` pairs of the released ones (default all)")
	commit := flag.String("commit", "HEAD", "build this `commit` of the repository")
	flag.Parse()
	ps, err := selectPlatforms(*only)
	if err == nil {
		err = run(*out, *commit, ps, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

// selectPlatforms returns the released platforms named in list ("linux/amd64,..."),
// or all of them for "".
func selectPlatforms(list string) ([]platform, error) {
	if list == "" {
		return platforms, nil
	}
	var ps []platform
	for _, name := range strings.Split(list, ",") {
		goos, goarch, _ := strings.Cut(strings.TrimSpace(name), "/")
		p := platform{goos, goarch}
		if !slices.Contains(platforms, p) {
			return nil, fmt.Errorf("-platforms: %q is not a released platform: use GOOS/GOARCH pairs of %v", name, platforms)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// run builds the archives of commit for platforms ps into out and writes their
// checksums, reporting progress to log.
func run(out, commit string, ps []platform, log io.Writer) error {
	head, err := git("", "rev-parse", "--verify", commit+"^{commit}")
	if err != nil {
		return fmt.Errorf("make dist builds from a git clone of the repository: %w", err)
	}
	if err := checkTag(head); err != nil {
		return err
	}
	if status, err := git("", "status", "--porcelain"); err == nil && status != "" {
		fmt.Fprintf(log, "dist: the tree has uncommitted changes; the archives hold %s as committed\n", commit)
	}
	mtime, err := sourceDate(head)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sendgrid-sso-dist")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	top, err := git("", "rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	if _, err := git("", "clone", "--quiet", "--no-checkout", top, src); err != nil {
		return err
	}
	if _, err := git(src, "checkout", "--quiet", "--detach", head); err != nil {
		return err
	}
	fmt.Fprintf(log, "dist: sendgrid-sso %s at %s for %v\n", wrapper.Version, head[:12], ps)

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var sums []string
	for _, p := range ps {
		name := fmt.Sprintf("sendgrid-sso_%s_%s_%s", wrapper.Version, p.goos, p.goarch)
		var files []archiveFile
		for _, cmd := range commands {
			bin := filepath.Join(tmp, "bin", p.goos+"_"+p.goarch, cmd)
			if p.goos == "windows" {
				bin += ".exe"
			}
			dir, pkg := buildTarget(src, cmd)
			if err := goBuild(dir, bin, pkg, p.goos, p.goarch); err != nil {
				return err
			}
			files = append(files, archiveFile{name: filepath.Base(bin), path: bin, mode: 0o755})
		}
		for _, d := range docs {
			files = append(files, archiveFile{name: d, path: filepath.Join(src, d), mode: 0o644})
		}
		for _, d := range deployFiles {
			files = append(files, archiveFile{name: d.name, path: filepath.Join(src, filepath.FromSlash(d.name)), mode: d.mode})
		}
		file := name + ".tar.gz"
		write := writeTarGz
		if p.goos == "windows" {
			file, write = name+".zip", writeZip
		}
		sum, err := writeArchive(filepath.Join(out, file), name, files, mtime, write)
		if err != nil {
			return err
		}
		sums = append(sums, sum+"  "+file+"\n")
		fmt.Fprintf(log, "dist: %s\n", file)
	}
	slices.Sort(sums)
	if err := os.WriteFile(filepath.Join(out, sumsFile), []byte(strings.Join(sums, "")), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "dist: %s\n", filepath.Join(out, sumsFile))
	return nil
}

// git runs git in dir ("" for the current directory) and returns its trimmed output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// checkTag refuses a HEAD tagged with a version other than wrapper.Version.
func checkTag(head string) error {
	tags, err := git("", "tag", "--points-at", head)
	if err != nil {
		return err
	}
	for _, tag := range strings.Fields(tags) {
		if strings.HasPrefix(tag, "v") && tag != "v"+wrapper.Version {
			return fmt.Errorf("HEAD is tagged %s but wrapper.Version is %q: set the version in internal/outbound/useragent.go, or tag v%s",
				tag, wrapper.Version, wrapper.Version)
		}
	}
	return nil
}

// sourceDate is the time every archive entry carries: $SOURCE_DATE_EPOCH when set
// (https://reproducible-builds.org/specs/source-date-epoch/), else HEAD's commit time.
func sourceDate(head string) (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		var err error
		if s, err = git("", "log", "-1", "--format=%ct", head); err != nil {
			return time.Time{}, err
		}
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970: %w", s, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// buildTarget is where go build builds the command cmd of the checkout src: the
// directory and the package. A command that is a module of its own (a go.mod in
// cmd/NAME, as sendgrid-sso-exporter's, so that the library's module does not require
// its dependencies) builds from its directory.
func buildTarget(src, cmd string) (dir, pkg string) {
	if _, err := os.Stat(filepath.Join(src, "cmd", cmd, "go.mod")); err == nil {
		return filepath.Join(src, "cmd", cmd), "."
	}
	return src, "./cmd/" + cmd
}

// goBuild builds the command pkg of the module in dir for goos/goarch into out.
func goBuild(dir, out, pkg, goos, goarch string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=true", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOAMD64=v1", "GOARM64=v8.0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s for %s/%s: %w\n%s", pkg, goos, goarch, err, msg)
	}
	return nil
}

// archiveFile is one file to archive: name inside the archive's directory, path on
// disk, mode.
type archiveFile struct {
	name, path string
	mode       int64
}

// writeArchive writes the archive path with write, its entries under the directory
// dir, and returns its SHA-256 in hex.
func writeArchive(path, dir string, files []archiveFile, mtime time.Time,
	write func(w io.Writer, dir string, files []archiveFile, mtime time.Time) error) (string, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = write(io.MultiWriter(f, h), dir, files, mtime)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeTarGz writes files as a gzipped tar: a directory entry, then the files in
// the order given, each with mtime, owner 0:0 and no user or group name.
func writeTarGz(w io.Writer, dir string, files []archiveFile, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	hdr := &tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatUSTAR}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: dir + "/" + f.name, Mode: f.mode, Size: int64(len(b)),
			ModTime: mtime, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	return errors.Join(tw.Close(), gz.Close())
}

// writeZip writes files as a zip: a directory entry, then the files in the order
// given, deflated, each with mtime and its mode.
func writeZip(w io.Writer, dir string, files []archiveFile, mtime time.Time) error {
	zw := zip.NewWriter(w)
	dh := &zip.FileHeader{Name: dir + "/", Modified: mtime}
	dh.SetMode(os.ModeDir | 0o755)
	if _, err := zw.CreateHeader(dh); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		fh := &zip.FileHeader{Name: dir + "/" + f.name, Method: zip.Deflate, Modified: mtime}
		fh.SetMode(os.FileMode(f.mode))
		fw, err := zw.CreateHeader(fh)
		if err != nil {
			return err
		}
		if _, err := fw.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}
