package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// The fake as a service: TLS, seeds, addresses off loopback and the environment, each
// run as a process.

// trusting is a client that trusts only the CA certificates of the PEM file caFile and
// does not follow redirects.
func trusting(t *testing.T, caFile string) *http.Client {
	t.Helper()
	b, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no PEM certificate:\n%s", caFile, b)
	}
	return &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// serverCert is the certificate the server at base (https) presents.
func serverCert(t *testing.T, hc *http.Client, base string) *x509.Certificate {
	t.Helper()
	resp, err := hc.Get(base + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 {
		t.Fatalf("%s: no TLS", base)
	}
	return resp.TLS.PeerCertificates[0]
}

// TestFakeTLS: --tls --ca-out serves HTTPS under a CA written before the ready line;
// a client that trusts only that CA gets the certificate and a login URL through
// package wrapper, on https, and opens it (counted); the server certificate names
// localhost, 127.0.0.1, ::1, the host and each --tls-host; the printed "Try it"
// lines work as shown; the CA file holds no key.
func TestFakeTLS(t *testing.T) {
	t.Parallel()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	path := "PATH=" + filepath.Dir(cliBin)
	f := clitest.StartFake(t, bin, []string{path}, "--addr", "127.0.0.1:0", "--tls", "--ca-out", ca, "--tls-host", "fake.test", "--tls-host", "192.0.2.7")
	if !strings.HasPrefix(f.URL, "https://127.0.0.1:") || !strings.HasPrefix(f.TLS, "a CA generated at start, in "+ca+", valid until ") {
		t.Fatalf("URL %q, TLS %q: want https and the CA file", f.URL, f.TLS)
	}
	if _, names, _ := strings.Cut(f.TLS, ", for "); !strings.HasPrefix(names, "localhost, ") || !strings.HasSuffix(names, ", fake.test, 127.0.0.1, ::1, 192.0.2.7") {
		t.Errorf("TLS %q: want the names the certificate is for, localhost first and the --tls-host IP last", f.TLS)
	}
	// Read as soon as the ready line is out: it was written before.
	hc := trusting(t, ca)
	client, err := wrapper.New(f.APIKey, wrapper.WithBaseURL(f.URL), wrapper.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetSSOCertificate(t.Context(), f.CertificateID); err != nil {
		t.Fatal(err)
	}
	login, err := client.AuthenticateAccount(t.Context(), f.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(login.URL.String(), f.URL+"/login?code=") {
		t.Fatalf("login URL %s, want one on %s", login.URL, f.URL)
	}
	resp, err := hc.Get(login.URL.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("opening the login URL: %d", resp.StatusCode)
	}

	leaf := serverCert(t, hc, f.URL)
	hostname, _ := os.Hostname()
	for _, name := range []string{"localhost", "fake.test", hostname} {
		if err := leaf.VerifyHostname(name); err != nil && checkDNSName(name) == nil {
			t.Errorf("the server certificate is not for %s: %v", name, err)
		}
	}
	for _, ip := range []string{"127.0.0.1", "::1", "192.0.2.7"} {
		if err := leaf.VerifyHostname(ip); err != nil {
			t.Errorf("the server certificate is not for %s: %v", ip, err)
		}
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(f.URL, "https://"))
	if _, err := hc.Get("https://localhost:" + port + "/openapi.yaml"); err != nil {
		t.Errorf("https://localhost: %v", err)
	}

	b, err := os.ReadFile(ca)
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(b)
	x, perr := x509.ParseCertificate(block.Bytes)
	if st, _ := os.Stat(ca); perr != nil || !x.IsCA || strings.TrimSpace(string(rest)) != "" || strings.Contains(string(b), "PRIVATE") || st.Mode().Perm() != 0o644 {
		t.Errorf("the CA file: %v, IsCA %v, more after the certificate %q, mode %v; want one CA certificate, no key, 0644", perr, x.IsCA, rest, st.Mode())
	}
	if life := x.NotAfter.Sub(x.NotBefore); life != caValidity+caBackdate || x.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("the CA: %v, %v; want ECDSA, valid %v", x.PublicKeyAlgorithm, life, caValidity+caBackdate)
	}
	// A name outside the CA's constraints cannot be certified by it, even by its key.
	if !slices.Contains(x.PermittedDNSDomains, "fake.test") || !x.PermittedDNSDomainsCritical {
		t.Errorf("the CA's permitted names %v (critical %v), want them to hold fake.test", x.PermittedDNSDomains, x.PermittedDNSDomainsCritical)
	}

	if len(f.Try) != 4 || f.Try[0] != "export SSL_CERT_FILE="+ca {
		t.Fatalf("Try it: %q, want SSL_CERT_FILE first", f.Try)
	}
	runTryIt(t, f, path)
	stderr := f.WantReport(t, clitest.Report{Requests: 4, LoginsOpened: 1})
	if strings.Contains(stderr, "warning") {
		t.Errorf("a fake on loopback warns:\n%s", stderr)
	}
}

// TestFakeOwnCertificate: --tls-cert and --tls-key serve a pair of one's own.
func TestFakeOwnCertificate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := testcert.New(t, testcert.Spec{CN: "own", NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
	keyDER, err := x509.MarshalECPrivateKey(c.Key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, []byte(testcert.PEM(c.X)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(f.URL, "https://") || f.TLS != "the certificate of --tls-cert "+certFile {
		t.Fatalf("URL %q, TLS %q", f.URL, f.TLS)
	}
	if got := serverCert(t, trusting(t, certFile), f.URL); !got.Equal(c.X) {
		t.Errorf("the fake serves %v, want the certificate given", got.Subject)
	}
}

// TestLoadPairSaysWhatIsWrong: --tls-cert and --tls-key with an encrypted key are an
// error that says so; a certificate expired, or not yet valid, at start loads (a test
// may want clients to see it) with a warning that names the file and the date.
func TestLoadPairSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	write := func(name, data string) string {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	pair := func(name string, notBefore, notAfter time.Time) (certFile, keyFile string) {
		c := testcert.New(t, testcert.Spec{CN: name, NotBefore: notBefore, NotAfter: notAfter})
		der, err := x509.MarshalPKCS8PrivateKey(c.Key)
		if err != nil {
			t.Fatal(err)
		}
		return write(name+".pem", testcert.PEM(c.X)), write(name+".key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	}
	current, _ := pair("current", now.Add(-time.Hour), now.Add(time.Hour))
	encrypted := write("encrypted.key", string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("0123456789")})))
	f := tlsFlags{certFile: current, keyFile: encrypted}
	if _, err := f.setUp(now, "", "127.0.0.1"); err == nil || !strings.Contains(err.Error(), "the key is encrypted, and the fake takes no passphrase") {
		t.Errorf("an encrypted key: %v, want an error that says it is encrypted", err)
	}
	for _, tc := range []struct {
		name                string
		notBefore, notAfter time.Time
		want                string
	}{
		{"current", now.Add(-time.Hour), now.Add(time.Hour), ""},
		{"expired", now.Add(-2 * time.Hour), now.Add(-time.Hour), " expired at " + now.Add(-time.Hour).UTC().Format(time.RFC3339) + ": clients will refuse it"},
		{"early", now.Add(time.Hour), now.Add(2 * time.Hour), " is not valid before " + now.Add(time.Hour).UTC().Format(time.RFC3339) + ": clients will refuse it"},
	} {
		certFile, keyFile := pair(tc.name, tc.notBefore, tc.notAfter)
		f := tlsFlags{certFile: certFile, keyFile: keyFile}
		st, err := f.setUp(now, "", "127.0.0.1")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if want := "--tls-cert " + certFile + tc.want; tc.want == "" && st.warning != "" || tc.want != "" && !strings.HasPrefix(st.warning, want) {
			t.Errorf("%s: warning %q, want one starting %q (none when empty)", tc.name, st.warning, tc.want)
		}
	}
}

// TestFakeTLSFlagErrors: TLS flags that do not go together, or files that do not do,
// are usage errors that say what to do.
func TestFakeTLSFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--ca-out", filepath.Join(dir, "ca.pem")}, "--ca-out writes the CA that --tls generates: add --tls"},
		{[]string{"--tls-host", "a.test"}, "--tls-host names the server certificate that --tls generates: add --tls"},
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", "c.pem", "--tls-key", "k.pem", "--ca-out", "ca.pem"}, "--ca-out and --tls-host are for the CA --tls generates"},
		{[]string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", filepath.Join(dir, "none.pem")}, "no such file or directory: give a PEM certificate and the PEM private key"},
		{[]string{"--tls", "--ca-out", filepath.Join(dir, "no", "ca.pem")}, "--ca-out: open " + filepath.Join(dir, "no")},
		{[]string{"--tls", "--tls-host", "bad_name"}, `invalid value "bad_name" for --tls-host: want a host name`},
		{[]string{"--tls=maybe"}, "--tls"},
		{[]string{"--key", "SG.a", "--api-key", "SG.b"}, "--key and --api-key are the same flag"},
	} {
		r := clitest.Run(t, bin, nil, append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...)
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, tc.want)
	}
	if _, err := os.Stat(filepath.Join(dir, "ca.pem")); err == nil {
		t.Error("--ca-out without --tls wrote a file")
	}
}

// TestFakeOffLoopback: any --addr listens; off loopback the fake warns that others
// can reach it, that plain http is refused there (unless --tls) and that the
// published key is accepted (unless another is given); Prefer and the rate limit work
// as on loopback; the URL printed is one this machine can dial.
func TestFakeOffLoopback(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "0.0.0.0:0", "--rate-limit", "2/1h")
	if !strings.HasPrefix(f.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q, want http://127.0.0.1:port for a fake on 0.0.0.0", f.URL)
	}
	method, path, _ := operationPath(t, "GetSsoCertificate")
	for i, want := range []int{403, 200, 429} {
		prefer := ""
		if i == 0 {
			prefer = "code=403"
		}
		if resp, body := call(t, f.URL, f.APIKey, method, path, "", prefer); resp.StatusCode != want {
			t.Errorf("call %d: %d, want %d: %s", i+1, resp.StatusCode, want, body)
		}
	}
	_, stderr := f.Interrupt(t)
	for _, s := range []string{"sendgrid-sso-fake: warning: listening on ", "not on loopback only: other machines can reach the fake", "refuse plain http off loopback: give --tls"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	if strings.Contains(stderr, "published default key") {
		t.Errorf("warns of the published key while serving another:\n%s", stderr)
	}
	if rep, err := clitest.ParseReport(stderr); err != nil || rep != (clitest.Report{Requests: 3}) {
		t.Errorf("report %+v, %v; want 3 requests", rep, err)
	}

	ca := filepath.Join(t.TempDir(), "ca.pem")
	g := clitest.StartFake(t, bin, nil, "--addr", "[::]:0", "--tls", "--ca-out", ca, "--key", defaultAPIKey)
	if !strings.HasPrefix(g.URL, "https://[::1]:") {
		t.Fatalf("URL %q, want https://[::1]:port for a fake on ::", g.URL)
	}
	if resp, body := callVia(t, trusting(t, ca), g.URL, g.APIKey, method, path, "", ""); resp.StatusCode != 200 {
		t.Errorf("over TLS off loopback: %d %s", resp.StatusCode, body)
	}
	_, stderr = g.Interrupt(t)
	if !strings.Contains(stderr, "which accepts the published default key: give --key random") || strings.Contains(stderr, "give --tls") {
		t.Errorf("with --tls and the published key, stderr:\n%s", stderr)
	}
}

// TestFakeSeed: --seed serves the file's integrations, certificates (their validity
// read from the PEM) and accounts, announces what it holds and a certificate and an
// account of its own to try; Prefer and the counts work as without it.
func TestFakeSeed(t *testing.T) {
	t.Parallel()
	a := testcert.New(t, testcert.Spec{CN: "a", NotBefore: time.Unix(1_700_000_000, 0), NotAfter: time.Unix(1_900_000_000, 0)})
	b := testcert.New(t, testcert.Spec{CN: "b", Serial: 9, NotBefore: time.Unix(1_750_000_000, 0), NotAfter: time.Unix(1_850_000_000, 0)})
	file := writeJSON(t, map[string]any{
		"integrations": []any{
			map[string]any{"id": "int-seed", "name": "Okta", "entity_id": "https://idp.example.com/metadata", "enabled": true,
				"certificates": []any{map[string]any{"id": 1001, "public_certificate": testcert.PEM(a.X)}, map[string]any{"id": 1002, "public_certificate": testcert.PEM(b.X)}}},
			map[string]any{"id": "int-two"},
		},
		"accounts": []string{"acct-seed", "acct-two"},
	})
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0", "--seed", file)
	if f.CertificateID != "1001" || f.AccountID != "acct-seed" || f.Seed != file+": 2 integrations, 2 certificates, 2 accounts" {
		t.Fatalf("announced certificate %q, account %q, seed %q", f.CertificateID, f.AccountID, f.Seed)
	}
	resp, body := call(t, f.URL, f.APIKey, "GET", "/v3/sso/certificates/1002", "", "")
	var c map[string]any
	if err := json.Unmarshal([]byte(body), &c); err != nil || resp.StatusCode != 200 ||
		c["not_before"] != float64(b.X.NotBefore.Unix()) || c["not_after"] != float64(b.X.NotAfter.Unix()) || c["intergration_id"] != "int-seed" {
		t.Errorf("certificate 1002: %d %s; want the PEM's validity", resp.StatusCode, body)
	}
	if resp, body := call(t, f.URL, f.APIKey, "POST", "/v3/partners/accounts/acct-two/sso", "", ""); resp.StatusCode != 303 {
		t.Errorf("login for a seeded account: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, f.URL, f.APIKey, "GET", "/v3/sso/integrations/int-two/certificates", "", "code=500"); resp.StatusCode != 500 {
		t.Errorf("Prefer: code=500 with a seed: %d", resp.StatusCode)
	}
	f.WantReport(t, clitest.Report{Requests: 3})

	// A mistake is named by its place, and nothing is served.
	bad := writeJSON(t, map[string]any{"integrations": []any{map[string]any{"id": "i", "certificates": []any{
		map[string]any{"id": 1, "public_certificate": testcert.PEM(a.X)}, map[string]any{"id": 2, "public_certificate": "-----BEGIN CERTIFICATE-----\nAAAA"}}}}})
	r := clitest.Run(t, bin, nil, "--addr", "127.0.0.1:0", "--seed", bad)
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, "--seed "+bad+": integrations[0].certificates[1].public_certificate: not a PEM certificate")
	r = clitest.Run(t, bin, nil, "--seed", file, "--cert-expires-in", "10d")
	r.WantExit(t, cli.ExitUsage)
	r.WantStderr(t, "--cert-expires-in sets the default certificate's not_after, and the --seed file replaces that certificate")
}

// writeJSON writes v as JSON to a file of the test's and returns its path.
func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestFakeEnvironment: every serving flag can come from SENDGRID_SSO_FAKE_*; a flag on
// the command line wins; a bad value is an error naming the variable, never showing
// a key.
func TestFakeEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	seed := writeJSON(t, map[string]any{"accounts": []string{"acct-env"}})
	env := []string{"SENDGRID_SSO_FAKE_ADDR=127.0.0.1:0", "SENDGRID_SSO_FAKE_KEY=SG.env-key", "SENDGRID_SSO_FAKE_SEED=" + seed,
		"SENDGRID_SSO_FAKE_TLS=1", "SENDGRID_SSO_FAKE_TLS_HOSTS=env.test, 192.0.2.9,", "SENDGRID_SSO_FAKE_CA_OUT=" + ca,
		"SENDGRID_SSO_FAKE_RATE_LIMIT=1/1h"}
	f := clitest.StartFake(t, bin, env)
	if !strings.HasPrefix(f.URL, "https://127.0.0.1:") || f.APIKey != "SG.env-key" || f.AccountID != "acct-env" {
		t.Fatalf("from the environment: URL %q, key %q, account %q", f.URL, f.APIKey, f.AccountID)
	}
	hc := trusting(t, ca)
	leaf := serverCert(t, hc, f.URL)
	if leaf.VerifyHostname("env.test") != nil || leaf.VerifyHostname("192.0.2.9") != nil {
		t.Errorf("SENDGRID_SSO_FAKE_TLS_HOSTS: the certificate names %v %v", leaf.DNSNames, leaf.IPAddresses)
	}
	method, path, _ := operationPath(t, "GetSsoCertificate")
	for _, want := range []int{200, 429} {
		if resp, _ := callVia(t, hc, f.URL, f.APIKey, method, path, "", ""); resp.StatusCode != want {
			t.Errorf("SENDGRID_SSO_FAKE_RATE_LIMIT=1/1h: %d, want %d", resp.StatusCode, want)
		}
	}

	// Flags win.
	g := clitest.StartFake(t, bin, []string{"SENDGRID_SSO_FAKE_ADDR=0.0.0.0:0", "SENDGRID_SSO_FAKE_KEY=SG.env-key", "SENDGRID_SSO_FAKE_TLS=true"},
		"--addr", "127.0.0.1:0", "--key", "SG.flag-key", "--tls=false")
	if !strings.HasPrefix(g.URL, "http://127.0.0.1:") || g.APIKey != "SG.flag-key" {
		t.Errorf("flags over the environment: URL %q, key %q", g.URL, g.APIKey)
	}
	_, stderr := g.Interrupt(t)
	if strings.Contains(stderr, "warning") {
		t.Errorf("--addr 127.0.0.1:0 over SENDGRID_SSO_FAKE_ADDR=0.0.0.0:0 warns:\n%s", stderr)
	}
	h := clitest.StartFake(t, bin, []string{"SENDGRID_SSO_FAKE_KEY=SG.env-key", "SENDGRID_SSO_FAKE_ADDR=127.0.0.1:0"}, "--api-key", "SG.old-spelling")
	if h.APIKey != "SG.old-spelling" {
		t.Errorf("--api-key over SENDGRID_SSO_FAKE_KEY: %q", h.APIKey)
	}

	for _, tc := range []struct{ env, want string }{
		{"SENDGRID_SSO_FAKE_TLS=maybe", "SENDGRID_SSO_FAKE_TLS (for --tls): want true or false (or 1 or 0)"},
		{"SENDGRID_SSO_FAKE_RATE_LIMIT=0/1m", "SENDGRID_SSO_FAKE_RATE_LIMIT (for --rate-limit): want N/DURATION"},
		{"SENDGRID_SSO_FAKE_TLS_HOSTS=ok.test,bad_name", "SENDGRID_SSO_FAKE_TLS_HOSTS (for --tls-host): want a host name"},
		{"SENDGRID_SSO_FAKE_KEY=SG.a secret", "SENDGRID_SSO_FAKE_KEY (for --key): want a key of printable ASCII"},
		{"SENDGRID_SSO_FAKE_CERT_EXPIRES_IN=soon", "SENDGRID_SSO_FAKE_CERT_EXPIRES_IN (for --cert-expires-in)"},
		{"SENDGRID_SSO_FAKE_SEED=" + filepath.Join(dir, "none.json"), "SENDGRID_SSO_FAKE_SEED: --seed: open "},
		{"SENDGRID_SSO_FAKE_ADDR=8025", "SENDGRID_SSO_FAKE_ADDR: --addr \"8025\""},
		{"SENDGRID_SSO_FAKE_CA_OUT=" + ca, "SENDGRID_SSO_FAKE_CA_OUT: --ca-out writes the CA that --tls generates: add --tls, or leave out --ca-out (an empty SENDGRID_SSO_FAKE_CA_OUT counts as unset)"},
		{"SENDGRID_SSO_FAKE_TLS_HOSTS=a.test", "SENDGRID_SSO_FAKE_TLS_HOSTS: --tls-host names the server certificate that --tls generates: add --tls, or leave out --tls-host (an empty SENDGRID_SSO_FAKE_TLS_HOSTS counts as unset)"},
	} {
		r := clitest.Run(t, bin, []string{tc.env})
		r.WantExit(t, cli.ExitUsage)
		r.WantStderr(t, tc.want)
		if strings.Contains(r.Stderr, "secret") {
			t.Errorf("%s: the error shows the key:\n%s", tc.env, r.Stderr)
		}
	}
	// demo ignores the environment: it runs its own fake.
	r := clitest.Run(t, bin, env, "demo")
	r.WantExit(t, cli.ExitOK)
}

// TestFakeServesItsSpec: GET /openapi.yaml on the binary serves the document, without
// the key, uncounted.
func TestFakeServesItsSpec(t *testing.T) {
	t.Parallel()
	f := clitest.StartFake(t, bin, nil, "--addr", "127.0.0.1:0")
	u, _ := url.Parse(f.URL + "/openapi.yaml")
	resp, err := noRedirects.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/yaml" {
		t.Errorf("GET /openapi.yaml: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f.WantReport(t, clitest.Report{}) // nothing counted
}
