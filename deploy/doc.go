// Package deploy holds no code. Its directories hold what runs the certificate watch
// in production, shipped in the release archives: the alert rules
// (prometheus/sendgrid-sso-alerts.yml, with their promtool tests), the exporter's
// systemd unit (systemd/), its Kubernetes manifests (kubernetes/) and the cron
// fallback for node_exporter's textfile collector (cron/). docs/operations.md
// explains them. The tests of this package check that those files fit together:
// the ports, the key's path, the probes and the runbook links agree, and the cron
// script writes only good metrics, atomically. make test-alerts runs promtool on the
// rules; make test-deploy runs systemd-analyze on the unit.
package deploy
