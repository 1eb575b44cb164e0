package readme_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// The transcripts of the documentation ($ command lines and what they print, in
// ```console blocks) run against the real binaries and a real sendgrid-sso-fake, and
// must print what the documentation shows (see doc.go).

// bins are the binaries TestMain builds, by name.
var bins map[string]string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(b map[string]string) { bins = b },
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso",
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso-fake"))
}

// transcriptMarker is the line before a ```console block that says how it is checked:
// <!-- transcript --> (run and compared), with attributes fake="FLAGS" (flags of the
// sendgrid-sso-fake that answers on 127.0.0.1:8025) and files="PATH ..." (files,
// relative to the repository, copied into the directory the commands run in); or
// <!-- transcript unchecked: REASON -->.
var transcriptMarker = regexp.MustCompile(`^<!-- transcript(?:( unchecked: .+?)| ((?:\w+="[^"]*" ?)*))? -->$`)

// transcriptAttr is one attribute of a transcriptMarker.
var transcriptAttr = regexp.MustCompile(`(\w+)="([^"]*)"`)

// runsOurs reports whether a command line runs sendgrid-sso or sendgrid-sso-fake.
var runsOurs = regexp.MustCompile(`(?:^|[\s;|&(])(?:\S*/)?sendgrid-sso(?:-fake)?(?:[\s;|&)]|$)`)

// transcript is a ```console block of a Markdown file.
type transcript struct {
	file      string
	line      int      // of its opening fence
	marked    bool     // a transcriptMarker comes before it
	unchecked string   // the marker's reason not to run it
	fake      []string // the marker's fake="..."
	files     []string // the marker's files="..."
	steps     []step
}

// step is one "$ command" of a transcript and the lines the transcript shows after it.
type step struct {
	line    int
	command string
	output  []string
}

// transcripts returns the ```console blocks of the Markdown text md (named file),
// with their markers, and a problem for each marker that no such block follows.
func transcripts(file string, md []byte) ([]transcript, []string) {
	all, err := fencedBlocks(md)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", file, err)}
	}
	var blocks []transcript
	var problems []string
	used := map[int]bool{} // the lines of the markers that blocks follow
	for _, f := range all {
		if f.lang != "console" {
			continue
		}
		tr := transcript{file: file, line: f.line}
		if m := transcriptMarker.FindStringSubmatch(f.before); m != nil {
			used[f.beforeAt] = true
			tr.marked = true
			tr.unchecked = strings.TrimPrefix(m[1], " unchecked: ")
			for _, a := range transcriptAttr.FindAllStringSubmatch(m[2], -1) {
				switch a[1] {
				case "fake":
					tr.fake = strings.Fields(a[2])
				case "files":
					tr.files = strings.Fields(a[2])
				default:
					problems = append(problems, fmt.Sprintf("%s:%d: unknown transcript attribute %s", file, f.beforeAt, a[1]))
				}
			}
		}
		for i, line := range f.lines {
			if cmd, ok := strings.CutPrefix(line, "$ "); ok {
				tr.steps = append(tr.steps, step{line: f.line + 1 + i, command: cmd})
			} else if len(tr.steps) > 0 {
				s := &tr.steps[len(tr.steps)-1]
				s.output = append(s.output, line)
			}
		}
		blocks = append(blocks, tr)
	}
	for i, line := range strings.Split(string(md), "\n") {
		if transcriptMarker.MatchString(line) && !used[i+1] {
			problems = append(problems, fmt.Sprintf("%s:%d: a transcript marker with no ```console block after it", file, i+1))
		}
	}
	return blocks, problems
}

// Loopback addresses the transcripts use, each with what answers there.
const (
	addrFake   = "127.0.0.1:8025" // sendgrid-sso-fake
	addrSilent = "127.0.0.1:8026" // a socket that accepts connections and never answers
	addrClosed = "127.0.0.1:9"    // nothing
)

// loopback finds loopback addresses with a port.
var loopback = regexp.MustCompile(`127\.0\.0\.1:\d+\b`)

// volatile are the values that differ from run to run, each replaced by a
// placeholder in both what a transcript shows and what the commands print: login
// codes, RFC 3339 times, numbers of 9 digits or more (unix times, seconds left), day
// counts of 3 digits or more (a long-lived certificate's "expires in 6613 days"), and
// loopback ports other than those of the constants above (the demo's own fake).
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`code=[0-9a-f]+`), "code=<code>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "<time>"},
	{regexp.MustCompile(`\b\d{9,}\b`), "<n>"},
	{regexp.MustCompile(`\b\d{3,} days\b`), "<n> days"},
}

// normalize replaces the volatile values of line with placeholders.
func normalize(line string) string {
	line = loopback.ReplaceAllStringFunc(line, func(a string) string {
		if a == addrFake || a == addrSilent || a == addrClosed {
			return a
		}
		return "127.0.0.1:<port>"
	})
	for _, v := range volatile {
		line = v.re.ReplaceAllString(line, v.with)
	}
	return line
}

// matchLine reports whether got is want, where "…" in want stands for any text.
func matchLine(want, got string) bool {
	parts := strings.Split(want, "…")
	if len(parts) == 1 {
		return want == got
	}
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	got = got[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(got, p)
		if i < 0 {
			return false
		}
		got = got[i+len(p):]
	}
	return strings.HasSuffix(got, parts[len(parts)-1])
}

// matchLines reports whether got is want, line by line (matchLine), where a line "…"
// alone in want stands for any number of lines.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "…" {
		for i := 0; i <= len(got); i++ {
			if matchLines(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && matchLine(normalize(want[0]), normalize(got[0])) && matchLines(want[1:], got[1:])
}

// silentServer listens on loopback, accepts connections and never answers; it is
// closed, with its connections, when the test ends. It returns its address.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// closedAddr returns a loopback address that nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// stepEnd ends each step's output in the script runTranscript runs.
const stepEnd = "\x1e\n"

// runTranscript runs the commands of tr, in one shell (so that "echo $?" sees the
// previous command's status) with stderr on stdout (so that their lines interleave as
// on a terminal), in a fresh directory holding tr's files, with the binaries first on
// PATH and the fake's key in SENDGRID_API_KEY; the transcript's addresses are mapped
// to a sendgrid-sso-fake started with tr's flags, a silent server and a closed port.
// It returns a problem for each command whose output differs from what tr shows.
func runTranscript(t *testing.T, root string, tr transcript) []string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range tr.files {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return []string{fmt.Sprintf("%s:%d: files: %v", tr.file, tr.line, err)}
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var script strings.Builder
	script.WriteString("exec 2>&1\ncd \"$TRANSCRIPT_DIR\"\n")
	real := map[string]string{} // README address to the real one
	key := "SG.no-fake-runs-here"
	var problems []string
	for _, s := range tr.steps {
		cmd := loopback.ReplaceAllStringFunc(s.command, func(a string) string {
			if real[a] == "" {
				switch a {
				case addrFake:
					f := clitest.StartFake(t, bins["sendgrid-sso-fake"], nil, append([]string{"--addr", "127.0.0.1:0"}, tr.fake...)...)
					real[a], key = strings.TrimPrefix(f.URL, "http://"), f.APIKey
				case addrSilent:
					real[a] = silentServer(t)
				case addrClosed:
					real[a] = closedAddr(t)
				default:
					problems = append(problems, fmt.Sprintf("%s:%d: address %s: transcripts use %s (the fake), %s (a silent server) and %s (nothing)",
						tr.file, s.line, a, addrFake, addrSilent, addrClosed))
					return a
				}
			}
			return real[a]
		})
		fmt.Fprintf(&script, "%s\n__status=$?; printf '\\036\\n'; (exit $__status)\n", cmd) // stepEnd
	}
	if len(problems) > 0 {
		return problems
	}
	env := []string{
		"PATH=" + filepath.Dir(bins["sendgrid-sso"]) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"SENDGRID_API_KEY=" + key, "HOME=" + dir, "TRANSCRIPT_DIR=" + dir, "LC_ALL=C",
	}
	r := clitest.Run(t, "/bin/sh", env, "-c", script.String())
	out := r.Stdout
	for readme, a := range real {
		out = strings.ReplaceAll(out, a, readme)
	}
	outputs := strings.Split(out, stepEnd)
	if len(outputs) != len(tr.steps)+1 {
		return []string{fmt.Sprintf("%s:%d: the transcript's shell ended early (exit %d):\n%s", tr.file, tr.line, r.Code, out)}
	}
	for i, s := range tr.steps {
		got := strings.Split(strings.TrimSuffix(outputs[i], "\n"), "\n")
		if outputs[i] == "" {
			got = nil
		}
		if !matchLines(s.output, got) {
			problems = append(problems, fmt.Sprintf("%s:%d: $ %s\nprints (addresses as in the transcript):\n%s\nbut the transcript shows:\n%s",
				tr.file, s.line, s.command, strings.Join(got, "\n"), strings.Join(s.output, "\n")))
		}
	}
	return problems
}

// checkTranscripts returns the problems of the transcripts of the Markdown file
// (relative to root): blocks that run sendgrid-sso without a marker, and commands
// whose output differs from what their transcript shows.
func checkTranscripts(t *testing.T, root, file string, md []byte) []string {
	t.Helper()
	blocks, problems := transcripts(file, md)
	for _, b := range blocks {
		switch {
		case b.marked && b.unchecked != "":
		case b.marked:
			if len(b.steps) == 0 {
				problems = append(problems, fmt.Sprintf("%s:%d: a transcript without a $ command", file, b.line))
				continue
			}
			problems = append(problems, runTranscript(t, root, b)...)
		case slices.ContainsFunc(b.steps, func(s step) bool { return runsOurs.MatchString(s.command) }):
			problems = append(problems, fmt.Sprintf("%s:%d: a ```console block runs sendgrid-sso without a transcript marker: "+
				"put <!-- transcript --> before it, so that make test checks it against the real commands, "+
				"or <!-- transcript unchecked: REASON -->", file, b.line))
		}
	}
	return problems
}

// TestTranscriptsAreCurrent runs every marked transcript of the top-level *.md files and docs/*.md.
func TestTranscriptsAreCurrent(t *testing.T) {
	files, err := docFiles(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		md, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range checkTranscripts(t, repoRoot, file, md) {
			t.Error(p)
		}
	}
}

// TestTranscriptCheckBites shows that the check refuses a stale output, a block that
// runs sendgrid-sso without a marker, an address it does not know and a stray marker,
// and accepts volatile values and "…".
func TestTranscriptCheckBites(t *testing.T) {
	md := strings.Join([]string{
		"<!-- transcript -->",
		"```console",
		"$ sendgrid-sso --region mars cert 1; echo \"exit $?\"",
		`sendgrid-sso: --region: sendgrid: invalid configuration: unknown region "mars": use "global" or "eu"`,
		"exit 2",
		"$ sendgrid-sso cert 66138975 --json",
		"sendgrid-sso: flag --json comes after CERT_ID: put command flags before it",
		"usage: sendgrid-sso [global flags] cert [--json] [--pem] CERT_ID",
		"Run 'sendgrid-sso cert --help' for more.",
		"$ sendgrid-sso --base-url http://127.0.0.1:8025 login sg2a2bcd3ef4ab5c67d8efab91c01de2fa",
		"http://127.0.0.1:8025/login?code=00000000000000000000000000000000",
		"expires 2026-01-01T00:00:00Z (in 1 minute); valid for one…",
		"$ sendgrid-sso --base-url http://127.0.0.1:8025 cert 66138975",
		"certificate  66138975",
		"…",
		"valid until  2045-01-01T00:00:00Z (expires in 1 days)",
		"…",
		"```",
		"",
		"```console",
		"$ sendgrid-sso version",
		"```",
		"<!-- transcript -->",
		"```console",
		"$ sendgrid-sso --base-url http://127.0.0.1:8080 cert 1",
		"```",
		"<!-- transcript -->",
		"text",
	}, "\n")
	got := checkTranscripts(t, repoRoot, "test.md", []byte(md))
	want := []string{
		"test.md:27: a transcript marker with no ```console block after it",
		"test.md:6: $ sendgrid-sso cert 66138975 --json\nprints",                            // the stale usage line
		"test.md:13: $ sendgrid-sso --base-url http://127.0.0.1:8025 cert 66138975\nprints", // 1 days
		"test.md:20: a ```console block runs sendgrid-sso without a transcript marker",
		"test.md:25: address 127.0.0.1:8080",
	}
	wantProblems(t, got, want)
}
