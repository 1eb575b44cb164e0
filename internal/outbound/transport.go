package outbound

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"time"
)

// Transport bounds.
const (
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 30 * time.Second
	idleConnTimeout       = 90 * time.Second
	keepAlivePeriod       = 30 * time.Second
	// maxIdleConns bounds the idle pool, per host and in all: a burst of up to 256
	// concurrent HTTP/1.1 calls reuses its connections instead of redialling them.
	maxIdleConns = 256
	// maxResponseHeaderBytes bounds a response's headers: the API's and an IdP's are
	// well under 4 KiB, and net/http's default (1 MiB, counted loosely) let 9 MiB of
	// headers allocate 55 MiB for one call.
	maxResponseHeaderBytes = 64 << 10
)

// NewTransport returns a new bounded transport: proxies from the environment, 10s to
// dial (TCP keep-alive probes every 30s) and 10s for the TLS handshake, 30s to wait for
// response headers and at most 64 KiB of them, TLS 1.2 or newer, keep-alives, HTTP/2
// where the server offers it, and up to 256 idle connections (per host and in all),
// each closed after 90s idle. Each call returns a transport of its own, the caller's
// to adjust.
func NewTransport() *http.Transport {
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            newDialer().DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    tlsHandshakeTimeout,
		ResponseHeaderTimeout:  responseHeaderTimeout,
		IdleConnTimeout:        idleConnTimeout,
		ExpectContinueTimeout:  time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           maxIdleConns,
		MaxIdleConnsPerHost:    maxIdleConns,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
	}
}

// newDialer returns the dialer of NewTransport.
func newDialer() *net.Dialer {
	return &net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlivePeriod}
}

// SharedTransport returns the one transport (built by NewTransport on first use) of
// every request sent without a transport of the caller's: every wrapper.Client built
// without WithHTTPClient, and every metadata fetch given no client or one without a
// Transport. They share its connection pool. Do not adjust it.
var SharedTransport = sync.OnceValue(NewTransport)
