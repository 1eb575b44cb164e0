#!/usr/bin/env bash
# Breaking changes in api/openapi.yaml, found by oasdiff (pinned in tools/oasdiff/go.mod).
#
#   breaking.sh [BASE]   compare api/openapi.yaml at git revision BASE (default: the
#                        last tag, else HEAD~1) with the working copy; exit 1 on a
#                        breaking change
#   breaking.sh --self-test
#                        show that the check bites: the working copy against itself
#                        with the 303 of AuthenticateAccount removed must fail
#
# levels.txt raises response-non-success-status-removed to an error: oasdiff files
# a 3xx under "non-success", and by default reports its removal only as info.
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=api/openapi.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

oasdiff() {
	go tool -modfile=tools/oasdiff/go.mod oasdiff breaking --fail-on ERR --color never \
		--allow-external-refs=false --severity-levels tools/oasdiff/levels.txt "$@"
}

if [ "${1:-}" = "--self-test" ]; then
	# Drop the lines from the 303 response key up to the next response key.
	awk '/^        "303":/ {skip=1; next} skip && /^        "[0-9][0-9][0-9]":/ {skip=0} !skip' \
		"$spec" > "$tmp/no-303.yaml"
	if cmp -s "$spec" "$tmp/no-303.yaml"; then
		echo "breaking self-test: found no 303 response to remove in $spec" >&2
		exit 1
	fi
	if out=$(oasdiff "$spec" "$tmp/no-303.yaml" 2>&1); then
		echo "$out"
		echo "breaking self-test: removing the 303 was not reported as breaking" >&2
		exit 1
	fi
	if ! grep -q 'response-non-success-status-removed' <<<"$out"; then
		echo "$out"
		echo "breaking self-test: oasdiff failed, but not on the removed 303" >&2
		exit 1
	fi
	echo "breaking self-test: a removed 303 is reported as breaking"
	exit 0
fi

base=${1:-}
if [ -z "$base" ]; then
	base=$(git describe --tags --abbrev=0 2>/dev/null || echo HEAD~1)
fi
if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
	echo "breaking: no revision $base (the first commit, or a shallow clone): nothing to compare with"
	exit 0
fi
if ! git show "$base:$spec" > "$tmp/base.yaml" 2>/dev/null; then
	echo "breaking: $spec does not exist at $base: nothing to compare with"
	exit 0
fi
echo "breaking: $spec at $base -> working copy"
oasdiff "$tmp/base.yaml" "$spec"
