// Package bench holds the benchmarks of the client: against the code a careful
// engineer writes by hand with net/http and encoding/json (the floor), and against
// the official sendgrid-go v3 SDK (the peer), side by side on one loopback server;
// plus the cost of New, the connection count of 300 sequential calls, and
// BenchmarkConcurrency: 1 to 256 callers at once over TLS, HTTP/1.1 and HTTP/2.
//
// It is its own module so that the library's go.mod never requires the SDK; a
// replace directive points it at the working tree. `make bench` and `make
// bench-concurrency` run the benchmarks interleaved and print the ratios
// (BENCHMARKS.md); `make bench-smoke` runs each once. cmd/startup holds the
// command-line tool against curl (`make bench-startup`).
package bench
