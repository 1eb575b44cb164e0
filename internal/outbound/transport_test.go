package outbound

import (
	"crypto/tls"
	"testing"
	"time"
)

// TestTransportSettings pins the bounds that NewTransport's doc comment (and
// wrapper.DefaultTransport's) lists.
func TestTransportSettings(t *testing.T) {
	tr := NewTransport()
	if tr == NewTransport() || tr == SharedTransport() {
		t.Error("NewTransport returns a shared transport: callers adjusting it would change everyone's")
	}
	d := newDialer()
	checks := []struct {
		name      string
		got, want any
	}{
		{"dial timeout", d.Timeout, 10 * time.Second},
		{"TCP keep-alive period", d.KeepAlive, 30 * time.Second},
		{"TLS handshake timeout", tr.TLSHandshakeTimeout, 10 * time.Second},
		{"response header timeout", tr.ResponseHeaderTimeout, 30 * time.Second},
		{"idle connection timeout", tr.IdleConnTimeout, 90 * time.Second},
		{"keep-alives disabled", tr.DisableKeepAlives, false},
		{"HTTP/2 attempted", tr.ForceAttemptHTTP2, true},
		{"idle connections per host", tr.MaxIdleConnsPerHost, 256},
		{"idle connections in all", tr.MaxIdleConns, 256},
		{"response header bytes", tr.MaxResponseHeaderBytes, int64(64 << 10)},
		{"expect-continue timeout", tr.ExpectContinueTimeout, time.Second},
		{"proxy from the environment", tr.Proxy != nil, true},
		{"dialer set", tr.DialContext != nil, true},
		{"TLS minimum version is at least 1.2", tr.TLSClientConfig != nil && tr.TLSClientConfig.MinVersion >= tls.VersionTLS12, true},
		{"certificates verified", tr.TLSClientConfig != nil && !tr.TLSClientConfig.InsecureSkipVerify, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}
