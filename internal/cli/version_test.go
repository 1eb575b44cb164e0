package cli

import (
	"testing"
)

// TestVersionTakesNoArgument: version is a command without arguments. What --version
// prints, read back from the binary's build information, is tested in
// cmd/sendgrid-sso (TestVersion).
func TestVersionTakesNoArgument(t *testing.T) {
	t.Parallel()
	r := sso(t, nil, "version", "now")
	r.WantExit(t, ExitUsage)
	r.WantStderr(t, `unexpected argument "now"`, "usage: sendgrid-sso [global flags] version")
}
