#!/bin/sh
# sendgrid-sso-textfile.sh: run `sendgrid-sso ... --format prometheus` for
# node_exporter's textfile collector, from cron, when sendgrid-sso-exporter cannot
# run (docs/operations.md, "Fallback: cron and the textfile collector").
#
#   sendgrid-sso-textfile.sh BIN KEY_FILE OUT_FILE ARGS...
#
# BIN       sendgrid-sso, an absolute path (cron's PATH is short, and this script
#           sets its own)
# KEY_FILE  the API key, in a file that only its owner may read or write (mode
#           0600 or 0400); refused otherwise. The key goes to BIN's environment
#           alone, never to a command line or a crontab.
# OUT_FILE  the *.prom file node_exporter reads, in its --collector.textfile.directory
# ARGS      sendgrid-sso's arguments: [global flags] cert ... --format prometheus
#
# The metrics go to a temporary file in OUT_FILE's directory, renamed over OUT_FILE
# (atomic on one file system: node_exporter reads the old file or the new one, never
# half of one) only when sendgrid-sso exits 0, or 4, a failed check, whose metrics
# are complete and say what failed. Any other status (1 an error answer or unusable
# IdP metadata, 2 usage, 3 no answer, 5 output not written) means a partial result:
# OUT_FILE keeps the last good metrics, its mtime ages, and SendGridSSOTextfileStale
# fires on node_textfile_mtime_seconds. The script exits with sendgrid-sso's status;
# what sendgrid-sso says on stderr goes to cron's mail.
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

me=sendgrid-sso-textfile.sh
if [ $# -lt 4 ]; then
	echo "$me: usage: $me BIN KEY_FILE OUT_FILE ARGS... (BIN an absolute path to sendgrid-sso)" >&2
	exit 2
fi
bin=$1 key_file=$2 out=$3
shift 3
case $bin in
/*) ;;
*)
	echo "$me: $bin: give sendgrid-sso as an absolute path (cron's PATH is not this shell's)" >&2
	exit 2
	;;
esac
if [ ! -x "$bin" ]; then
	echo "$me: $bin is not an executable file: give the absolute path of sendgrid-sso" >&2
	exit 2
fi
case $out in
*.prom) ;;
*)
	echo "$me: $out: node_exporter reads *.prom files only: name the output file so" >&2
	exit 2
	;;
esac
if [ ! -f "$key_file" ] || [ ! -r "$key_file" ]; then
	echo "$me: cannot read the API key file $key_file: create it as the user this runs as, mode 0600" >&2
	exit 2
fi
# Read or written by its owner alone, and no ACL (ls marks one with +) that could
# grant more: -rw------- or -r--------, as POSIX ls -l shows it.
case $(ls -lLd -- "$key_file") in
-r[w-]-------[!+]*) ;;
*)
	echo "$me: the API key file $key_file is open to its group or others: chmod 600 $key_file" >&2
	exit 2
	;;
esac

dir=$(dirname "$out")
tmp=$(mktemp "$dir/.$(basename "$out").XXXXXX") || {
	echo "$me: cannot create a temporary file in $dir: the user this runs as needs write access there" >&2
	exit 2
}
trap 'rm -f "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

key=$(cat "$key_file") || exit 2
SENDGRID_API_KEY=$key "$bin" "$@" >"$tmp"
status=$?
case $status in
0 | 4)
	chmod 0644 "$tmp" && mv -f "$tmp" "$out" || {
		echo "$me: could not replace $out" >&2
		exit 5
	}
	;;
*)
	echo "$me: sendgrid-sso exited $status: kept the previous $out" >&2
	;;
esac
exit $status
