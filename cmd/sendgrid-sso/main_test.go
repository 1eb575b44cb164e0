package main

import (
	"os"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// The tests run the built binary, as a user would, against fakes started in the test
// process, for what only a process shows: exit statuses as the shell sees them, a
// closed stdout and SIGPIPE, the build information --version reads, the region's host
// through a proxy from the environment, what the binary links. Every other behaviour
// of the command is tested in process, through cli.Run, in internal/cli.

// bin is the sendgrid-sso binary TestMain builds, fakeBin the sendgrid-sso-fake one
// that TestCertificateLifecycle runs a case against.
var bin, fakeBin string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(bins map[string]string) { bin, fakeBin = bins["sendgrid-sso"], bins["sendgrid-sso-fake"] },
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso",
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso-fake"))
}

// sso runs sendgrid-sso with args and exactly the environment env.
func sso(t *testing.T, env []string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, bin, env, args...)
}
