package container

import (
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/oasdiff/yaml"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// composeFile is the compose file shipped beside the Dockerfile.
const composeFile = "../../deploy/docker-compose.yml"

// The compose file's service names.
const (
	fakeService  = "sendgrid-sso-fake"
	testsService = "tests"
)

// compose is the part of a compose file the test reads.
type compose struct {
	Services map[string]struct {
		Build *struct {
			Context    string `json:"context"`
			Dockerfile string `json:"dockerfile"`
		} `json:"build"`
		Environment map[string]string `json:"environment"` // the map form only: names are checked
		Volumes     []string          `json:"volumes"`
		Ports       []string          `json:"ports"`
		Command     []string          `json:"command"`
	} `json:"services"`
	Volumes map[string]any `json:"volumes"`
}

// readCompose parses deploy/docker-compose.yml.
func readCompose(t *testing.T) compose {
	t.Helper()
	src, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(src)
	if err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	var c compose
	if err := json.Unmarshal(j, &c); err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	return c
}

// mountOf is the volume mounted at target in mounts ("name:target[:mode]"), and its
// mode.
func mountOf(mounts []string, target string) (name, mode string) {
	for _, m := range mounts {
		parts := strings.Split(m, ":")
		if len(parts) >= 2 && parts[1] == target {
			if len(parts) == 3 {
				mode = parts[2]
			}
			return parts[0], mode
		}
	}
	return "", ""
}

// The compose file wires the image as deploy/Dockerfile builds it: the fake built from
// that Dockerfile, with variables the fake binary knows; its CA volume shared,
// read-only, with the tests at the same path; the tests calling it by its service name
// (in its server certificate) at the port the image exposes, with its key, trusting the
// CA where the image writes it; the published port on loopback only; the smoke test
// asking for the fake's own certificate and account.
func TestComposeWiresImage(t *testing.T) {
	im := readImage(t)
	port, volume, ca := promises(t, im)
	c := readCompose(t)
	fake, tests := c.Services[fakeService], c.Services[testsService]
	if fake.Build == nil || filepath.Join(filepath.Dir(composeFile), fake.Build.Context, fake.Build.Dockerfile) != filepath.Clean(dockerfile) {
		t.Errorf("service %s is not built from %s", fakeService, dockerfile)
	}

	// Every variable the fake is given is one its --help names.
	t.Setenv("CGO_ENABLED", "0")
	help := clitest.Run(t, clitest.Build(t, fakePkg), nil, "--help")
	help.WantExit(t, 0)
	for name := range fake.Environment {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(help.Stdout) {
			t.Errorf("service %s sets %s, which sendgrid-sso-fake --help does not name", fakeService, name)
		}
	}
	if _, ok := fake.Environment[envKey]; !ok {
		t.Errorf("service %s sets no %s: its tests could not know the key", fakeService, envKey)
	}
	if hosts := strings.Split(fake.Environment[envTLSHosts], ","); !slices.Contains(hosts, fakeService) {
		t.Errorf("%s=%q lacks the service name %s that the tests call", envTLSHosts, fake.Environment[envTLSHosts], fakeService)
	}

	vol, _ := mountOf(fake.Volumes, volume)
	if _, declared := c.Volumes[vol]; vol == "" || !declared {
		t.Fatalf("service %s mounts no declared volume at the image's VOLUME %s: %q", fakeService, volume, fake.Volumes)
	}
	if name, mode := mountOf(tests.Volumes, volume); name != vol || mode != "ro" {
		t.Errorf("service %s mounts %q (%q) at %s, want the fake's %s read-only", testsService, name, mode, volume, vol)
	}
	for _, name := range []string{"NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"} {
		if got := tests.Environment[name]; got != ca {
			t.Errorf("service %s: %s=%q, want the image's CA path %s", testsService, name, got, ca)
		}
	}
	if got := tests.Environment["SENDGRID_API_KEY"]; got != fake.Environment[envKey] {
		t.Errorf("service %s has key %q, the fake %q", testsService, got, fake.Environment[envKey])
	}
	if u, err := url.Parse(tests.Environment["SENDGRID_BASE_URL"]); err != nil || u.Scheme != "https" || u.Hostname() != fakeService || u.Port() != port {
		t.Errorf("service %s: SENDGRID_BASE_URL=%q, want https://%s:%s", testsService, tests.Environment["SENDGRID_BASE_URL"], fakeService, port)
	}

	for _, p := range fake.Ports {
		host, rest, _ := strings.Cut(p, ":")
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() || !strings.HasSuffix(rest, ":"+port) {
			t.Errorf("service %s publishes %q: want 127.0.0.1:HOSTPORT:%s, on the host's loopback only", fakeService, p, port)
		}
	}
	cmd := strings.Join(tests.Command, " ")
	for _, p := range []string{"/v3/sso/certificates/" + strconv.Itoa(ssotest.DefaultCertificateID), "/v3/partners/accounts/" + ssotest.DefaultAccountID + "/sso"} {
		if !strings.Contains(cmd, p) {
			t.Errorf("service %s's smoke test does not ask for %s, which the fake knows", testsService, p)
		}
	}
}

// The tests service's smoke test passes against the fake as the compose file runs it:
// the command run by sh (its $$ unescaped, as compose does) with the service's
// environment, the CA volume a temporary directory, and curl connecting to the fake's
// free port for sendgrid-sso-fake:PORT (connect-to in a .curlrc: the TLS name stays the
// service's, as on compose's network). It asks for the certificate and gets the login's
// 303 without following it.
func TestComposeSmokeTestPasses(t *testing.T) {
	im, c := readImage(t), readCompose(t)
	fake, tests := c.Services[fakeService], c.Services[testsService]
	var fakeEnv []string
	for k, v := range fake.Environment {
		fakeEnv = append(fakeEnv, k+"="+v)
	}
	f, caFile := runImage(t, im, fakeEnv...)
	u, err := url.Parse(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	base, _ := url.Parse(tests.Environment["SENDGRID_BASE_URL"])
	curlrc := "connect-to = " + base.Hostname() + ":" + base.Port() + ":localhost:" + u.Port() + "\n"
	if err := os.WriteFile(filepath.Join(home, ".curlrc"), []byte(curlrc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, ca := promises(t, im)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
	for k, v := range tests.Environment {
		env = append(env, k+"="+strings.ReplaceAll(v, ca, caFile))
	}
	if len(tests.Command) != 1 {
		t.Fatalf("service %s: command %q, want one sh -c script", testsService, tests.Command)
	}
	script := tests.Command[0]
	if strings.Contains(strings.ReplaceAll(script, "$$", ""), "$") {
		t.Fatalf("service %s's script has a single $, which compose would fill from the host's environment: write $$", testsService)
	}
	r := clitest.Run(t, "sh", env, "-c", strings.ReplaceAll(script, "$$", "$"))
	r.WantExit(t, 0)
	if !strings.Contains(r.Stdout, "login: 303") || !strings.Contains(r.Stdout, `"public_certificate"`) {
		t.Errorf("the smoke test printed:\n%s\nwant the certificate and login: 303", r.Stdout)
	}
	f.WantReport(t, clitest.Report{Requests: 2}) // the two calls, no login opened, nothing that broke the spec
}
