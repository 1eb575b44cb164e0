// Package idpmetadata reads the SAML 2.0 metadata an identity provider publishes (the
// XML that Okta, Entra ID, Google, Keycloak or ADFS serve at their metadata URL) and
// returns the certificates it signs with: Parse reads it from a file or any reader,
// Fetch from the metadata URL. Metadata lists every signing certificate, and by
// entity (an aggregate describes several identity providers); each comes with its
// SHA-256 Fingerprint, the usual way to name a certificate and to compare two.
//
// Metadata is untrusted input and is read as such: at most MaxSize bytes, no DOCTYPE
// (so no entity is declared, fetched or expanded), a bounded nesting depth; a fetch
// takes https (plain http only on loopback), never steps down from https to http on
// a redirect, and runs on a transport with bounded headers and timeouts. Every error
// that says the metadata cannot be used wraps ErrInvalid; a refused URL wraps
// ErrInvalidURL. Error texts are safe to show: what the document or the server sent
// is escaped, and URL queries are hidden.
//
// The package knows nothing of SendGrid: package wrapper fetches SendGrid's copy of
// the certificate; comparing the two is a matter of fingerprints.
package idpmetadata
