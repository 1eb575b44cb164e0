package container

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// dockerfile is the image's Dockerfile, from this package's directory.
const dockerfile = "../../deploy/Dockerfile"

// The image's environment variables this package reads.
const (
	envAddr     = "SENDGRID_SSO_FAKE_ADDR"
	envKey      = "SENDGRID_SSO_FAKE_KEY"
	envTLS      = "SENDGRID_SSO_FAKE_TLS"
	envTLSHosts = "SENDGRID_SSO_FAKE_TLS_HOSTS"
	envCAOut    = "SENDGRID_SSO_FAKE_CA_OUT"
)

// fakePkg is the command the image runs.
const fakePkg = "github.com/sendgrid-sso/sendgrid-sso/cmd/sendgrid-sso-fake"

// readImage parses deploy/Dockerfile.
func readImage(t *testing.T) *Image {
	t.Helper()
	src, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	im, err := ParseImage(string(src))
	if err != nil {
		t.Fatalf("%s: %v", dockerfile, err)
	}
	return im
}

// promises is what the image says about itself, checked: the fake binary as the entry
// point, a numeric user that is not root, listening on every interface of the
// container at the port it exposes, over TLS, writing its CA into its volume. It
// returns the port, the volume and the CA's path in it.
func promises(t *testing.T, im *Image) (port, volume, ca string) {
	t.Helper()
	if !slices.Equal(im.Entrypoint, []string{"/sendgrid-sso-fake"}) {
		t.Errorf("ENTRYPOINT %q, want [\"/sendgrid-sso-fake\"] (the binary itself: the image has no shell)", im.Entrypoint)
	}
	uid, _, _ := strings.Cut(im.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %q, want a numeric user other than root (a name needs /etc/passwd, which scratch lacks)", im.User)
	}
	addr, _ := im.Getenv(envAddr)
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "0.0.0.0" {
		t.Fatalf("ENV %s=%q, want 0.0.0.0:PORT: in a container, loopback is reachable from nowhere else", envAddr, addr)
	}
	if !slices.Contains(im.Expose, port) && !slices.Contains(im.Expose, port+"/tcp") {
		t.Errorf("EXPOSE %q lacks the port the fake listens on, %s", im.Expose, port)
	}
	if v, _ := im.Getenv(envTLS); v != "true" {
		t.Errorf("ENV %s=%q, want true: clients refuse plain http off loopback, and a container is off loopback", envTLS, v)
	}
	ca, _ = im.Getenv(envCAOut)
	for _, v := range im.Volumes {
		if strings.HasPrefix(ca, strings.TrimSuffix(v, "/")+"/") {
			volume = v
		}
	}
	if volume == "" {
		t.Fatalf("ENV %s=%q is in none of the VOLUMEs %q: another container could not read the CA", envCAOut, ca, im.Volumes)
	}
	return port, volume, ca
}

// The image's metadata says what it is, under the OCI's label names.
func TestImageLabels(t *testing.T) {
	im := readImage(t)
	for _, l := range []string{"title", "description", "source", "licenses", "version", "revision"} {
		if _, ok := im.Labels["org.opencontainers.image."+l]; !ok {
			t.Errorf("no LABEL org.opencontainers.image.%s", l)
		}
	}
	if im.Labels["org.opencontainers.image.licenses"] != "MIT" {
		t.Errorf("licenses label %q, want MIT (LICENSE)", im.Labels["org.opencontainers.image.licenses"])
	}
}

// The binary the image runs, run as `docker run -p 0:PORT -v DIR:/ca -e
// SENDGRID_SSO_FAKE_KEY=... IMAGE` would run it (ENTRYPOINT, CMD and ENV read from
// deploy/Dockerfile; the volume a temporary directory, the port a free one), serves
// HTTPS only, with a server certificate for localhost signed by the CA it wrote into
// the volume, and serves the API document without the key.
func TestImageServesTLS(t *testing.T) {
	im := readImage(t)
	key := clitest.NewKey()
	f, caFile := runImage(t, im, envKey+"="+key)
	if f.APIKey != key {
		t.Errorf("the fake announced key %q, not the %s it was given", f.APIKey, envKey)
	}
	u, err := url.Parse(f.URL)
	if err != nil || u.Scheme != "https" {
		t.Fatalf("the fake's URL %q, want https", f.URL)
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatalf("the CA is not where %s puts it, in the volume: %v", envCAOut, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatalf("%s holds no PEM certificate:\n%s", caFile, caPEM)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	base := "https://localhost:" + u.Port()

	// The API document, without the key.
	resp, err := hc.Get(base + "/openapi.yaml")
	if err != nil {
		t.Fatalf("GET /openapi.yaml over TLS with the volume's CA: %v", err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(doc), "openapi: ") {
		t.Errorf("GET /openapi.yaml: %d %.40q, want 200 and the document", resp.StatusCode, doc)
	}
	// Plain HTTP is refused.
	if resp, err := http.Get("http://localhost:" + u.Port() + "/openapi.yaml"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain http: %d, want 400 (an HTTPS server)", resp.StatusCode)
		}
	}
	// This module's client, trusting the CA and nothing else.
	c, err := wrapper.New(key, wrapper.WithBaseURL(base), wrapper.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSSOCertificate(t.Context(), strconv.Itoa(ssotest.DefaultCertificateID)); err != nil {
		t.Errorf("GetSSOCertificate: %v", err)
	}
	login, err := c.AuthenticateAccount(t.Context(), ssotest.DefaultAccountID)
	if err != nil {
		t.Fatalf("AuthenticateAccount: %v", err)
	}
	if login.URL.Scheme != "https" || path.Base(login.URL.Path) != "login" {
		t.Errorf("login URL %s://…%s, want https on the fake's /login", login.URL.Scheme, login.URL.Path)
	}
	f.WantReport(t, clitest.Report{Requests: 2}) // the two calls, no login opened, nothing that broke the spec
}

// runImage runs the binary the image runs as `docker run -p 0:PORT -v DIR:VOLUME -e
// ENV... IMAGE` would: the ENTRYPOINT, CMD and ENV of im, the volume a temporary
// directory and the exposed port a free one, plus the variables env (as -e gives them).
// It returns the fake and where its CA is on this machine.
func runImage(t *testing.T, im *Image, env ...string) (f *clitest.Fake, caFile string) {
	t.Helper()
	port, volume, ca := promises(t, im)
	dir := t.TempDir()
	addr, _ := im.Getenv(envAddr)
	docker := func(s string) string { // what the container's mounts and port mapping do
		if s == envAddr+"="+addr {
			return envAddr + "=" + strings.TrimSuffix(addr, port) + "0"
		}
		return strings.ReplaceAll(s, volume+"/", dir+"/")
	}
	env = slices.Clone(env)
	for _, kv := range im.Env {
		env = append(env, docker(kv))
	}
	var args []string
	for _, a := range append(slices.Clone(im.Entrypoint[1:]), im.Cmd...) {
		args = append(args, docker(a))
	}
	t.Setenv("CGO_ENABLED", "0") // as make dist builds it: static
	bin := clitest.Build(t, fakePkg, "-trimpath")
	return clitest.StartFake(t, bin, env, args...), docker(ca)
}
