package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// caValidity is how long the CA that --tls generates, and the server certificate it
// signs, are valid from the fake's start: a week outlasts any test run and a
// docker compose stack left up over a few days, and is short enough that a CA file
// left in a CI workspace or a trust store is soon dead. Its key lives in the
// process's memory only and dies with it, and name constraints hold it to the fake's
// own names, so that a longer life would add no use and a shorter one would stop a
// long-running fake.
const caValidity = 7 * 24 * time.Hour

// caBackdate starts the certificates' validity this long before the fake does, for a
// client whose clock is a little behind (another container, a VM).
const caBackdate = time.Hour

// tlsFlags are --tls, --tls-host, --ca-out, --tls-cert and --tls-key.
type tlsFlags struct {
	on                bool
	hosts             []string // --tls-host, in order
	caOut             string
	certFile, keyFile string
}

// enabled reports whether the fake serves HTTPS: --tls, or a pair of one's own.
func (f *tlsFlags) enabled() bool { return f.on || f.certFile != "" || f.keyFile != "" }

// check refuses flags that do not go together.
func (f *tlsFlags) check() error {
	own := f.certFile != "" || f.keyFile != ""
	switch {
	case own && (f.certFile == "" || f.keyFile == ""):
		return errors.New("--tls-cert and --tls-key go together: give the certificate and its private key, both PEM files")
	case own && (f.caOut != "" || len(f.hosts) > 0):
		return errors.New("--ca-out and --tls-host are for the CA --tls generates, not for --tls-cert and --tls-key: leave them out, or leave out --tls-cert and --tls-key")
	case !f.on && !own && f.caOut != "":
		return errors.New("--ca-out writes the CA that --tls generates: add --tls, or leave out --ca-out (an empty SENDGRID_SSO_FAKE_CA_OUT counts as unset)")
	case !f.on && !own && len(f.hosts) > 0:
		return errors.New("--tls-host names the server certificate that --tls generates: add --tls, or leave out --tls-host (an empty SENDGRID_SSO_FAKE_TLS_HOSTS counts as unset)")
	}
	return nil
}

// servingTLS is the fake's TLS: the configuration, the CA --tls generated (nil for a
// pair of one's own) and the names its server certificate is for, and a warning for
// a pair of one's own that clients will refuse ("" when there is none).
type servingTLS struct {
	config  *tls.Config
	ca      *x509.Certificate
	names   []string // DNS names then IP addresses, as the announcement lists them
	warning string
}

// setUp builds the TLS configuration: it loads the pair given, or generates a CA and
// a server certificate for localhost, 127.0.0.1, ::1, hostname (when it is a DNS
// name), listenHost (the --addr host, unless it listens on every address) and every
// --tls-host, and writes the CA to --ca-out.
func (f *tlsFlags) setUp(now time.Time, hostname, listenHost string) (*servingTLS, error) {
	if f.certFile != "" {
		return f.loadPair(now)
	}
	names := []string{"localhost"}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	add := func(h string) {
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() && !containsIP(ips, ip) {
				ips = append(ips, ip)
			}
			return
		}
		if checkDNSName(h) == nil && !containsFold(names, h) {
			names = append(names, h)
		}
	}
	add(hostname)
	add(listenHost)
	for _, h := range f.hosts {
		add(h)
	}
	ca, leaf, err := newCA(now, names, ips)
	if err != nil {
		return nil, fmt.Errorf("generating the TLS CA: %w", err)
	}
	if f.caOut != "" {
		if err := writeFileAtomic(f.caOut, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})); err != nil {
			return nil, usageError(fmt.Errorf("--ca-out: %w: give a path in a directory you can write", err))
		}
	}
	for _, ip := range ips {
		names = append(names, ip.String())
	}
	return &servingTLS{config: &tls.Config{Certificates: []tls.Certificate{leaf}}, ca: ca, names: names}, nil
}

// loadPair loads --tls-cert and --tls-key. An encrypted key is named as such (the
// fake has no passphrase to give); a certificate outside its validity at now loads,
// for a test of how clients refuse it, with a warning.
func (f *tlsFlags) loadPair(now time.Time) (*servingTLS, error) {
	pair, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
	if err != nil {
		hint := "give a PEM certificate and the PEM private key that goes with it"
		if keyPEM, rerr := os.ReadFile(f.keyFile); rerr == nil && encryptedPEM(keyPEM) {
			hint = "the key is encrypted, and the fake takes no passphrase: give it decrypted, such as openssl pkey -in KEY -out KEY.plain"
		}
		return nil, usageError(fmt.Errorf("--tls-cert %s --tls-key %s: %w: %s", f.certFile, f.keyFile, err, hint))
	}
	st := &servingTLS{config: &tls.Config{Certificates: []tls.Certificate{pair}}}
	if leaf := pair.Leaf; leaf != nil {
		switch {
		case now.After(leaf.NotAfter):
			st.warning = "--tls-cert " + f.certFile + " expired at " + leaf.NotAfter.UTC().Format(time.RFC3339) + ": clients will refuse it; give a current one, or --tls for a generated CA"
		case now.Before(leaf.NotBefore):
			st.warning = "--tls-cert " + f.certFile + " is not valid before " + leaf.NotBefore.UTC().Format(time.RFC3339) + ": clients will refuse it; give a current one, or --tls for a generated CA"
		}
	}
	return st, nil
}

// encryptedPEM reports whether data holds an encrypted private key: PKCS #8's
// ENCRYPTED PRIVATE KEY, or a legacy PEM block with a Proc-Type of ENCRYPTED.
func encryptedPEM(data []byte) bool {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return false
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return true
		}
	}
}

// newCA generates an ECDSA P-256 CA, valid for caValidity from now and constrained to
// names and ips, and a server certificate for them that it signs. The CA's key is
// dropped when newCA returns: it is never written anywhere.
func newCA(now time.Time, names []string, ips []net.IP) (*x509.Certificate, tls.Certificate, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	notBefore, notAfter := now.Add(-caBackdate).Truncate(time.Second), now.Add(caValidity).Truncate(time.Second)
	var ranges []*net.IPNet
	for _, ip := range ips {
		bits := 8 * len(ip)
		if ip4 := ip.To4(); ip4 != nil {
			ip, bits = ip4, 32
		}
		ranges = append(ranges, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
	}
	caTmpl := &x509.Certificate{
		SerialNumber:                serial(),
		Subject:                     pkix.Name{CommonName: name + " CA " + now.UTC().Format(time.RFC3339)},
		NotBefore:                   notBefore,
		NotAfter:                    notAfter,
		IsCA:                        true,
		BasicConstraintsValid:       true,
		MaxPathLenZero:              true,
		KeyUsage:                    x509.KeyUsageCertSign,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         names,
		PermittedIPRanges:           ranges,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     names,
		IPAddresses:  ips,
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	return ca, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, nil
}

// serial is a random 128-bit serial number.
func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	return n
}

// writeFileAtomic writes data to file by way of a temporary file in its directory,
// renamed over it, so that a reader sees the whole file or none, mode 0644 (a CA
// certificate is public).
func writeFileAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// hostsFlag is --tls-host NAME, repeatable: a DNS name or an IP literal.
type hostsFlag struct{ hosts *[]string }

// String is the names given, comma-separated.
func (f hostsFlag) String() string {
	if f.hosts == nil {
		return ""
	}
	return strings.Join(*f.hosts, ",")
}

// Set adds a host name or an IP literal.
func (f hostsFlag) Set(s string) error {
	if net.ParseIP(s) == nil {
		if err := checkDNSName(s); err != nil {
			return err
		}
	}
	*f.hosts = append(*f.hosts, s)
	return nil
}

// checkDNSName accepts a host name a certificate can carry: dot-separated labels of
// letters, digits and hyphens, 1 to 63 bytes each, at most 253 in all.
func checkDNSName(s string) error {
	bad := s == "" || len(s) > 253
	for _, label := range strings.Split(s, ".") {
		bad = bad || label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.IndexFunc(label, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
			}) >= 0
	}
	if bad {
		return errors.New("want a host name (letters, digits, hyphens and dots, such as fake.internal) or an IP address")
	}
	return nil
}

// boolFlag is a boolean flag whose errors say what it takes, from the command line
// (--tls, --tls=false) or the environment (true, false, 1, 0).
type boolFlag struct{ on *bool }

// String is "true" or "false".
func (f boolFlag) String() string { return strconv.FormatBool(f.on != nil && *f.on) }

// Set takes what strconv.ParseBool does: true, false, 1, 0 and their cases.
func (f boolFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false (or 1 or 0)")
	}
	*f.on = v
	return nil
}

// IsBoolFlag lets --tls go without a value.
func (f boolFlag) IsBoolFlag() bool { return true }

func containsIP(ips []net.IP, ip net.IP) bool {
	for _, o := range ips {
		if o.Equal(ip) {
			return true
		}
	}
	return false
}

func containsFold(names []string, s string) bool {
	for _, n := range names {
		if strings.EqualFold(n, s) {
			return true
		}
	}
	return false
}
