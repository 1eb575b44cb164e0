package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testnet"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// TestExitStatusesOfTheProcess: each exit status cli.Run returns is the status of the
// process, as a shell sees it (5 is TestLoginURLToAClosedPipe's). What makes each one,
// and their order, is tested in internal/cli.
func TestExitStatusesOfTheProcess(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t, ssotest.WithCertificate(ssotest.DefaultCertificate().ExpiringIn(72*time.Hour)))
	id := strconv.Itoa(ssotest.DefaultCertificateID)
	env := clitest.KeyEnv(fake.APIKey)
	cases := []struct {
		name string
		env  []string
		args []string
		exit int
	}{
		{"a certificate", env, []string{"--base-url", fake.URL, "cert", id}, cli.ExitOK},
		{"an unknown certificate", env, []string{"--base-url", fake.URL, "cert", "404"}, cli.ExitAPI},
		{"no command", env, nil, cli.ExitUsage},
		{"no answer", env, []string{"--base-url", "http://" + testnet.RefusedAddr(t), "cert", id}, cli.ExitNetwork},
		{"a failed check", env, []string{"--base-url", fake.URL, "cert", "--warn-within", "30d", id}, cli.ExitCheck},
		{"no browser", clitest.KeyEnv(fake.APIKey, "BROWSER="+filepath.Join(t.TempDir(), "missing")), []string{"--base-url", fake.URL, "login", "--open", ssotest.DefaultAccountID}, cli.ExitBrowser},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sso(t, tc.env, tc.args...).WantExit(t, tc.exit)
		})
	}
}

// TestLoginToAClosedStdout: the Go runtime reopens a closed stdout as /dev/null, where
// a login URL would be lost; login refuses before minting one (exit 2). Only a
// process has a stdout to close.
func TestLoginToAClosedStdout(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	// As a user's shell runs it.
	r := clitest.Run(t, "/bin/sh", clitest.KeyEnv(fake.APIKey), "-c", `exec "$0" "$@" >&-`,
		bin, "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, "stdout is /dev/null (or was closed")
	if n := fake.Requests(); n != 0 {
		t.Errorf("the fake answered %d requests, want none", n)
	}
}

// TestLoginURLToAClosedPipe: a reader that went away makes the write to stdout fail;
// login says a login was lost and exits 5, rather than die silently of SIGPIPE (which
// main ignores: without that, the write to fd 1 kills the process).
func TestLoginURLToAClosedPipe(t *testing.T) {
	t.Parallel()
	fake := clitest.NewFake(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	defer pw.Close()
	r := clitest.RunTo(t, pw, bin, clitest.KeyEnv(fake.APIKey), "--base-url", fake.URL, "login", ssotest.DefaultAccountID)
	r.WantExit(t, cli.ExitOutput)
	r.WantStderr(t, "writing the login URL to stdout: write /dev/stdout: broken pipe: a login was minted but not shown")
	if strings.Contains(r.Stderr, "code=") {
		t.Errorf("stderr shows the login URL:\n%s", r.Stderr)
	}
}
