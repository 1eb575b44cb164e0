package main

import (
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// TestFakeCertExpiresIn: with --cert-expires-in, the fake serves a certificate that
// sendgrid-sso cert --warn-within flags (exit 4), end to end through both binaries.
func TestFakeCertExpiresIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		expiresIn, warnWithin string
		exit                  int
		want                  string
	}{
		{"10d", "30d", cli.ExitCheck, "expires in 10 days, within --warn-within 30d"},
		{"10d", "240h", cli.ExitCheck, "within --warn-within 240h"},
		{"10d", "9d", cli.ExitOK, "check        passed"},
		{"-2d", "0s", cli.ExitCheck, "expired 2 days ago"},
	}
	for _, tc := range cases {
		t.Run(tc.expiresIn+" within "+tc.warnWithin, func(t *testing.T) {
			f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--cert-expires-in", tc.expiresIn)
			r := clitest.Run(t, cliBin, []string{"SENDGRID_API_KEY=" + f.APIKey},
				"--base-url", f.URL, "cert", "--warn-within", tc.warnWithin, f.CertificateID)
			r.WantExit(t, tc.exit)
			if !strings.Contains(r.Stdout, tc.want) {
				t.Errorf("stdout lacks %q:\n%s", tc.want, r.Stdout)
			}
		})
	}
}

func TestFakeCertExpiresInRefusesBadValues(t *testing.T) {
	t.Parallel()
	r := clitest.Run(t, bin, nil, "--addr", "127.0.0.1:0", "--cert-expires-in", "soon")
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, `"soon" is not a duration`)
}
