package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoFakeNorValidator: sendgrid-sso starts as fast as curl only while it links
// neither the fake nor kin-openapi, whose JSON Schema compiler alone spent 9 ms and
// 21,000 allocations in package initialisation on every run (issue 14).
func TestLinksNoFakeNorValidator(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !strings.Contains(string(out), "github.com/sendgrid-sso/sendgrid-sso/wrapper\n") {
		t.Fatalf("go list -deps printed no dependency list:\n%s", out)
	}
	for _, dep := range deps {
		for _, banned := range []string{
			"github.com/getkin/kin-openapi",
			"github.com/santhosh-tekuri/jsonschema",
			"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest",
		} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("sendgrid-sso links %s: keep the fake and its validator in sendgrid-sso-fake", dep)
			}
		}
	}
}

// TestLibraryModuleRequiresNoPrometheus: the library's module graph holds no
// Prometheus client library; sendgrid-sso-exporter, which needs one, is a module of
// its own (cmd/sendgrid-sso-exporter/go.mod), so that the library's users do not
// inherit it (issue 20).
func TestLibraryModuleRequiresNoPrometheus(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-m", "all").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, out)
	}
	mods := strings.Fields(string(out))
	if len(mods) < 2 || mods[0] != "github.com/sendgrid-sso/sendgrid-sso" {
		t.Fatalf("go list -m all did not list the library's module graph:\n%s", out)
	}
	for _, m := range mods {
		if strings.HasPrefix(m, "github.com/prometheus/") {
			t.Errorf("the library's go.mod brings in %s: keep it in the exporter's module, cmd/sendgrid-sso-exporter/go.mod", m)
		}
	}
}
