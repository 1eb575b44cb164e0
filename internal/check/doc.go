// Package check is where an SSO certificate is judged: its validity window (the
// expiry check: expired, not yet valid, or ending within a warning window) and
// whether the identity provider signs with it (the metadata match). The rollover
// plan (what to upload to SendGrid before the IdP switches keys) belongs here too.
//
// Results are plain data, for every tool that reports on certificates (sendgrid-sso
// cert and sync, sendgrid-sso-exporter) to show in its own way: this package knows no
// flag, no output format and no exit status.
package check
