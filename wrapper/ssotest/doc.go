// Package ssotest provides a fake SendGrid single sign-on API for tests, in the
// spirit of net/http/httptest: NewServer starts it on loopback, its URL goes into
// wrapper.WithBaseURL, and Close stops it.
//
//	srv := ssotest.NewServer()
//	defer srv.Close()
//	client, _ := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
//
// # What it serves
//
// The fake knows one API key, a set of certificates and a set of accounts (see
// WithAPIKey, WithCertificate, WithAccount). It answers as the spec in api/ declares:
// an unknown certificate with 400 (GetSsoCertificate declares no 404), an unknown
// account with 404, a wrong key with 401; errors of GetSsoCertificate as a bare JSON
// array and those of AuthenticateAccount as {"errors": [...]}, the shapes the official
// description gives each. The 303 of AuthenticateAccount points at a login page on the
// fake itself, which spends the one-time code and counts visits (LoginsFollowed), so
// a test can assert that nobody followed it.
//
// # Checked against the spec
//
// Every API request is checked against the embedded spec (api.Spec(), or WithSpec)
// with kin-openapi before it is served. A request that breaks it is refused with an
// error body saying what was wrong, and recorded (InvalidRequests): 401 for missing
// or malformed bearer credentials, 404 for a path no operation has, 405 for a method
// the path has no operation for, 400 for anything else. 404 and 405 are answers to
// requests the spec does not describe, so no operation declares them.
//
// Every answer of the fake's own is checked too before it leaves. One that breaks the
// spec is replaced by a 500 whose message names the violation, and recorded
// (InvalidResponses): a fake that drifts from its spec fails loudly.
//
// # Faults
//
// FailNext queues faults for the next calls: a status (429 with Retry-After, any 5xx),
// an HTML error page like a load balancer's, a delay, or a dropped connection.
// Faults are the test's deliberate choice and are sent unchecked.
//
// # Contracts
//
// Contract is the checker the fake uses; NewContract builds one for any server URL,
// so a test can check a client's own side of the traffic with the same rules.
package ssotest
