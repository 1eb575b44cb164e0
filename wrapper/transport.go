package wrapper

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"time"
)

// Transport defaults. Change them by passing your own client to WithHTTPClient,
// for example with a transport from DefaultTransport adjusted to taste.
const (
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 30 * time.Second
	idleConnTimeout       = 90 * time.Second
	// maxResponseHeaderBytes bounds a response's headers: this API's are well under
	// 4 KiB, and net/http's default (1 MiB, counted loosely) let 9 MiB of headers
	// allocate 55 MiB for one call.
	maxResponseHeaderBytes = 64 << 10
	// defaultClientTimeout bounds one attempt, body included, when the caller's
	// context has no earlier deadline.
	defaultClientTimeout = 60 * time.Second
)

// DefaultTransport returns a new transport with this package's defaults: proxies from
// the environment, 10s to dial and 10s for the TLS handshake, 30s to wait for response
// headers and at most 64 KiB of them, TLS 1.2 or newer, keep-alives, HTTP/2 where the
// server offers it, and up to 256 idle connections (per host and in all), so that a
// burst of up to 256 concurrent HTTP/1.1 calls reuses its connections instead of
// closing and redialling them (an idle connection is closed after 90s).
func DefaultTransport() *http.Transport {
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            newDialer().DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    tlsHandshakeTimeout,
		ResponseHeaderTimeout:  responseHeaderTimeout,
		IdleConnTimeout:        idleConnTimeout,
		ExpectContinueTimeout:  time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    256,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
	}
}

// newDialer returns the dialer of DefaultTransport: 10s to connect, TCP keep-alive
// probes every 30s.
func newDialer() *net.Dialer {
	return &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
}

// sharedTransport is the transport of every Client built without WithHTTPClient, so
// that they share one connection pool.
var sharedTransport = sync.OnceValue(DefaultTransport)

// defaultHTTPClient is the client New uses without WithHTTPClient.
func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: sharedTransport(), Timeout: defaultClientTimeout}
}
