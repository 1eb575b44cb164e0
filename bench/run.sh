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
#   BENCH_BEFORE a git revision whose client runs beside the others in every round
#               (calls set only), as impl=before: before and after in the same rounds
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
impls=(baseline client sendgrid-go)
if [ -n "${BENCH_BEFORE:-}" ] && [ "$set_" = calls ]; then
	rm -rf "$out/before-src"
	mkdir "$out/before-src"
	git -C .. archive "$BENCH_BEFORE" | tar -x -C "$out/before-src"
	(cd "$out/before-src/bench" && go test -c -o "$out/before.test" .)
	impls=(baseline before client sendgrid-go)
fi
rm -f "$out/$set_.txt"
{ date -u +"date: %Y-%m-%dT%H:%M:%SZ"; echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; } > "$out/machine-$set_.txt"
n=${#impls[@]}
for ((i = 0; i < count; i++)); do
	order=("${impls[@]:i % n}" "${impls[@]:0:i % n}") # rotated by one each round
	echo "round $((i + 1)) of $count: ${order[*]}"
	for impl in "${order[@]}"; do
		if [ "$impl" = before ]; then
			# shellcheck disable=SC2059 # the pattern is the format
			"$out/before.test" -test.run '^$' -test.bench "$(printf "$pattern" client)" \
				-test.benchtime "$benchtime" | sed 's|/impl=client|/impl=before|' >> "$out/$set_.txt"
			continue
		fi
		# shellcheck disable=SC2059 # the pattern is the format
		"$out/bench.test" -test.run '^$' -test.bench "$(printf "$pattern" "$impl")" \
			-test.benchtime "$benchtime" >> "$out/$set_.txt"
	done
done
if [ "$set_" = calls ]; then
	"$out/bench.test" -test.run '^$' -test.bench 'New|Connections' -test.count 5 > "$out/once.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$out/machine-$set_.txt"
go tool benchstat -col "/impl@(${impls[*]})" "$out/$set_.txt"
if [ "$set_" = calls ]; then
	go tool benchstat "$out/once.txt"
fi
go run ./cmd/ratios "$out/$set_.txt"
echo "raw results in $out"
