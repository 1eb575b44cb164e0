package wrapper

// Version is this module's version, sent in the User-Agent header.
const Version = "0.1.0"

// userAgent names this module and its version.
const userAgent = "sendgrid-sso-go/" + Version + " (+https://github.com/sendgrid-sso/sendgrid-sso)"
