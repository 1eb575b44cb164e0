package ssotest_test

import (
	"bytes"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
)

// mutate returns api.Spec() with the one occurrence of old replaced by new.
func mutate(t testing.TB, old, new string) []byte {
	t.Helper()
	spec := api.Spec()
	if n := bytes.Count(spec, []byte(old)); n != 1 {
		t.Fatalf("the spec has %d occurrences of %q, want 1", n, old)
	}
	return bytes.Replace(spec, []byte(old), []byte(new), 1)
}
