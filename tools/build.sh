#!/usr/bin/env bash
# build.sh MODFILE: compile the tools a tools module pins (MODFILE is its go.mod) into
# Go's build cache, so that `go tool -modfile=MODFILE NAME` afterwards only links.
# On a fresh machine this downloads the modules and compiles hundreds of packages:
# instead of minutes of silence it reports every 50 packages. With the cache warm it
# prints nothing and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# The executables go to a temporary directory: go build writes a single tool's
# executable into the current directory, and go tool links its own.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"${GO:-go}" build -modfile="$1" -v -o "$out/" tool 2>&1 | awk '
	/^go: downloading / { if (!d++) { print "  downloading modules"; fflush() } next }
	/^[^ :#]+$/ { if (++n % 50 == 0) { printf "  %d packages compiled\n", n; fflush() } next }
	{ print; fflush() }
	END { if (n % 50) printf "  %d packages compiled\n", n }'
