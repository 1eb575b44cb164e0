#!/usr/bin/env bash
# The alert rules of deploy/prometheus (make test-alerts): promtool check rules, then
# promtool test rules with sendgrid-sso-alerts_test.yml, then a self-test showing
# that those tests bite: each mutation below changes one threshold or operator of a
# copy of the rules, and the tests must fail on that copy.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=deploy/prometheus
rules=sendgrid-sso-alerts.yml
tests=sendgrid-sso-alerts_test.yml

promtool check rules "$dir/$rules"
promtool test rules "$dir/$tests"

# One sed expression a line: the change, and what it would break.
mutations=(
	'/certificate_not_after_timestamp_seconds - time() < 30/s/30 \*/40 */'  # warning at 40 days instead of 30
	'/certificate_not_after_timestamp_seconds - time() < 7/s/7 \*/8 */'     # critical at 8 days instead of 7
	's/>= 7 \* 86400/> 7 * 86400/'                     # a certificate with 7 days left is in neither rule
	's/not_after_timestamp_seconds >= 0/not_after_timestamp_seconds > 0/' # at its last second, in no rule
	's/max by (integration_id)/min by (integration_id)/' # a dropped old certificate pages
	'/unless on(job, instance, cert_id)/,+1d'          # an expired or dropped certificate pages twice
	'/check_success == 0/s/== 0/== 1/'                  # an unreadable certificate is silent
	's/rollover_pending > 0/rollover_pending > 1/'      # one pending certificate is silent
	'/by (entity_id)/s/30 \*/40 */'                     # IdP certificate warning at 40 days
	's/max by (entity_id)/min by (entity_id)/'          # an IdP's old certificate pages mid-rollover
	's/< 30 \* 60/< 15 * 60/'                          # one failed refresh pages
	's/_seconds > 0) < 30/_seconds) < 30/'              # a success gauge at 0 (none yet) hides the failures
	's/> 3 \* 15 \* 60/> 4 * 15 * 60/'                 # stale after an hour instead of 45 minutes
	's/_seconds > 0) > 3/_seconds) > 3/'                # a starting exporter (success gauge 0) is stale
	's/\[5m\]) == 0/[1m]) == 0/'                       # a restart pages
	's/(up\[5m\])/(up{job="sendgrid-sso"}[5m])/'        # a pod scraped by kubernetes-pods is never stale
	's/ and on(job, instance) max_over_time(sendgrid_sso_exporter_build_info\[1d\])//' # any target down pages
	's/build_info\[5m\])/build_info[1m])/'              # a restart of the only exporter pages
	's/ unless on() node_textfile_mtime_seconds{[^}]*}//' # the cron fallback, with no exporter, pages
	's/> 3 \* 3600/> 4 * 3600/'                        # textfile stale after 4 hours instead of 3
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$dir/$tests" "$tmp/"
for m in "${mutations[@]}"; do
	sed "$m" "$dir/$rules" > "$tmp/$rules"
	if cmp -s "$dir/$rules" "$tmp/$rules"; then
		echo "test-alerts self-test: the mutation $m changes nothing in $dir/$rules: update the list" >&2
		exit 1
	fi
	if promtool test rules "$tmp/$tests" >/dev/null 2>&1; then
		echo "test-alerts self-test: the tests still pass with the mutation $m: they miss that threshold" >&2
		exit 1
	fi
done
echo "test-alerts self-test: the tests fail on each of ${#mutations[@]} mutated copies of $rules"
