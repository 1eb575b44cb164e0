// Package ssotest provides a fake SendGrid single sign-on API for tests, in the
// spirit of net/http/httptest: NewServer starts it on loopback, its URL goes into
// wrapper.WithBaseURL, and Close stops it.
//
//	srv := ssotest.NewServer()
//	defer srv.Close()
//	client, _ := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
//
// The fake knows one API key, a set of certificates and a set of accounts. It answers
// an unknown certificate with 400, an unknown account with 404, and a missing or wrong
// key with 401, each with a body of the shape the spec in api/ declares. The 303 of
// AuthenticateAccount points at a login page on the fake itself, which counts visits,
// so a test can assert that nobody followed it.
package ssotest
