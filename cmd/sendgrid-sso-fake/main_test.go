package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// The tests run the built binaries, as a user would.

// bin is the sendgrid-sso-fake binary TestMain builds, cliBin the sendgrid-sso one
// that the announcement's commands run.
var bin, cliBin string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(bins map[string]string) { bin, cliBin = bins["sendgrid-sso-fake"], bins["sendgrid-sso"] },
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso-fake",
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso"))
}

func TestDemo(t *testing.T) {
	t.Parallel()
	r := clitest.Run(t, bin, nil, "demo")
	r.WantExit(t, cli.ExitOK)
	x := clitest.DefaultX509(t)
	for _, s := range []string{
		"The certificate, as 'sendgrid-sso cert 66138975' shows it:\n",
		"subject      " + x.Subject.String(),
		"valid until  " + ssotest.DefaultCertificate().NotAfter.UTC().Format(time.RFC3339) + " (expires in ",
		"A login URL, as 'sendgrid-sso login " + ssotest.DefaultAccountID + "' prints it:\n",
		"/login?code=",
		"valid for one login",
		"redirect 0 times",
		"start sendgrid-sso-fake\nin another terminal",
	} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("demo output lacks %q:\n%s", s, r.Stdout)
		}
	}
	// Lines that look like shell commands would fail as typed: the fake is gone once
	// the demo ends, and they lack the key and the base URL.
	for _, line := range strings.Split(r.Stdout, "\n") {
		if strings.HasPrefix(line, "$") {
			t.Errorf("demo prints a command line that cannot be run as typed: %q", line)
		}
	}
	f := clitest.TextFields(t, strings.SplitN(strings.SplitN(r.Stdout, "'sendgrid-sso cert 66138975' shows it:\n", 2)[1], "\n\n", 2)[0])
	clitest.WantFingerprint(t, f["sha256"], x.Raw)
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"demo", "--help"}} {
		r := clitest.Run(t, bin, nil, args...)
		r.WantExit(t, cli.ExitOK)
		for _, s := range []string{"sendgrid-sso-fake [--addr ADDR] [--key KEY|random] [--seed FILE] [--tls] [flags]", "sendgrid-sso-fake demo", "--addr host:port", "--key KEY", "--api-key KEY", "--seed file", "--tls ", "--tls-host name", "--ca-out file", "--tls-cert file", "--tls-key file", "SENDGRID_SSO_FAKE_ADDR ", "SENDGRID_SSO_FAKE_TLS_HOSTS ", "--tls-host, comma-separated", "GET /openapi.yaml", "SG.ssotest-fake-api-key)", "--rate-limit N/DURATION", "(default 10000/1m0s)", "Prefer: code=N", "130", "(default 127.0.0.1:8025)", "make demo", "Exit status:"} {
			if !strings.Contains(r.Stdout, s) {
				t.Errorf("%v: help lacks %q:\n%s", args, s, r.Stdout)
			}
		}
		if r.Stderr != "" {
			t.Errorf("%v: stderr is not empty:\n%s", args, r.Stderr)
		}
		// Its tables (usage, flags, exit statuses) are aligned: "130" and
		// "--cert-expires-in duration" used to push their texts out of line.
		clitest.WantAlignedTables(t, strings.Join(args, " "), r.Stdout)
	}
}

// TestDemoOutputLostExits5: a demo that cannot write its output says so and exits 5,
// as its help says (it said 4, and exited 3 as for a network failure).
func TestDemoOutputLostExits5(t *testing.T) {
	t.Parallel()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	r := clitest.RunTo(t, full, bin, nil, "demo")
	r.WantExit(t, cli.ExitOutput)
	r.WantStderr(t, "no space left on device")
	if help := clitest.Run(t, bin, nil, "--help"); !strings.Contains(help.Stdout, "\n  5    the demo's output could not be written\n") {
		t.Errorf("--help does not give 5 for lost output:\n%s", help.Stdout)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, `unexpected argument "serve": the commands are demo and version`},
		{[]string{"demo", "now"}, `demo takes no argument, got "now"`},
		{[]string{"--addr", "127.0.0.1:0", "demo"}, "--addr does not apply to demo"},
		{[]string{"--port", "1"}, "unknown flag --port"},
		{[]string{"--rate-limit", "600/1m", "demo"}, "--rate-limit does not apply to demo"},
		{[]string{"--rate-limit", "0/1m"}, `invalid value "0/1m" for --rate-limit: want N/DURATION with N at least 1`},
		{[]string{"--rate-limit", "600"}, `invalid value "600" for --rate-limit: want N/DURATION`},
		{[]string{"--rate-limit", "600/1"}, `invalid value "600/1" for --rate-limit: want N/DURATION with a Go duration`},
	} {
		r := clitest.Run(t, bin, nil, tc.args...)
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, tc.want, "usage: sendgrid-sso-fake [--addr ADDR] [--key KEY|random] [--seed FILE] [--tls] [flags] | sendgrid-sso-fake demo | sendgrid-sso-fake version", "Run 'sendgrid-sso-fake --help'")
		if r.Stdout != "" {
			t.Errorf("%v: stdout is not empty:\n%s", tc.args, r.Stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	clitest.WantVersion(t, bin, "sendgrid-sso-fake", []string{"--version"}, []string{"version"}, []string{"-version"},
		[]string{"--addr", "127.0.0.1:0", "--version"})
	r := clitest.Run(t, bin, nil, "version", "now")
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, `version takes no argument, got "now"`)
}
