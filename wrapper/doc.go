// Package wrapper is a Go client for SendGrid's two single sign-on endpoints:
// fetching an SSO (SAML) certificate, and minting a partner SSO login into a
// customer account.
//
// It wraps code generated from the hand-written OpenAPI document in api/ and adds
// what the generated code leaves out:
//
//   - auth: the API key travels as "Authorization: Bearer <key>" and never appears in
//     an error, a log line or a formatted Client (auth.go); one redaction point removes
//     the key and login codes from everything a server sends and escapes control and
//     bidi runes (redact.go; route the standard logger through Client.LogWriter);
//   - regions: global (api.sendgrid.com) or EU (api.eu.sendgrid.com), or any base URL
//     for proxies and fakes (region.go, options.go);
//   - redirects: never followed, even with a caller's http.Client, because following
//     the 303 of AuthenticateAccount spends its one-time code (redirect.go, login.go);
//   - typed errors: every non-success status is an *APIError, whatever the body's
//     shape (errors.go);
//   - retries: 429, 5xx and connection errors for GET, 429 only for POST (retry.go).
//     The wait is Retry-After where the response has one; for a 429 without it, the
//     time until X-RateLimit-Reset; for a 5xx or a connection error, an exponential
//     backoff with jitter, never the rate-limit window (SendGrid sends
//     X-RateLimit-Reset on every answer). Each wait is capped (WithMaxRetryWait), and
//     one that would end past the context's deadline is not started;
//   - bounded reads: response bodies are capped at 1 MiB (body.go);
//   - one bounded transport (transport.go): DefaultTransport's timeouts and header
//     bound, which package idpmetadata's fetches share. Reading an identity
//     provider's SAML metadata, to compare its signing certificates with the one
//     SendGrid holds, is that package's, not this one's.
//
// The fake server in package ssotest serves both endpoints on loopback for tests.
package wrapper
