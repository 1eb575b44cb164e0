// Package interop runs the official SendGrid SDKs, sendgrid-go v3 and the Node
// @sendgrid/client, through the API documentation's two samples against the
// sendgrid-sso-fake binary, beside this module's client, and asserts what each does
// with the 303 of AuthenticateAccount: both SDKs follow it and spend the one-time
// code; this module's client hands it back unspent. `make interop` runs it.
//
// It is its own module so that the library's go.mod never requires the SDK; a
// replace directive points it at the working tree.
package interop
