//go:build !unix

package testnet

import "testing"

// RefusedAddr returns a loopback address, "127.0.0.1:port", that refuses connections.
// Here (not unix) it is a port that was listened on and closed: another listener may
// take it before the test connects.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	return FreeAddr(t)
}
