//go:build unix

package testnet

import (
	"fmt"
	"net"
	"syscall"
	"testing"
)

// RefusedAddr returns a loopback address, "127.0.0.1:port", that refuses connections
// for as long as the test runs. A port that was listened on and closed is not that:
// another test, or another process, may listen on it before the connection is made,
// and then gets a request meant for nobody. This port stays bound by a socket that
// never listens, without SO_REUSEADDR, so no one else can bind it, and a connection
// to it is refused.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	// Close-on-exec before any fork can see it, so that the binaries a test runs do
	// not hold the port past the test.
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		t.Fatalf("a socket for a refused address: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("binding a socket for a refused address: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("the refused address: %v", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("the refused address is a %T, want IPv4", sa)
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(in4.Port))
}
