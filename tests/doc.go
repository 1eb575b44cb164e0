// Package tests holds the contract tests of the module: the real wrapper.Client,
// driven through the spec-checked fake in wrapper/ssotest into every (operation,
// status) pair that api/openapi.yaml declares, with each request and response also
// checked on the client's side by a validating http.RoundTripper. The tests also
// validate the spec and its examples, and show that changing the spec without the
// code turns them red. It has no API; run it with `go test ./tests/`.
package tests
