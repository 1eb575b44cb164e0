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

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
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
	t.Parallel()
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
	t.Parallel()
	master, slave := openPTY(t)
	fake := clitest.NewFake(t)
	browser := browserScript(t, t.TempDir(), "w3m", textMode)
	r := ssoTo(t, slave, clitest.KeyEnv(fake.APIKey, envBrowser+"="+browser), "--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID)
	r.WantExit(t, ExitOK)
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
	if strings.Contains(r.Stderr, "code=") {
		t.Errorf("the browser's stderr reached stderr unredacted:\n%s", r.Stderr)
	}
	r.WantStderr(t, "w3m: cannot open ")
}

// TestPrometheusOnATerminal: --format prometheus writes label values exactly to a file
// or a pipe, but on a terminal what it would act on (an ESC from the API's integration
// ID) is still escaped.
func TestPrometheusOnATerminal(t *testing.T) {
	t.Parallel()
	master, slave := openPTY(t)
	hostile := ssotest.DefaultCertificate()
	hostile.ID, hostile.IntegrationID = 7, "i-\x1b]0;pwned\x07"
	fake := clitest.NewFake(t, ssotest.WithCertificate(hostile))
	ssoTo(t, slave, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "cert", "--format", "prometheus", "7").WantExit(t, ExitOK)
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
