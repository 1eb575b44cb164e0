// Package api holds the hand-written OpenAPI 3 document for SendGrid's two single
// sign-on endpoints, embedded so that the generator, the contract tests and the fake
// server in wrapper/ssotest all read the same bytes.
package api

import _ "embed"

//go:embed openapi.yaml
var spec []byte

// Spec returns the OpenAPI document (YAML). Each call returns a fresh copy, so callers
// may modify it.
func Spec() []byte {
	return append([]byte(nil), spec...)
}
