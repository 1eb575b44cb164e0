package idpmetadata

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/internal/outbound"
	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// ErrInvalidURL is wrapped when Fetch refuses a URL before any request: one that does
// not parse, is not absolute, carries user info, or is not https (plain http is
// allowed only to loopback hosts). A redirect to such a URL is refused with it too,
// and so is a redirect from https to plain http.
var ErrInvalidURL = errors.New("invalid idp metadata url")

// FetchTimeout bounds a Fetch given a nil http.Client: the request, redirects and
// reading the body together.
const FetchTimeout = 30 * time.Second

// maxRedirects is how many redirects Fetch follows.
const maxRedirects = 5

// Fetch GETs the SAML 2.0 metadata an identity provider publishes at metadataURL and
// parses it with Parse (at most MaxSize bytes).
//
// metadataURL must be https; plain http is accepted only for loopback hosts
// (localhost, 127.0.0.0/8, ::1), and the same holds for every redirect (at most 5).
// No redirect goes from https to plain http, not even to a loopback host (that would
// be a downgrade, and a way into local services): plain http is for a fetch that
// starts on loopback http and stays there. client may be nil: then a client with
// FetchTimeout is used. A client without a Transport (nil, or &http.Client{}) runs on
// the module's bounded transport (wrapper.DefaultTransport's: 64 KiB of response
// headers, a header timeout), not on net/http's default transport. ctx bounds the
// whole fetch, body included; give it a deadline when client has no Timeout.
//
// Errors: ErrInvalidURL for a refused URL, ErrInvalid for a status other than 200 or
// a body that is not usable metadata, and otherwise the transport's error (no
// connection, timeout). Their text is safe to show: URL queries are hidden, and what
// the server sent (a status line, an XML name) is escaped.
func Fetch(ctx context.Context, client *http.Client, metadataURL string) (*Metadata, error) {
	md, err := fetch(ctx, client, metadataURL)
	return md, redact.Error(err) // no secret of its own: queries hidden, server text escaped
}

func fetch(ctx context.Context, client *http.Client, metadataURL string) (*Metadata, error) {
	u, err := parseURL(metadataURL)
	if err != nil {
		return nil, err
	}
	hc := http.Client{Timeout: FetchTimeout}
	if client != nil {
		hc = *client
	}
	if hc.Transport == nil {
		hc.Transport = outbound.SharedTransport() // not net/http's default: its headers are unbounded
	}
	callerCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrInvalidURL, maxRedirects)
		}
		where := redact.UserInfo(req.URL.Redacted())
		if err := outbound.RequireHTTPS(req.URL); err != nil {
			return fmt.Errorf("%w: redirected to %s, which %w", ErrInvalidURL, where, err)
		}
		if req.URL.Scheme != "https" && slices.ContainsFunc(via, func(r *http.Request) bool { return r.URL.Scheme == "https" }) {
			return fmt.Errorf("%w: redirected from https to plain http (%s): refusing the downgrade", ErrInvalidURL, where)
		}
		if callerCheck != nil {
			return callerCheck(req, via)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")
	req.Header.Set("User-Agent", outbound.UserAgent)
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching idp metadata: %w", err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s, not 200 OK", ErrInvalid, u.Redacted(), res.Status)
	}
	return Parse(res.Body)
}

// parseURL checks a metadata URL given to Fetch.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // ue repeats raw, user info included
		}
		return nil, fmt.Errorf("%w: %q does not parse: %w", ErrInvalidURL, redact.UserInfo(raw), err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%w: %q must be absolute, with a scheme and a host, like https://idp.example.com/metadata", ErrInvalidURL, redact.UserInfo(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %q must not carry user info", ErrInvalidURL, redact.UserInfo(raw))
	}
	if err := outbound.RequireHTTPS(u); err != nil {
		return nil, fmt.Errorf("%w: %q %w", ErrInvalidURL, raw, err)
	}
	return u, nil
}
