#!/usr/bin/env bash
# Runs bench/cmd/startup for `make bench-startup`: builds sendgrid-sso and
# sendgrid-sso-fake from the working tree, then runs `sendgrid-sso cert` / `login`
# and curl interleaved against the fake on loopback (BENCHMARKS.md, "Startup").
# Needs curl and installs nothing: without it, it says so and stops.
# Environment: STARTUP_ROUNDS (100); STARTUP_BEFORE, a git revision whose
# sendgrid-sso is measured beside the working tree's in the same rounds (optional).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v curl > /dev/null; then
	echo "bench-startup needs curl, which is not installed; it installs nothing (apt-get install curl)" >&2
	exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/" ./cmd/sendgrid-sso ./cmd/sendgrid-sso-fake
before=()
if [ -n "${STARTUP_BEFORE:-}" ]; then
	mkdir "$out/before-src" "$out/before"
	git archive "$STARTUP_BEFORE" | tar -x -C "$out/before-src"
	(cd "$out/before-src" && go build -o "$out/before/" ./cmd/sendgrid-sso)
	before=(-before "$out/before/sendgrid-sso")
fi
cd bench
go run ./cmd/startup -tool "$out/sendgrid-sso" -fake "$out/sendgrid-sso-fake" "${before[@]}" -rounds "${STARTUP_ROUNDS:-100}"
