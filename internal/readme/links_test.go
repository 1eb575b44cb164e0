package readme_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// A relative link in a Markdown file must name a file of the repository and, after #,
// a heading of that file: when a section moves to another home, every link to it has
// to move with it.

var (
	// inlineLink matches [text](target) and captures the target; the text may span
	// lines. Inline code is blanked out before it runs.
	inlineLink = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	codeSpan   = regexp.MustCompile("`[^`\n]*`")
	heading    = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
)

// isFence reports whether line opens or closes a fenced code block.
func isFence(line string) bool {
	return strings.HasPrefix(strings.TrimSpace(line), "```")
}

// prose returns md with every line inside a fenced code block, fences included,
// blanked, so that neither the headings nor the links of a code block count; line
// numbers stay as they were.
func prose(md string) []string {
	lines := strings.Split(md, "\n")
	in := false
	for i, l := range lines {
		if isFence(l) {
			in = !in
			lines[i] = ""
			continue
		}
		if in {
			lines[i] = ""
		}
	}
	return lines
}

// slug is the anchor GitHub gives a heading: lower case, every character but letters,
// digits, marks, '-', '_' and spaces dropped, each space a '-'.
func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-', r == '_', unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors returns the anchors of md's headings; a repeated one gets -1, -2, ... as
// on GitHub.
func anchors(md string) map[string]bool {
	set := map[string]bool{}
	seen := map[string]int{}
	for _, l := range prose(md) {
		m := heading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		a := slug(m[1])
		if n := seen[a]; n > 0 {
			seen[a]++
			a = fmt.Sprintf("%s-%d", a, n)
		} else {
			seen[a] = 1
		}
		set[a] = true
	}
	return set
}

// link is a relative link of a Markdown file.
type link struct {
	line   int
	target string
}

// relativeLinks returns md's inline links outside code that stay in the repository:
// not http(s), mailto or other schemes.
func relativeLinks(md string) []link {
	lines := prose(md)
	for i, l := range lines {
		lines[i] = codeSpan.ReplaceAllStringFunc(l, func(s string) string { return strings.Repeat(" ", len(s)) })
	}
	text := strings.Join(lines, "\n")
	var links []link
	for _, m := range inlineLink.FindAllStringSubmatchIndex(text, -1) {
		target := text[m[2]:m[3]]
		if strings.Contains(target, ":") && !strings.HasPrefix(target, "#") {
			continue // https:, mailto: and the like
		}
		links = append(links, link{line: 1 + strings.Count(text[:m[0]], "\n"), target: target})
	}
	return links
}

// checkLinks returns a problem for each relative link of the Markdown file doc
// (a slash path under root) whose file does not exist, or whose anchor is not a
// heading of the Markdown file it names.
func checkLinks(root, doc, md string) []string {
	var problems []string
	for _, l := range relativeLinks(md) {
		file, anchor, _ := strings.Cut(l.target, "#")
		where := fmt.Sprintf("%s:%d: link %s", doc, l.line, l.target)
		target, text := doc, md
		if file != "" {
			target = path.Join(path.Dir(doc), file)
			if strings.HasPrefix(target, "../") {
				problems = append(problems, where+": points outside the repository")
				continue
			}
			full := filepath.Join(root, filepath.FromSlash(target))
			if _, err := os.Stat(full); err != nil {
				problems = append(problems, fmt.Sprintf("%s: no file %s: point it at the section's new home", where, target))
				continue
			}
			if anchor == "" || !strings.HasSuffix(target, ".md") {
				continue
			}
			b, err := os.ReadFile(full)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			text = string(b)
		}
		if !anchors(text)[anchor] {
			problems = append(problems, fmt.Sprintf("%s: %s has no heading with the anchor #%s: "+
				"point it at the section's new home, or at the heading as renamed", where, target, anchor))
		}
	}
	return problems
}

func TestDocLinksResolve(t *testing.T) {
	files, err := docFiles(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, doc := range files {
		md, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(doc)))
		if err != nil {
			t.Fatal(err)
		}
		checked += len(relativeLinks(string(md)))
		for _, p := range checkLinks(repoRoot, doc, string(md)) {
			t.Error(p)
		}
	}
	if checked == 0 {
		t.Fatalf("found no relative links in %v; has the link syntax changed?", files)
	}
}

// TestSlug pins the anchors GitHub gives headings of the kinds these documents use.
func TestSlug(t *testing.T) {
	for heading, want := range map[string]string{
		"Why not the official SDKs":                                "why-not-the-official-sdks",
		"The metrics: `--format prometheus`":                       "the-metrics---format-prometheus",
		"Faults over HTTP, from any language: `Prefer: code=N`":    "faults-over-http-from-any-language-prefer-coden",
		"Certificate watch: expiry and the IdP's metadata":         "certificate-watch-expiry-and-the-idps-metadata",
		"Code in the docs: `internal/readme`":                      "code-in-the-docs-internalreadme",
		"Recipe: cron and node_exporter's textfile collector":      "recipe-cron-and-node_exporters-textfile-collector",
		"The fake: `sendgrid-sso-fake [--addr 127.0.0.1:8025]`":    "the-fake-sendgrid-sso-fake---addr-1270018025",
		"Per-call overhead and connection reuse (issue 17)":        "per-call-overhead-and-connection-reuse-issue-17",
		"Layout: one home per concern":                             "layout-one-home-per-concern",
		"Retries, and which wait applies":                          "retries-and-which-wait-applies",
		"`sendgrid-sso cert`":                                      "sendgrid-sso-cert",
		"Startup: the command against curl":                        "startup-the-command-against-curl",
		"Reproducible release archives: `make dist`":               "reproducible-release-archives-make-dist",
		"Testing your code against the fake: `wrapper/ssotest`":    "testing-your-code-against-the-fake-wrapperssotest",
		"Check that SendGrid holds the certificate your IdP signs": "check-that-sendgrid-holds-the-certificate-your-idp-signs",
	} {
		if got := slug(heading); got != want {
			t.Errorf("slug(%q) = %q, want %q", heading, got, want)
		}
	}
}

// TestCheckLinksBites shows that the check refuses a link to a missing file, to a
// missing heading of another file or of the same one, and one leaving the
// repository; that it counts headings as GitHub does (a repeat gets -1) and ignores
// headings and links inside code.
func TestCheckLinksBites(t *testing.T) {
	md := strings.Join([]string{
		"# Title",
		"## Again",
		"## Again",
		"```sh",
		"# not a heading",
		"[not a link](nowhere.md)",
		"```",
		"[fine](#again) [fine too](#again-1) [a file](../README.md) [a heading](../README.md#licence)",
		"[web](https://example.com/x.md) `[code](nowhere.md)`",
		"[gone](../MOVED.md) [no such",
		"heading](#not-a-heading) [elsewhere](cli.md#nothing-here) [up](../../x.md)",
	}, "\n")
	got := checkLinks(repoRoot, "docs/x.md", md)
	want := []string{
		"docs/x.md:10: link ../MOVED.md: no file MOVED.md",
		"docs/x.md:10: link #not-a-heading: docs/x.md has no heading with the anchor #not-a-heading",
		"docs/x.md:11: link cli.md#nothing-here: docs/cli.md has no heading with the anchor #nothing-here",
		"docs/x.md:11: link ../../x.md: points outside the repository",
	}
	wantProblems(t, got, want)
}
