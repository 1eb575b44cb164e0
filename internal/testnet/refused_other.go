//go:build !unix

package testnet

import (
	"net"
	"testing"
)

// RefusedAddr returns a loopback address, "127.0.0.1:port", that refuses connections.
// Here (not unix) it is a port that was listened on and closed: another listener may
// take it before the test connects.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
