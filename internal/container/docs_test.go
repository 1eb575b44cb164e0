package container

import (
	"os"
	"strings"
	"testing"
)

// TestDocsRunWhatTheyBuild: docs/testing.md's docker commands, followed literally,
// work together: every docker build tags the image that the docker run lines run
// (once the runs named sendgrid-sso-fake:0.1.0 while the builds tagged
// sendgrid-sso-fake, that is :latest, and nothing).
func TestDocsRunWhatTheyBuild(t *testing.T) {
	src, err := os.ReadFile("../../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	var builds, runs [][]string
	for line := range strings.Lines(string(src)) {
		line, _, _ = strings.Cut(line, "#")
		words := strings.Fields(line)
		switch {
		case len(words) > 2 && words[0] == "docker" && words[1] == "build":
			builds = append(builds, words)
		case len(words) > 2 && words[0] == "docker" && words[1] == "run":
			runs = append(runs, words)
		}
	}
	if len(builds) == 0 || len(runs) == 0 {
		t.Fatalf("docs/testing.md: %d docker build lines, %d docker run lines; want some of each", len(builds), len(runs))
	}
	for _, run := range runs {
		image := ""
		for _, w := range run {
			if w == "sendgrid-sso-fake" || strings.HasPrefix(w, "sendgrid-sso-fake:") {
				image = w
			}
		}
		if image == "" {
			t.Errorf("%q runs no sendgrid-sso-fake image", strings.Join(run, " "))
			continue
		}
		for _, build := range builds {
			tag := ""
			for i, w := range build[:len(build)-1] {
				if w == "-t" || w == "--tag" {
					tag = build[i+1]
				}
			}
			if tag != image {
				t.Errorf("%q tags %q; the docs then run %q", strings.Join(build, " "), tag, image)
			}
		}
	}
}
