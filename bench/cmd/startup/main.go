// Command startup holds the command-line tool against curl on the same loopback
// fake: it starts sendgrid-sso-fake, then runs `sendgrid-sso cert` and a curl GET of
// the same certificate, and `sendgrid-sso login` and a curl POST of the same login
// (not following the 303), interleaved, in an order that alternates from round to
// round. For each it prints the median wall time and CPU time (user + system, from
// the child's rusage) and the tool's ratios to curl: the ratio of the medians and the
// median of each round's ratio. It also prints the tool's binary size and its package
// initialisation (GODEBUG=inittrace=1: clock time and allocations, median of 20
// runs). With -before it measures a second build of the tool the same way, in the
// same rounds. It reports; it never fails on a figure. bench/startup.sh runs it
// (`make bench-startup`).
//
//	startup -tool bin/sendgrid-sso -fake bin/sendgrid-sso-fake [-before old/sendgrid-sso] [-rounds 100]
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fake's key and IDs (wrapper/ssotest's defaults, which it prints).
const (
	fakeKey     = "SG.ssotest-fake-api-key"
	certID      = "66138975"
	accountID   = "sg2a2bcd3ef4ab5c67d8efab91c01de2fa"
	initRuns    = 20
	fakeTimeout = 30 * time.Second
)

func main() {
	tool := flag.String("tool", "", "the sendgrid-sso binary to measure")
	before := flag.String("before", "", "another build of sendgrid-sso to measure beside it (optional)")
	fake := flag.String("fake", "", "the sendgrid-sso-fake binary")
	rounds := flag.Int("rounds", 100, "interleaved rounds")
	flag.Parse()
	if *tool == "" || *fake == "" || *rounds < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*tool, *before, *fake, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

// sample is one run of a command.
type sample struct{ wall, cpu time.Duration }

// command is one command line measured; samples are its runs, one per round.
type command struct {
	name    string
	argv    []string
	samples []sample
}

func run(tool, before, fakeBin string, rounds int) error {
	curl, err := exec.LookPath("curl")
	if err != nil {
		return errors.New("curl is not installed: this benchmark installs nothing (apt-get install curl)")
	}
	base, stop, err := startFake(fakeBin)
	if err != nil {
		return err
	}
	defer stop()

	builds := []string{tool}
	if before != "" {
		builds = append(builds, before)
	}
	fmt.Printf("load before: %s\n", loadavg())
	for _, b := range builds {
		size, err := fileSize(b)
		if err != nil {
			return err
		}
		clock, allocs, err := initCost(b)
		if err != nil {
			return err
		}
		fmt.Printf("%s: %.1f MB, package init %.2f ms and %d allocations (median of %d runs)\n",
			b, float64(size)/1e6, clock, allocs, initRuns)
	}

	auth := "Authorization: Bearer " + fakeKey
	certURL := base + "/v3/sso/certificates/" + certID
	loginURL := base + "/v3/partners/accounts/" + accountID + "/sso"
	cert := []*command{{name: "curl GET", argv: []string{curl, "-sS", "-o", "/dev/null", "-H", auth, certURL}}}
	login := []*command{{name: "curl POST", argv: []string{curl, "-sS", "-o", "/dev/null", "-X", "POST", "-H", auth, loginURL}}}
	for _, b := range builds {
		cert = append(cert, &command{name: label(b, tool) + " cert", argv: []string{b, "--base-url", base, "cert", certID}})
		login = append(login, &command{name: label(b, tool) + " login", argv: []string{b, "--base-url", base, "login", accountID}})
	}
	env := append(os.Environ(), "SENDGRID_API_KEY="+fakeKey)
	for _, cmds := range [][]*command{cert, login} {
		for _, c := range cmds { // once, unmeasured: page cache and the fake warm
			if _, err := runOnce(c.argv, env); err != nil {
				return err
			}
		}
	}
	for i := range rounds {
		for _, cmds := range [][]*command{cert, login} {
			for k := range cmds {
				c := cmds[(i+k)%len(cmds)] // the order rotates from round to round
				s, err := runOnce(c.argv, env)
				if err != nil {
					return err
				}
				c.samples = append(c.samples, s)
			}
		}
	}
	fmt.Printf("load after: %s\n\n", loadavg())
	fmt.Printf("%-22s %10s %10s %12s %12s %12s %12s\n", "command", "wall", "cpu", "wall/curl", "cpu/curl", "paired wall", "paired cpu")
	for _, cmds := range [][]*command{cert, login} {
		ref := cmds[0]
		for _, c := range cmds {
			w, cp := median(c.samples, wallOf), median(c.samples, cpuOf)
			fmt.Printf("%-22s %8.2fms %8.2fms %11.2fx %11.2fx %11.2fx %11.2fx\n", c.name,
				ms(w), ms(cp), float64(w)/float64(median(ref.samples, wallOf)), float64(cp)/float64(median(ref.samples, cpuOf)),
				pairedRatio(c.samples, ref.samples, wallOf), pairedRatio(c.samples, ref.samples, cpuOf))
		}
	}
	fmt.Printf("\n%d rounds; medians; \"paired\" is the median of each round's ratio. Goal: cert and login at or below 1x curl's wall time.\n", rounds)
	return nil
}

// label names a build in the table.
func label(b, tool string) string {
	if b == tool {
		return "sendgrid-sso"
	}
	return "before"
}

// startFake starts the fake on a free loopback port and returns its URL and how to
// stop it.
func startFake(bin string) (string, func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--addr", "127.0.0.1:0")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return "", nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		cancel()
		return "", nil, err
	}
	stop := func() { cancel(); _ = cmd.Wait() }
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "URL"); ok {
				found <- strings.TrimSpace(u)
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case u, ok := <-found:
		if ok {
			return u, stop, nil
		}
	case <-time.After(fakeTimeout):
	}
	stop()
	return "", nil, fmt.Errorf("%s did not announce its URL", bin)
}

// runOnce runs argv with env, its output read from a pipe and discarded (login
// refuses a stdout of /dev/null, where the login URL would be lost), and returns its
// wall and CPU time.
func runOnce(argv, env []string) (sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, stderr.Bytes())
	}
	return sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// initLine is one line of GODEBUG=inittrace=1.
var initLine = regexp.MustCompile(`^init \S+ @[0-9.]+ ms, ([0-9.]+) ms clock, \d+ bytes, (\d+) allocs`)

// initCost returns the median, over initRuns runs of `bin --help`, of the total
// package initialisation clock time (ms) and allocations.
func initCost(bin string) (float64, int, error) {
	var clocks []float64
	var allocs []int
	for range initRuns {
		cmd := exec.Command(bin, "--help")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("%s --help: %w", bin, err)
		}
		var clock float64
		var n int
		for _, line := range strings.Split(stderr.String(), "\n") {
			if m := initLine.FindStringSubmatch(line); m != nil {
				c, _ := strconv.ParseFloat(m[1], 64)
				a, _ := strconv.Atoi(m[2])
				clock += c
				n += a
			}
		}
		clocks = append(clocks, clock)
		allocs = append(allocs, n)
	}
	slices.Sort(clocks)
	slices.Sort(allocs)
	return clocks[len(clocks)/2], allocs[len(allocs)/2], nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func wallOf(s sample) time.Duration { return s.wall }
func cpuOf(s sample) time.Duration  { return s.cpu }

func median(samples []sample, of func(sample) time.Duration) time.Duration {
	xs := make([]time.Duration, len(samples))
	for i, s := range samples {
		xs[i] = of(s)
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// pairedRatio is the median over rounds of a's figure over b's in the same round.
func pairedRatio(a, b []sample, of func(sample) time.Duration) float64 {
	rs := make([]float64, len(a))
	for i := range a {
		rs[i] = float64(of(a[i])) / float64(max(of(b[i]), 1))
	}
	slices.Sort(rs)
	return rs[len(rs)/2]
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// loadavg is the first three fields of /proc/loadavg, or "unknown".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
