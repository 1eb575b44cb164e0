package deploy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/oasdiff/yaml"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// exporterPort is sendgrid-sso-exporter's default port (its --listen default,
// 127.0.0.1:10134): every file of deploy/ that names the port must name this one.
const exporterPort = 10134

// cliBin is the sendgrid-sso binary built for the cron script's tests.
var cliBin string

func TestMain(m *testing.M) {
	os.Exit(clitest.Main(m, func(bins map[string]string) { cliBin = bins["sendgrid-sso"] },
		"github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso"))
}

// readYAML decodes the YAML file at path (relative to deploy/) into v.
func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(b)
	if err == nil {
		err = json.Unmarshal(j, v)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
