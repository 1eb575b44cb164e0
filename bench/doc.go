// Package bench holds the benchmark of the client against the official sendgrid-go v3
// SDK. It is its own module so that the library's go.mod never requires the SDK; a
// replace directive points it at the working tree. The client's benchmarks against a
// hand-written net/http baseline live in package wrapper (bench_test.go); `make bench`
// runs both and prints the ratios (BENCHMARKS.md).
package bench
