package testnet

import (
	"net"
	"testing"
)

// FreeAddr returns a loopback address, "127.0.0.1:port", whose port was free a moment
// ago: it was listened on and closed. It is for a process that cannot report the port
// it picked; another listener may take the port first, so the caller must notice an
// "address already in use" and ask again.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
