#!/usr/bin/env bash
# Runs the benchmarks of bench/ for `make bench`: BENCH_COUNT rounds; in each, every
# implementation (baseline, client, sendgrid-go) runs BENCH_TIME per operation in a
# process of its own, in an order that rotates from round to round, so that neither
# the order nor a slow spell of a shared machine favours one. Then benchstat, the
# cost of New and the connection count, and the client's ratios.
# Environment: BENCH_COUNT (10), BENCH_TIME (1s), BENCH_OUT (a new temporary folder).
set -euo pipefail
cd "$(dirname "$0")"
count=${BENCH_COUNT:-10}
benchtime=${BENCH_TIME:-1s}
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
go test -c -o "$out/bench.test" .
rm -f "$out/calls.txt" "$out/once.txt"
{ date -u +"date: %Y-%m-%dT%H:%M:%SZ"; echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; } > "$out/machine.txt"
orders=("baseline client sendgrid-go" "client sendgrid-go baseline" "sendgrid-go baseline client")
for ((i = 0; i < count; i++)); do
	order=${orders[i % 3]}
	echo "round $((i + 1)) of $count: $order"
	for impl in $order; do
		"$out/bench.test" -test.run '^$' -test.bench "(GetSSOCertificate|AuthenticateAccount)/^impl=$impl\$" \
			-test.benchtime "$benchtime" >> "$out/calls.txt"
	done
done
"$out/bench.test" -test.run '^$' -test.bench 'New|Connections' -test.count 5 > "$out/once.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$out/machine.txt"
go tool benchstat -col '/impl@(baseline client sendgrid-go)' "$out/calls.txt"
go tool benchstat "$out/once.txt"
go run ./cmd/ratios "$out/calls.txt"
echo "raw results in $out"
