package wrapper

import "github.com/sendgrid-sso/sendgrid-sso/internal/outbound"

// Version is this module's version, sent in the User-Agent header (set in
// internal/outbound, which every request of the module goes through).
const Version = outbound.Version

// userAgent names this module and its version.
const userAgent = outbound.UserAgent
