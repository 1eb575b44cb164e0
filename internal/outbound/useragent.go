package outbound

// Version is the module's one version (wrapper.Version is this constant): the
// User-Agent carries it, the binaries print it and the release archives are named
// after it. Change it here when releasing.
const Version = "0.1.0"

// UserAgent names this module and its version in every request it sends.
const UserAgent = "sendgrid-sso-go/" + Version + " (+https://github.com/sendgrid-sso/sendgrid-sso)"
