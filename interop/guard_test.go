package interop

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tlsOff matches the ways of switching TLS verification off in Node and Go: the
// variable NODE_TLS_REJECT_UNAUTHORIZED set to zero, the option rejectUnauthorized set
// to false, and the field InsecureSkipVerify set to true.
var tlsOff = regexp.MustCompile(`NODE_TLS_REJECT_UNAUTHORIZED["']?\s*[:=]\s*["']?0|rejectUnauthorized["']?\s*[:=]\s*false|InsecureSkipVerify\s*:\s*true`)

// No file of this module, nor the docs, the deploy files, the Makefile or CI, switches
// TLS verification off: the HTTPS runs (TestNodeSDKOverTLS) trust the fake's CA instead,
// and the docs show that way only.
func TestTLSVerificationStaysOn(t *testing.T) {
	for _, root := range []string{".", "../docs", "../deploy", "../Makefile", "../.ci", "../CONTRIBUTING.md"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "node_modules" {
					return filepath.SkipDir
				}
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if tlsOff.MatchString(line) {
					t.Errorf("%s:%d switches TLS verification off: %s; trust the fake's CA instead (--ca-out, NODE_EXTRA_CA_CERTS)", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
