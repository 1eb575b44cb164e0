// Package ssotest provides a fake SendGrid single sign-on API for tests, used as
// net/http/httptest is and built on it: NewServer starts an httptest.Server on
// loopback, its URL goes into wrapper.WithBaseURL, its APIKey into wrapper.New, and
// Close stops it.
//
//	srv := ssotest.NewServer()
//	defer srv.Close()
//	client, _ := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
//
// # What it exports, and why
//
// The package is the fake alone; each name serves a test that uses it:
//
//   - NewServer, Server (URL, APIKey, Close): start it, point a client at it, stop it.
//   - Option and WithCertificate, WithAccount, Certificate, DefaultCertificate,
//     DefaultCertificateID, DefaultAccountID: what it knows, and the IDs a test asks
//     for; Certificate.ExpiringIn, to test alerting on expiry.
//   - WithIntegration, Integration, DefaultIntegration, DefaultIntegrationID: the SSO
//     integrations it lists, which certificates belong to by IntegrationID;
//     MaxCreatedCertificates, the bound on what CreateSsoCertificate keeps.
//   - WithAPIKey, WithListener, WithTLS: a fixed key, a fixed address and HTTPS, for
//     a fake that outlives a test (sendgrid-sso-fake's --key, --addr and --tls).
//   - SpecPath: where the fake serves the OpenAPI document it checks against.
//   - WithRateLimit, DefaultRateLimit, DefaultRateLimitWindow: the key's budget, and
//     the default a client sees in X-RateLimit-Limit.
//   - FailNext and Fault: the misbehaviour a client must survive.
//   - Requests, RequestsWithoutKey, LoginsFollowed: what happened, to assert on.
//   - InvalidRequests, InvalidResponses, InvalidCounts and Violation: what broke the
//     spec, each way.
//
// There is no Client, as httptest.Server has: wrapper.New is the client, and an
// http.Client that follows redirects would spend the one-time login codes. The spec
// checker the fake uses is not part of the package either: it is the module's
// internal/contract.
//
// # What it serves
//
// The fake knows one API key, a fresh random one for each server unless WithAPIKey
// gives it, a set of integrations, a set of certificates and a set of accounts (see
// WithIntegration, WithCertificate, WithAccount). It answers as the spec in api/
// declares and as the real API sends: an unknown certificate or integration with 400
// (the SSO operations declare no 404), an unknown account with 404, a wrong key with
// 401; errors of the SSO operations as a bare JSON array and those of AuthenticateAccount as
// {"errors": [...]}, each error with message, field ("") and error_id, the shapes
// Twilio's official descriptions give each. Paths are matched exactly: a trailing
// slash is a 404, as with SendGrid.
//
// A certificate created with CreateSsoCertificate (its public_certificate must parse:
// its validity window is read from it) gets the next free ID and is served by
// GetSsoCertificate and ListSsoIntegrationCertificate afterwards. A server creates at
// most MaxCreatedCertificates (100) in its life, so that a long-running fake holds
// bounded state; the next is refused with 400. A request body over 64 KiB (far above
// a certificate's PEM) is refused with 413, unread.
//
// The 303 of AuthenticateAccount points at a login page on the fake itself, on the
// scheme (https with WithTLS) and host the client addressed; a request whose Host header cannot make an absolute URL
// is refused with 400. The page redeems the one-time code once, within 60 seconds;
// LoginsFollowed counts the redemptions, so a test can assert that nobody followed
// the 303.
//
// Every answer to a call with the key carries X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset; once the key spends its budget it gets
// 429 with Retry-After until its window ends (WithRateLimit; the default,
// DefaultRateLimit calls per DefaultRateLimitWindow, is beyond what a test makes).
// A wrapper.Client waits as Retry-After says, or for a 429 without it until
// X-RateLimit-Reset; after a 5xx or a dropped connection it backs off (250 ms to 1 s
// with its defaults), whatever X-RateLimit-Reset says: a 5xx fault does not make a
// test wait for the rate-limit window.
//
// # Authenticated first
//
// A request without the key is answered 401 (404 or 405 for a path or method the spec
// lacks: routing comes first) before anything it asks for and before anything a test
// arranged: it spends no budget, uses up no fault, gets no Prefer code, and Requests
// does not count it (RequestsWithoutKey does). Its refusal is recorded in
// InvalidRequests, where requests without the key get at most half the room. So a
// stray request, from another test to a port this fake now holds, cannot spend what a
// test arranged nor crowd out its violations. Server gives the whole order of checks.
//
// # Checked against the spec
//
// GET SpecPath (/openapi.yaml) serves that spec, as application/yaml, to anyone: the
// document is public, and a visit to it is not an API request (no count moves).
//
// Every API request is checked against the embedded spec (api.Spec()) with
// kin-openapi before it is served: its path and method, its credentials, and,
// once it has shown the key, everything else. A request that breaks it is refused
// with an error body saying what was wrong, and recorded (InvalidRequests): 401 for
// missing or malformed bearer credentials, 404 for a path no operation has, 405 for a
// method the path has no operation for, 400 for anything else. 404 and 405 are answers to
// requests the spec does not describe, so no operation declares them.
//
// Every answer of the fake's own is checked too before it leaves, formats such as
// the Location's "uri" included. One that breaks the spec is replaced by a 500 whose
// message names the violation, and recorded (InvalidResponses): a fake that drifts
// from its spec fails loudly.
//
// # Faults
//
// From Go, FailNext queues faults for the next calls with the key: a status (429 with Retry-After,
// any 5xx), an HTML error page like a load balancer's, a delay, or a dropped
// connection. Faults are the test's deliberate choice and are sent unchecked.
//
// From any language, a request may ask for a status with the Prism mock server's
// convention, the header "Prefer: code=429": the fake answers that request with that
// status in the operation's error shape (429 with Retry-After: 1), if the operation
// declares it; a success status serves the call as usual. A code the operation does
// not declare is refused with 400, naming those it does, and recorded.
//
// # Under bad clients
//
// Everything a client can make the fake keep is bounded: the violations it records
// (the first 100 of each kind, each cut short; InvalidCounts counts them all), the
// one-time codes it holds (4096 at most: minting one more forgets the oldest), and
// the rate-limit budgets (one: the key's). A web page can make a browser send
// requests to a fake on 127.0.0.1; they cost it nothing it keeps.
//
// The server cuts off a client that does not finish its headers within 10 seconds or
// its request within a minute, and keep-alive connections idle for a minute. Close
// closes every connection at once, whatever its state, and returns when the handlers
// have: a client stalled in its request body cannot hold it.
package ssotest
