package deploy

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// unitSettings returns the Key=Value lines of a systemd unit file, each key with its
// values in order (a key may repeat).
func unitSettings(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is no Key=Value line", path, line)
		}
		settings[k] = append(settings[k], v)
	}
	return settings
}

// TestSystemdUnitWiring checks what systemd-analyze verify (make test-deploy) cannot:
// that the key reaches the exporter as the systemd credential that LoadCredential
// loads, by file, never by environment or command line; that it listens on loopback
// at exporterPort; and that the hardening the docs promise is there.
func TestSystemdUnitWiring(t *testing.T) {
	u := unitSettings(t, "systemd/sendgrid-sso-exporter.service")
	if len(u["ExecStart"]) != 1 {
		t.Fatalf("ExecStart %q, want one", u["ExecStart"])
	}
	args := strings.Fields(u["ExecStart"][0])
	if args[0] != "/usr/local/bin/sendgrid-sso-exporter" {
		t.Errorf("ExecStart runs %s, want /usr/local/bin/sendgrid-sso-exporter", args[0])
	}
	if len(u["LoadCredential"]) != 1 {
		t.Fatalf("LoadCredential %q, want one", u["LoadCredential"])
	}
	name, source, _ := strings.Cut(u["LoadCredential"][0], ":")
	if source != "/etc/sendgrid-sso/api-key" {
		t.Errorf("LoadCredential reads %q, want /etc/sendgrid-sso/api-key (docs/operations.md)", source)
	}
	if file, _ := flagValue(args, "api-key-file"); file != "${CREDENTIALS_DIRECTORY}/"+name {
		t.Errorf("--api-key-file=%q, want ${CREDENTIALS_DIRECTORY}/%s, the credential LoadCredential loads", file, name)
	}
	if listen, _ := flagValue(args, "listen"); listen != "127.0.0.1:"+strconv.Itoa(exporterPort) {
		t.Errorf("--listen=%q, want 127.0.0.1:%d", listen, exporterPort)
	}
	for _, k := range []string{"Environment", "EnvironmentFile", "PassEnvironment", "SetCredential"} {
		if len(u[k]) > 0 {
			t.Errorf("%s=%q: the key comes by LoadCredential alone", k, u[k])
		}
	}
	for k, want := range map[string]string{
		"DynamicUser": "yes", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
		"PrivateTmp": "yes", "Restart": "on-failure", "CapabilityBoundingSet": "",
	} {
		if got := u[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s=%q, want %q", k, got, want)
		}
	}
	if got := u["RestrictAddressFamilies"]; len(got) != 1 || strings.Fields(got[0])[0] == "~" {
		t.Errorf("RestrictAddressFamilies=%q, want an allow list", got)
	}
}
