// Package testnet holds network helpers for tests that need no fake: an address
// that refuses connections for as long as the test runs (RefusedAddr), and one whose
// port was free a moment ago, for a process that cannot report its own (FreeAddr). It imports
// nothing of this module, so any package's tests can use it, wrapper's included.
package testnet
