package bench

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

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// baseline is the floor the client is held against: what a careful engineer writes
// by hand with net/http and encoding/json for the same two calls, doing the same
// work: the same headers, a client with the same transport settings and timeout that
// never follows redirects, a bounded read, a decode into a struct, the Location
// resolved and its host checked. It has no retries and no typed errors; those cost
// nothing on the success path measured here.
type baseline struct {
	hc   *http.Client
	base string // "http://127.0.0.1:port", no trailing slash
	auth string // "Bearer <key>"
}

// Same values as the client's.
const (
	maxBodyBytes  = 1 << 20
	clientTimeout = 60 * time.Second
	userAgent     = "sendgrid-sso-go/" + wrapper.Version + " (+https://github.com/sendgrid-sso/sendgrid-sso)"
)

// newBaseline returns the baseline sending to base through tr, a transport with
// wrapper.DefaultTransport's settings.
func newBaseline(base string, tr *http.Transport) *baseline {
	return &baseline{
		hc: &http.Client{
			Transport:     tr,
			Timeout:       clientTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		base: strings.TrimSuffix(base, "/"),
		auth: "Bearer " + key,
	}
}

// do sends method to path with the auth headers and returns the response and its
// bounded body; the body is closed.
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

func (b *baseline) getCertificate(ctx context.Context, id string) (*wrapper.Certificate, error) {
	resp, body, err := b.do(ctx, http.MethodGet, "/v3/sso/certificates/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return decodeCertificate(body)
}

// decodeCertificate is the decode a user of net/http, or of sendgrid-go (which
// hands back the body as a string), writes.
func decodeCertificate(body []byte) (*wrapper.Certificate, error) {
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
	c := &wrapper.Certificate{
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

func (b *baseline) authenticateAccount(ctx context.Context, id string) (*wrapper.SSOLogin, error) {
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
	return &wrapper.SSOLogin{URL: loc, ExpiresAt: arrived.Add(wrapper.LoginValidity)}, nil
}
