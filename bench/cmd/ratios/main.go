// Command ratios reads Go benchmark output whose sub-benchmarks are named impl=<name>
// and prints, per benchmark and metric, the median of each implementation and the
// client's ratio to the others in the same package, with the targets of BENCHMARKS.md: against the
// hand-written baseline, time (wall and CPU) at most 1.10x, bytes at most 1.12x,
// allocations at most the baseline's + 8; against sendgrid-go, below it on all three.
// For BenchmarkConcurrency (names with callers=) it prints a table of calls/s,
// latency and connections, and the scaling targets instead (see printScaling). It
// reports; it never fails on a figure (benchmarks are not tests).
//
//	go run ./cmd/ratios calls.txt
package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// metrics are the figures compared, in print order; benchfmt reads cpu-ns/op as
// cpu-sec/op.
var metrics = []string{"sec/op", "cpu-sec/op", "B/op", "allocs/op"}

// procs is the -GOMAXPROCS suffix of a benchmark name.
var procs = regexp.MustCompile(`-\d+$`)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ratios FILE...")
		os.Exit(2)
	}
	// samples[benchmark][impl][metric] are the values of every run.
	samples := map[string]map[string]map[string][]float64{}
	files := benchfmt.Files{Paths: os.Args[1:]}
	for files.Scan() {
		r, ok := files.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		bench, impl, ok := strings.Cut(procs.ReplaceAllString(r.Name.String(), ""), "/impl=")
		if !ok {
			continue
		}
		// The same benchmark in two packages is two comparisons.
		pkg := r.GetConfig("pkg")
		bench = pkg[strings.LastIndex(pkg, "/")+1:] + "." + bench
		if samples[bench] == nil {
			samples[bench] = map[string]map[string][]float64{}
		}
		if samples[bench][impl] == nil {
			samples[bench][impl] = map[string][]float64{}
		}
		for _, v := range r.Values {
			samples[bench][impl][v.Unit] = append(samples[bench][impl][v.Unit], v.Value)
		}
	}
	if err := files.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	calls := map[string]map[string]map[string][]float64{}
	scaling := map[string]map[string]map[string][]float64{}
	for bench, s := range samples {
		if strings.Contains(bench, "/callers=") {
			scaling[bench] = s
		} else {
			calls[bench] = s
		}
	}
	if len(calls) > 0 {
		printCalls(calls)
	}
	if len(scaling) > 0 {
		printScaling(scaling)
	}
}

// printCalls prints the client's ratios per call against the targets of goal.
func printCalls(samples map[string]map[string]map[string][]float64) {
	fmt.Printf("%-30s %-12s %-10s %14s %14s %8s  %-10s %s\n", "benchmark", "vs", "metric", "other", "client", "ratio", "target", "")
	for _, bench := range sortedKeys(samples) {
		client := samples[bench]["client"]
		for _, other := range sortedKeys(samples[bench]) {
			if other == "client" || client == nil {
				continue
			}
			for _, m := range metrics {
				o, c := median(samples[bench][other][m]), median(client[m])
				if o == 0 || c == 0 {
					continue
				}
				target, met := goal(other, m, o, c)
				mark := "met"
				if !met {
					mark = "MISSED"
				}
				n := min(len(samples[bench][other][m]), len(client[m]))
				fmt.Printf("%-30s %-12s %-10s %14s %14s %7.3fx  %-10s %s (n=%d)\n", bench, other, m, format(o, m), format(c, m), c/o, target, mark, n)
			}
		}
	}
}

// callerCounts are the caller counts of BenchmarkConcurrency, in print order.
var callerCounts = []string{"1", "8", "64", "256"}

// printScaling prints, for BenchmarkConcurrency, every implementation's median
// calls/s, p50 and p99 latency and connections opened per protocol and caller count;
// then each one's throughput at 256 callers against 8 (target: at least 0.80, no
// collapse), in calls/s and in CPU per call (at most 1.25x: calls per CPU-second at
// least 0.80), and the client's calls/s and CPU per call against the baseline's
// (target: level, calls/s at least 0.90x and CPU at most 1.10x).
func printScaling(samples map[string]map[string]map[string][]float64) {
	// byProto[proto][callers] is samples[bench] for that benchmark.
	byProto := map[string]map[string]map[string]map[string][]float64{}
	for bench, s := range samples {
		proto, callers := nameValue(bench, "proto"), nameValue(bench, "callers")
		if byProto[proto] == nil {
			byProto[proto] = map[string]map[string]map[string][]float64{}
		}
		byProto[proto][callers] = s
	}
	fmt.Printf("\n%-6s %-12s %-8s %10s %10s %10s %8s %10s %5s\n", "proto", "impl", "callers", "calls/s", "p50", "p99", "conns", "cpu/call", "n")
	for _, proto := range sortedKeys(byProto) {
		for _, impl := range sortedKeys(byProto[proto]["8"]) {
			for _, callers := range callerCounts {
				m := byProto[proto][callers][impl]
				if m == nil {
					continue
				}
				fmt.Printf("%-6s %-12s %-8s %10.0f %9.2fms %9.2fms %8.0f %9.1fµs %5d\n", proto, impl, callers,
					median(m["calls/s"]), median(m["p50-sec"])*1e3, median(m["p99-sec"])*1e3, median(m["conns"]),
					median(m["cpu-sec/op"])*1e6, len(m["calls/s"]))
			}
		}
	}
	fmt.Printf("\n%-6s %-12s %-40s %8s  %-10s\n", "proto", "impl", "figure", "ratio", "target")
	for _, proto := range sortedKeys(byProto) {
		for _, impl := range sortedKeys(byProto[proto]["8"]) {
			at8, at256 := median(byProto[proto]["8"][impl]["calls/s"]), median(byProto[proto]["256"][impl]["calls/s"])
			if at8 == 0 || at256 == 0 {
				continue
			}
			printTarget(proto, impl, "calls/s at 256 callers / at 8", at256/at8, ">= 0.80", at256/at8 >= 0.80)
			// The same goal in CPU: calls per CPU-second at 256 at least 80% of those at 8.
			// On a shared machine calls/s also measures the CPU others leave; this does not.
			cpu8, cpu256 := median(byProto[proto]["8"][impl]["cpu-sec/op"]), median(byProto[proto]["256"][impl]["cpu-sec/op"])
			if cpu8 > 0 && cpu256 > 0 {
				printTarget(proto, impl, "CPU per call at 256 callers / at 8", cpu256/cpu8, "<= 1.25", cpu256/cpu8 <= 1.25)
			}
		}
		for _, callers := range callerCounts {
			bl, cl := byProto[proto][callers]["baseline"], byProto[proto][callers]["client"]
			if bl == nil || cl == nil {
				continue
			}
			r := median(cl["calls/s"]) / median(bl["calls/s"])
			printTarget(proto, "client", "calls/s / baseline's, "+callers+" callers", r, ">= 0.90x", r >= 0.90)
			r = median(cl["cpu-sec/op"]) / median(bl["cpu-sec/op"])
			printTarget(proto, "client", "CPU per call / baseline's, "+callers+" callers", r, "<= 1.10x", r <= 1.10)
		}
	}
}

func printTarget(proto, impl, figure string, ratio float64, target string, met bool) {
	mark := "met"
	if !met {
		mark = "MISSED"
	}
	fmt.Printf("%-6s %-12s %-40s %7.3fx  %-10s %s\n", proto, impl, figure, ratio, target, mark)
}

// nameValue returns the value of key=value in a benchmark name.
func nameValue(bench, key string) string {
	for _, part := range strings.Split(bench, "/") {
		if v, ok := strings.CutPrefix(part, key+"="); ok {
			return v
		}
	}
	return ""
}

// goal returns the target for the client's median c against other's median o.
func goal(other, metric string, o, c float64) (string, bool) {
	if other != "baseline" {
		return "< 1x", c < o
	}
	switch metric {
	case "sec/op", "cpu-sec/op":
		return "<= 1.10x", c <= 1.10*o
	case "B/op":
		return "<= 1.12x", c <= 1.12*o
	default:
		return fmt.Sprintf("<= %+.0f", 8.0), c <= o+8
	}
}

func format(v float64, metric string) string {
	if strings.HasSuffix(metric, "sec/op") {
		return fmt.Sprintf("%.1fµs", v*1e6)
	}
	return fmt.Sprintf("%.0f", v)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
