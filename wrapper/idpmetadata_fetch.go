package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// ErrInvalidIdPMetadataURL is wrapped when FetchIdPMetadata refuses a URL before any
// request: one that does not parse, is not absolute, carries user info, or is not
// https (plain http is allowed only to loopback hosts). A redirect to such a URL is
// refused with it too, and so is a redirect from https to plain http.
var ErrInvalidIdPMetadataURL = errors.New("invalid idp metadata url")

// IdPMetadataTimeout bounds a FetchIdPMetadata given a nil http.Client: the request,
// redirects and reading the body together.
const IdPMetadataTimeout = 30 * time.Second

// maxMetadataRedirects is how many redirects FetchIdPMetadata follows.
const maxMetadataRedirects = 5

// FetchIdPMetadata GETs the SAML 2.0 metadata an identity provider publishes at
// metadataURL and parses it with ParseIdPMetadata (at most MaxIdPMetadataSize bytes).
//
// metadataURL must be https; plain http is accepted only for loopback hosts
// (localhost, 127.0.0.0/8, ::1), and the same holds for every redirect (at most 5).
// No redirect goes from https to plain http, not even to a loopback host (that would
// be a downgrade, and a way into local services): plain http is for a fetch that
// starts on loopback http and stays there. client may be nil: then a client with
// IdPMetadataTimeout is used. A client without a Transport (nil, or &http.Client{})
// runs on DefaultTransport's bounds (64 KiB of response headers, a header timeout), not
// on net/http's default transport. ctx bounds the whole fetch, body included; give it
// a deadline when client has no Timeout.
//
// Errors: ErrInvalidIdPMetadataURL for a refused URL, ErrInvalidIdPMetadata for a
// status other than 200 or a body that is not usable metadata, and otherwise the
// transport's error (no connection, timeout), with text made safe to show.
func FetchIdPMetadata(ctx context.Context, client *http.Client, metadataURL string) (*IdPMetadata, error) {
	md, err := fetchIdPMetadata(ctx, client, metadataURL)
	return md, redactor{}.error(err) // server text (a status line, an XML name) escaped
}

func fetchIdPMetadata(ctx context.Context, client *http.Client, metadataURL string) (*IdPMetadata, error) {
	u, err := parseMetadataURL(metadataURL)
	if err != nil {
		return nil, err
	}
	hc := http.Client{Timeout: IdPMetadataTimeout}
	if client != nil {
		hc = *client
	}
	if hc.Transport == nil {
		hc.Transport = sharedTransport() // not net/http's default: its headers are unbounded
	}
	callerCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxMetadataRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrInvalidIdPMetadataURL, maxMetadataRedirects)
		}
		where := withoutUserInfo(req.URL.Redacted())
		if err := requireHTTPS(req.URL); err != nil {
			return fmt.Errorf("%w: redirected to %s, which %w", ErrInvalidIdPMetadataURL, where, err)
		}
		if req.URL.Scheme != "https" && slices.ContainsFunc(via, func(r *http.Request) bool { return r.URL.Scheme == "https" }) {
			return fmt.Errorf("%w: redirected from https to plain http (%s): refusing the downgrade", ErrInvalidIdPMetadataURL, where)
		}
		if callerCheck != nil {
			return callerCheck(req, via)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidIdPMetadataURL, err)
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")
	req.Header.Set("User-Agent", userAgent)
	res, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching idp metadata: %w", err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s, not 200 OK", ErrInvalidIdPMetadata, u.Redacted(), res.Status)
	}
	return ParseIdPMetadata(res.Body)
}

// parseMetadataURL checks a metadata URL given to FetchIdPMetadata.
func parseMetadataURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // ue repeats raw, user info included
		}
		return nil, fmt.Errorf("%w: %q does not parse: %w", ErrInvalidIdPMetadataURL, withoutUserInfo(raw), err)
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%w: %q must be absolute, with a scheme and a host, like https://idp.example.com/metadata", ErrInvalidIdPMetadataURL, withoutUserInfo(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %q must not carry user info", ErrInvalidIdPMetadataURL, withoutUserInfo(raw))
	}
	if err := requireHTTPS(u); err != nil {
		return nil, fmt.Errorf("%w: %q %w", ErrInvalidIdPMetadataURL, raw, err)
	}
	return u, nil
}
