// Package wrapper is a Go client for SendGrid's two single sign-on endpoints.
// Build one Client with New or NewFromEnv and share it:
//
//   - Client.GetSSOCertificate fetches an SSO (SAML) certificate: a Certificate,
//     whose X509 method parses it;
//   - Client.AuthenticateAccount mints a one-time login into a customer account: an
//     SSOLogin, which SSOLogin.Redirect hands to the browser of a POST.
//
// Where the rest is:
//
//   - options: the With… functions (region, base URL, http.Client, retries,
//     User-Agent, logger); DefaultTransport is the transport a client of your own
//     starts from;
//   - errors: any status but the operation's success is an *APIError, which
//     errors.Is matches with ErrUnauthorized, ErrForbidden, ErrNotFound,
//     ErrRateLimited and ErrServer; ErrInvalidConfig, ErrInvalidID and
//     ErrInvalidResponse say what was refused, before or after the request;
//   - retries: WithMaxRetries says what is retried and how long each wait is;
//   - redirects: never followed, because following the 303 of AuthenticateAccount
//     would spend its code; AuthenticateAccount says which logins are accepted;
//   - secrets: the API key and login codes appear in no error, log record or
//     printed Client or SSOLogin, and what a server sends is escaped;
//     Client.LogWriter routes the standard logger through the same redaction.
//
// Package ssotest is a fake of both endpoints, on loopback, for tests. Package
// idpmetadata reads an identity provider's SAML metadata, to compare its signing
// certificates with the one SendGrid holds.
package wrapper
