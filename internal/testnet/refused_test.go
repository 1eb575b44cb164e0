package testnet

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// RefusedAddr's port refuses connections, and no one can listen on it while the test
// runs: a request sent there reaches nobody.
func TestRefusedAddr(t *testing.T) {
	addr := RefusedAddr(t)
	if c, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		if err == nil {
			c.Close()
		}
		t.Errorf("dialing %s: %v, want connection refused", addr, err)
	}
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Errorf("listening on %s succeeded: another server could take the refused port", addr)
	}
}
