package ssotest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

// loginPath is where the fake's login URLs point.
const loginPath = "/login"

// codeValidity is how long a minted login code can be used, as with SendGrid.
const codeValidity = 60 * time.Second

// maxCodes bounds how many unspent codes the fake keeps: minting one more forgets the
// oldest, as if it had expired early. A test that mints more than this within a
// code's 60 seconds finds its first codes refused.
const maxCodes = 4096

// codes holds the one-time codes minted, unspent and unexpired, at most maxCodes:
// each code's expiry by code, and the codes in the order they were minted, which is
// the order they expire in (every code is valid for codeValidity). Minting forgets
// the expired codes at the front of the queue, then the oldest if the fake holds
// maxCodes: O(1) amortised, and bounded whatever the rate of minting.
type codes struct {
	expiry map[string]time.Time
	queue  []string // oldest first; may hold spent codes, which expiry no longer has
}

// mint makes a new one-time code, valid for codeValidity.
func (s *Server) mint() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	code := hex.EncodeToString(b)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes.add(code, now)
	return code
}

// add keeps code, valid from now for codeValidity.
func (c *codes) add(code string, now time.Time) {
	if c.expiry == nil {
		c.expiry = map[string]time.Time{}
	}
	for len(c.queue) > 0 {
		oldest := c.queue[0]
		exp, live := c.expiry[oldest]
		if live && now.Before(exp) && len(c.queue) < maxCodes {
			break
		}
		delete(c.expiry, oldest)
		c.queue[0] = ""
		c.queue = c.queue[1:]
	}
	c.expiry[code] = now.Add(codeValidity)
	c.queue = append(c.queue, code)
}

// redeem spends code and reports whether it was one the fake minted, unspent and
// unexpired.
func (s *Server) redeem(code string) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.codes.expiry[code]
	delete(s.codes.expiry, code)
	return ok && now.Before(exp)
}

// serveLogin spends a code, as app.sendgrid.com would: once, within 60 seconds. Only a
// redemption counts as a login followed.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	if !s.redeem(r.URL.Query().Get("code")) {
		http.Error(w, "this login code is unknown, spent or expired", http.StatusForbidden)
		return
	}
	s.follows.Add(1)
	_, _ = w.Write([]byte("logged in\n"))
}

// loginURL is the fake's login URL for code on host, which checkHost accepted, with
// the scheme the request came in on: https when it came over TLS (WithTLS).
func loginURL(r *http.Request, code string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return loginURLOn(scheme, r.Host, code)
}

// loginURLOn is the login URL for code at scheme://host.
func loginURLOn(scheme, host, code string) string {
	u := url.URL{Scheme: scheme, Host: host, Path: loginPath, RawQuery: url.Values{"code": {code}}.Encode()}
	return u.String()
}

// checkHost accepts a Host header that makes an absolute URI of the fake's login URL:
// a host name or IP literal and an optional port in 1–65535, nothing else.
func checkHost(host string) error {
	u, err := url.Parse("http://" + host + "/")
	ok := host != "" && err == nil && u.Host == host && u.User == nil && u.Path == "/" &&
		u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" && u.Hostname() != ""
	if ok && u.Port() != "" {
		port, err := strconv.Atoi(u.Port())
		ok = err == nil && port >= 1 && port <= 65535
	}
	if ok {
		ok = contract.CheckURI(loginURLOn("https", host, "x")) == nil
	}
	if !ok {
		return fmt.Errorf("%w: the Host header %.64q does not make an absolute URL for the login page: send the host and port the fake listens on, such as 127.0.0.1:8025", errCannotServe, host)
	}
	return nil
}
