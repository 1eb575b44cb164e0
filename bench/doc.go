// Package bench holds the benchmarks of the client: against the code a careful
// engineer writes by hand with net/http and encoding/json (the floor), and against
// the official sendgrid-go v3 SDK (the peer), side by side on one loopback server;
// plus the cost of New and the connection count of 300 sequential calls.
//
// It is its own module so that the library's go.mod never requires the SDK; a
// replace directive points it at the working tree. `make bench` runs the benchmarks
// interleaved and prints the ratios (BENCHMARKS.md); `make bench-smoke` runs each once.
package bench
