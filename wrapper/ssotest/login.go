package ssotest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// loginPath is where the fake's login URLs point.
const loginPath = "/login"

// codeValidity is how long a minted login code can be used, as with SendGrid.
const codeValidity = 60 * time.Second

// codes holds the one-time codes minted and not yet spent, with their expiry. Expired
// codes are swept when the map has doubled since the last sweep, so that minting stays
// O(1) amortised however many codes are live.
type codes struct {
	expiry  map[string]time.Time
	sweepAt int
}

// mint makes a new one-time code, valid for codeValidity.
func (s *Server) mint() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	code := hex.EncodeToString(b)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.codes
	if c.expiry == nil {
		c.expiry = map[string]time.Time{}
	}
	if len(c.expiry) >= c.sweepAt {
		for k, exp := range c.expiry {
			if !now.Before(exp) {
				delete(c.expiry, k)
			}
		}
		c.sweepAt = max(64, 2*len(c.expiry))
	}
	c.expiry[code] = now.Add(codeValidity)
	return code
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

// loginURL is the fake's login URL for code on host, which checkHost accepted.
func loginURL(host, code string) string {
	u := url.URL{Scheme: "http", Host: host, Path: loginPath, RawQuery: url.Values{"code": {code}}.Encode()}
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
		ok = isURI(loginURL(host, "x"))
	}
	if !ok {
		return fmt.Errorf("%w: the Host header %.64q does not make an absolute URL for the login page: send the host and port the fake listens on, such as 127.0.0.1:8025", errCannotServe, host)
	}
	return nil
}
