#!/usr/bin/env bash
# deploy/systemd/sendgrid-sso-exporter.service through systemd-analyze verify (make
# test-deploy). verify wants ExecStart's binary to exist, so it checks a copy whose
# ExecStart names a stand-in executable in a temporary directory. It reports an
# unknown or misspelled directive as a warning with exit status 0, so any output
# fails the check too. Then a self-test: a misspelled directive, and a missing
# binary, must each fail it.
#
# Without systemd-analyze (macOS, a container without systemd) this fails: the
# target exists to run this check, and make test does not depend on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
unit=deploy/systemd/sendgrid-sso-exporter.service
if ! command -v systemd-analyze >/dev/null; then
	echo "test-deploy: systemd-analyze is not on PATH, so $unit cannot be verified: install systemd (Debian and Ubuntu: apt-get install systemd) or run this on a Linux machine with systemd" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#!/bin/sh\nexit 0\n' > "$tmp/sendgrid-sso-exporter"
chmod 0755 "$tmp/sendgrid-sso-exporter"

# verify UNIT_TEXT_FILE: systemd-analyze verify on it, named as the unit; prints what
# it said and fails on an error status or on any output.
verify() {
	mkdir -p "$tmp/unit"
	cp "$1" "$tmp/unit/sendgrid-sso-exporter.service"
	local out
	if ! out=$(systemd-analyze verify "$tmp/unit/sendgrid-sso-exporter.service" 2>&1) || [ -n "$out" ]; then
		echo "$out"
		return 1
	fi
}

grep -q '^ExecStart=/usr/local/bin/sendgrid-sso-exporter ' "$unit" || {
	echo "test-deploy: $unit has no ExecStart=/usr/local/bin/sendgrid-sso-exporter line to point at the stand-in" >&2
	exit 1
}
sed "s|^ExecStart=/usr/local/bin/sendgrid-sso-exporter |ExecStart=$tmp/sendgrid-sso-exporter |" "$unit" > "$tmp/good"
if ! verify "$tmp/good"; then
	echo "test-deploy: systemd-analyze verify refuses $unit (above)" >&2
	exit 1
fi
echo "test-deploy: systemd-analyze verify accepts $unit"

sed 's/^ProtectSystem=/ProtectSytem=/' "$tmp/good" > "$tmp/typo"
sed "s|^ExecStart=$tmp/sendgrid-sso-exporter |ExecStart=$tmp/missing |" "$tmp/good" > "$tmp/missing"
for bad in typo missing; do
	if cmp -s "$tmp/good" "$tmp/$bad" || verify "$tmp/$bad" >/dev/null; then
		echo "test-deploy self-test: the check accepts the unit with the $bad change" >&2
		exit 1
	fi
done
echo "test-deploy self-test: the check refuses a misspelled directive and a missing binary"
