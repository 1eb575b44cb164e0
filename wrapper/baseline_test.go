package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// baseline is the floor the benchmarks hold the Client against: what a careful
// engineer writes by hand with net/http and encoding/json for the same two calls,
// doing the same work: the same headers, a client with a timeout that never follows
// redirects, a bounded read, a decode into a struct, the Location resolved and its
// host checked. It has no retries and no typed errors; those cost nothing on the
// success path the benchmarks measure.
type baseline struct {
	hc   *http.Client
	base string // "http://127.0.0.1:port", no trailing slash
	auth string // "Bearer <key>"
}

// newBaseline returns the hand-written client for base with key, on a transport with
// the same settings as the Client's (DefaultTransport) and the same timeout.
func newBaseline(base, key string) *baseline {
	return &baseline{
		hc: &http.Client{
			Transport:     DefaultTransport(),
			Timeout:       defaultClientTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		base: strings.TrimSuffix(base, "/"),
		auth: "Bearer " + key,
	}
}

// do sends method to path with the auth headers and returns the status, the headers
// and the bounded body; the body is closed.
func (b *baseline) do(ctx context.Context, method, path string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", b.auth)
	req.Header.Set("User-Agent", userAgent)
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(body) > maxBodyBytes {
		return nil, nil, errors.New("response body too large")
	}
	return resp, body, nil
}

// getCertificate is GET /v3/sso/certificates/{id}.
func (b *baseline) getCertificate(ctx context.Context, id string) (*Certificate, error) {
	resp, body, err := b.do(ctx, http.MethodGet, "/v3/sso/certificates/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	var m struct {
		ID                int64  `json:"id"`
		PublicCertificate string `json:"public_certificate"`
		NotBefore         int64  `json:"not_before"`
		NotAfter          int64  `json:"not_after"`
		IntergrationID    string `json:"intergration_id"`
		IntegrationID     string `json:"integration_id"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	c := &Certificate{
		ID:                m.ID,
		PublicCertificate: m.PublicCertificate,
		NotBefore:         time.Unix(m.NotBefore, 0),
		NotAfter:          time.Unix(m.NotAfter, 0),
		IntegrationID:     m.IntegrationID,
	}
	if c.IntegrationID == "" {
		c.IntegrationID = m.IntergrationID
	}
	return c, nil
}

// authenticateAccount is POST /v3/partners/accounts/{id}/sso.
func (b *baseline) authenticateAccount(ctx context.Context, id string) (*SSOLogin, error) {
	resp, body, err := b.do(ctx, http.MethodPost, "/v3/partners/accounts/"+url.PathEscape(id)+"/sso")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	arrived := time.Now()
	loc, err := resp.Location()
	if err != nil {
		return nil, errors.New("bad Location")
	}
	if loc.Scheme != resp.Request.URL.Scheme || loc.Host != resp.Request.URL.Host {
		return nil, fmt.Errorf("untrusted login host %q", loc.Host)
	}
	return &SSOLogin{URL: loc, ExpiresAt: arrived.Add(LoginValidity)}, nil
}
