package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// openPTY opens a pseudo-terminal and returns its two ends, closed when the test
// ends: what a program writes to slave, as to a terminal, is read from master.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), req, uintptr(arg)); errno != 0 {
			t.Fatalf("ioctl %#x on /dev/ptmx: %v", req, errno)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

func TestIsTerminal(t *testing.T) {
	_, slave := openPTY(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, tc := range map[string]struct {
		w    any
		want bool
	}{
		"a pseudo-terminal": {slave, true},
		"a pipe":            {w, false},
		"a file":            {file, false},
		"/dev/null":         {devNull(t), false},
		"a buffer":          {&strings.Builder{}, false},
	} {
		if got := isTerminal(tc.w.(interface{ Write([]byte) (int, error) })); got != tc.want {
			t.Errorf("isTerminal(%s) = %v, want %v", name, got, tc.want)
		}
	}
}

// TestOpenerGetsTheTerminal: with stdout on a terminal, the browser command's stdout is
// that terminal, so that a text-mode browser (w3m, lynx) can run in it; its output
// used to pass through the redacting writer, a pipe, whatever login --help said. Its
// stderr, not a terminal here, still passes the redaction.
func TestOpenerGetsTheTerminal(t *testing.T) {
	master, slave := openPTY(t)
	fake := newFake(t)
	dir := t.TempDir()
	browser := browserScript(t, dir, "w3m", `if [ -t 1 ]; then echo "w3m on the terminal"; else echo notty > "$0.notty"; fi; echo "w3m: cannot open $1" >&2`, "0")
	t.Setenv(envBrowser, browser)
	var stderr strings.Builder
	code := Run(t.Context(), []string{"--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID}, slave, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(browser + ".notty"); err == nil {
		t.Error("the browser's stdout was not a terminal")
	}
	// The browser has exited: what it wrote is on the terminal, before this end mark.
	if _, err := slave.WriteString("END\n"); err != nil {
		t.Fatal(err)
	}
	// A guard against hanging the suite should the mark never come, not a speed check.
	_ = master.SetReadDeadline(time.Now().Add(time.Minute))
	var shown []string
	for sc := bufio.NewScanner(master); sc.Scan() && sc.Text() != "END"; { // ScanLines drops the terminal's \r
		shown = append(shown, sc.Text())
	}
	if len(shown) != 1 || shown[0] != "w3m on the terminal" {
		t.Errorf("the terminal shows %q, want the browser's line alone", shown)
	}
	if strings.Contains(stderr.String(), "code=") {
		t.Errorf("the browser's stderr reached stderr unredacted:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "w3m: cannot open ") {
		t.Errorf("the browser's stderr is missing from stderr:\n%s", stderr.String())
	}
}

// TestPrometheusOnATerminal: --format prometheus writes label values exactly to a file
// or a pipe, but on a terminal what it would act on (an ESC from the API's integration
// ID) is still escaped.
func TestPrometheusOnATerminal(t *testing.T) {
	master, slave := openPTY(t)
	hostile := ssotest.DefaultCertificate()
	hostile.ID, hostile.IntegrationID = 7, "i-\x1b]0;pwned\x07"
	fake := newFake(t, ssotest.WithCertificate(hostile))
	var stderr strings.Builder
	if code := Run(t.Context(), []string{"--base-url", fake.URL, "cert", "--format", "prometheus", "7"}, slave, &stderr); code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	if _, err := slave.WriteString("END\n"); err != nil {
		t.Fatal(err)
	}
	_ = master.SetReadDeadline(time.Now().Add(time.Minute)) // a guard against hanging, not a speed check
	var shown strings.Builder
	for sc := bufio.NewScanner(master); sc.Scan() && sc.Text() != "END"; {
		shown.WriteString(sc.Text() + "\n")
	}
	if strings.ContainsAny(shown.String(), "\x1b\x07") || !strings.Contains(shown.String(), `integration_id="i-\x1b]0;pwned\x07"`) {
		t.Errorf("the terminal shows\n%q\nwant the integration ID escaped", shown.String())
	}
}
