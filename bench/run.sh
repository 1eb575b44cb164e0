#!/usr/bin/env bash
# Runs the benchmarks of bench/ for `make bench` and `make bench-concurrency`:
# BENCH_COUNT rounds; in each, every implementation (baseline, client, sendgrid-go)
# runs in a process of its own, in an order that rotates from round to round, so
# that neither the order nor a slow spell of a shared machine favours one. Then
# benchstat and the client's ratios (cmd/ratios).
# Environment:
#   BENCH_SET   calls (default): one call at a time, BENCH_TIME per implementation
#               and operation, then the cost of New and the connection count;
#               concurrency: BenchmarkConcurrency, BENCH_TIME calls per caller count
#               and protocol (a count, e.g. 4000x)
#   BENCH_COUNT rounds (10)
#   BENCH_TIME  -benchtime (1s for calls, 4000x for concurrency)
#   BENCH_OUT   where the raw results go (a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")"
set_=${BENCH_SET:-calls}
count=${BENCH_COUNT:-10}
out=${BENCH_OUT:-$(mktemp -d)}
case $set_ in
calls) pattern='(GetSSOCertificate|AuthenticateAccount)/^impl=%s$'; benchtime=${BENCH_TIME:-1s} ;;
concurrency) pattern='Concurrency/.*/.*/^impl=%s$'; benchtime=${BENCH_TIME:-4000x} ;;
*) echo "BENCH_SET must be calls or concurrency, not $set_" >&2; exit 2 ;;
esac
mkdir -p "$out"
go test -c -o "$out/bench.test" .
rm -f "$out/$set_.txt"
{ date -u +"date: %Y-%m-%dT%H:%M:%SZ"; echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; } > "$out/machine-$set_.txt"
orders=("baseline client sendgrid-go" "client sendgrid-go baseline" "sendgrid-go baseline client")
for ((i = 0; i < count; i++)); do
	order=${orders[i % 3]}
	echo "round $((i + 1)) of $count: $order"
	for impl in $order; do
		# shellcheck disable=SC2059 # the pattern is the format
		"$out/bench.test" -test.run '^$' -test.bench "$(printf "$pattern" "$impl")" \
			-test.benchtime "$benchtime" >> "$out/$set_.txt"
	done
done
if [ "$set_" = calls ]; then
	"$out/bench.test" -test.run '^$' -test.bench 'New|Connections' -test.count 5 > "$out/once.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$out/machine-$set_.txt"
go tool benchstat -col '/impl@(baseline client sendgrid-go)' "$out/$set_.txt"
if [ "$set_" = calls ]; then
	go tool benchstat "$out/once.txt"
fi
go run ./cmd/ratios "$out/$set_.txt"
echo "raw results in $out"
