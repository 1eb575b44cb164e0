package wrapper

import (
	"net/http"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/outbound"
)

// Transport defaults. Change them by passing your own client to WithHTTPClient,
// for example with a transport from DefaultTransport adjusted to taste.
const (
	// defaultClientTimeout bounds one attempt, body included, when the caller's
	// context has no earlier deadline.
	defaultClientTimeout = 60 * time.Second
)

// DefaultTransport returns a new transport with this package's defaults: proxies from
// the environment, 10s to dial and 10s for the TLS handshake, 30s to wait for response
// headers and at most 64 KiB of them, TLS 1.2 or newer, keep-alives, HTTP/2 where the
// server offers it, and up to 256 idle connections (per host and in all), so that a
// burst of up to 256 concurrent HTTP/1.1 calls reuses its connections instead of
// closing and redialling them (an idle connection is closed after 90s). It is the
// module's one bounded transport: package idpmetadata fetches on the same.
func DefaultTransport() *http.Transport {
	return outbound.NewTransport()
}

// sharedTransport is the transport of every Client built without WithHTTPClient, so
// that they share one connection pool (with idpmetadata's fetches).
var sharedTransport = outbound.SharedTransport

// defaultHTTPClient is the client New uses without WithHTTPClient.
func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: sharedTransport(), Timeout: defaultClientTimeout}
}
