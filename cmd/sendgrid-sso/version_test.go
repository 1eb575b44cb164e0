package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

func TestVersion(t *testing.T) {
	clitest.WantVersion(t, bin, "sendgrid-sso", []string{"--version"}, []string{"version"}, []string{"-version"},
		[]string{"--region", "eu", "--version"})
}

// TestVersionNamesTheRevision builds the tool as make dist does (-buildvcs=auto,
// whatever GOFLAGS says) and checks that --version names the checkout's revision,
// and whether the tree has uncommitted changes, as git sees them. Go stamps the
// revision only where .git is a directory: not in a source tree without git, nor in
// a linked worktree (git worktree add), whose .git is a file; there the version must
// name no revision.
func TestVersionNamesTheRevision(t *testing.T) {
	b := clitest.Build(t, "github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso", "-buildvcs=auto")
	text := clitest.WantVersion(t, b, "sendgrid-sso", []string{"--version"})
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	var gitDir os.FileInfo
	if err == nil {
		gitDir, err = os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git"))
	}
	if err != nil || !gitDir.IsDir() {
		if strings.Contains(text, "revision") {
			t.Errorf("not built in a git clone, yet the version names a revision:\n%s", text)
		}
		return
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	if want := "revision     " + strings.TrimSpace(string(head)) + "\n"; !strings.Contains(text, want) {
		t.Errorf("version text lacks %q:\n%s", want, text)
	}
	status, err := exec.Command("git", "status", "--porcelain").Output()
	if err != nil {
		t.Fatalf("git status: %v", err)
	}
	modified := "modified     no\n"
	if len(status) > 0 {
		modified = "modified     yes: built with uncommitted changes\n"
	}
	if !strings.Contains(text, modified) {
		t.Errorf("git status says %q, yet the version text lacks %q:\n%s", status, modified, text)
	}
}
