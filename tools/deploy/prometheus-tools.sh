#!/usr/bin/env bash
# Makes sure promtool and prometheus are on PATH (make prometheus-tools): when one is
# missing and this runs as root on a machine with apt-get, it installs Debian's
# prometheus package (promtool and the server); otherwise it says what to install.
#
# The package's maintainer scripts start the server as a service (init.d, or systemd
# where systemd runs), listening on :9090. Nothing here wants that server: the tests
# start their own, on a port of their own. So the install runs with a policy-rc.d
# that refuses every service start (unless the machine has one already, as Docker
# images do), and the script then says whether anything listens on :9090.
set -euo pipefail

have() { command -v promtool >/dev/null && command -v prometheus >/dev/null; }

if have; then
	echo "prometheus-tools: $(promtool --version 2>&1 | head -1)"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
	echo "prometheus-tools: promtool and prometheus are not both on PATH; install Prometheus 2.42 or later (Debian and Ubuntu: apt-get install prometheus; elsewhere: https://prometheus.io/download/), then rerun" >&2
	exit 1
fi
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# refuse service starts while make prometheus-tools installs prometheus\nexit 101\n' > "$policy"
	chmod 0755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus
if ! have; then
	echo "prometheus-tools: apt-get installed prometheus, yet promtool or prometheus is still not on PATH" >&2
	exit 1
fi
echo "prometheus-tools: installed $(promtool --version 2>&1 | head -1)"
if command -v ss >/dev/null && ss -Hltn 'sport = :9090' | grep -q .; then
	echo "prometheus-tools: warning: something listens on :9090 (the packaged service?); the tests do not use that port, but stop it if it is not yours: systemctl disable --now prometheus" >&2
fi
