// Package inventory reads every SSO integration of an account and the certificates
// of each, and judges them against the IdP's metadata: the read of sendgrid-sso cert
// --all and of each refresh of sendgrid-sso-exporter, one function for both (Read).
// The checks themselves live in internal/check; this package only gathers what they
// judge, with bounded concurrency. A 429 waits as the client's retry policy says.
package inventory

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/check"
	"github.com/sendgrid-sso/sendgrid-sso/internal/metrics"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// MaxConcurrent bounds how many API calls Read, and Bounded's callers, have in
// flight at a time.
const MaxConcurrent = 4

// Bounds of one Read, so that a server (or anything answering on the API's address)
// cannot make a read, or the exporter's every refresh, cost unbounded calls, memory
// or series: each response body is at most 1 MiB, but one list of a million empty
// integrations would otherwise be a million calls, each keeping up to 1 MiB. An
// account holds a handful of SSO integrations; these are far above any real one.
const (
	// MaxIntegrations is the most integrations Read reads the certificates of: a
	// longer list is an error, and no certificate is listed.
	MaxIntegrations = 1000
	// MaxCertificates is the most certificates, over all integrations, Read returns:
	// more is an error.
	MaxCertificates = 10000
)

// Lister is the part of *wrapper.Client that Read calls.
type Lister interface {
	ListSSOIntegrations(ctx context.Context) ([]wrapper.Integration, error)
	ListSSOCertificates(ctx context.Context, integrationID string) ([]wrapper.Certificate, error)
}

// Call runs one API call, call, as its caller wants it run: sendgrid-sso bounds each
// by --timeout; nil runs it as it is (the exporter bounds the whole refresh instead).
type Call func(ctx context.Context, call func(context.Context) error) error

// Integration is one integration of the account with its certificates, or the error
// that listing them gave.
type Integration struct {
	wrapper.Integration
	// Certificates are the integration's certificates, in the API's order.
	Certificates []wrapper.Certificate
	// Err is why its certificates could not be listed (then there are none).
	Err error
}

// Read lists the integrations, then the certificates of each, at most MaxConcurrent
// lists at a time, each through run. It returns the integrations in the API's order;
// one whose certificates could not be listed carries the error (Integration.Err). An
// error listing the integrations is returned, wrapped, and so is a read past
// MaxIntegrations or MaxCertificates.
func Read(ctx context.Context, c Lister, run Call) ([]Integration, error) {
	if run == nil {
		run = func(ctx context.Context, call func(context.Context) error) error { return call(ctx) }
	}
	var list []wrapper.Integration
	err := run(ctx, func(ctx context.Context) (err error) {
		list, err = c.ListSSOIntegrations(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing the integrations: %w", err)
	}
	if len(list) > MaxIntegrations {
		return nil, tooMany(len(list), MaxIntegrations, "integrations")
	}
	out := make([]Integration, len(list))
	Bounded(len(list), func(i int) {
		out[i].Integration = list[i]
		out[i].Err = run(ctx, func(ctx context.Context) (err error) {
			out[i].Certificates, err = c.ListSSOCertificates(ctx, list[i].ID)
			return err
		})
	})
	n := 0
	for i := range out {
		n += len(out[i].Certificates)
	}
	if n > MaxCertificates {
		return nil, tooMany(n, MaxCertificates, "certificates")
	}
	return out, nil
}

// tooMany is the error of a read past one of its bounds: n things, more than most.
func tooMany(n, most int, things string) error {
	return fmt.Errorf("the API lists %d %s, more than the %d read at most (an account holds a handful): check that --base-url, if given, is SendGrid's API", n, things, most)
}

// Bounded runs do(0) ... do(n-1), at most MaxConcurrent at a time, and returns when
// all have returned.
func Bounded(n int, do func(i int)) {
	slots := make(chan struct{}, MaxConcurrent)
	var wg sync.WaitGroup
	for i := range n {
		slots <- struct{}{} // before the goroutine starts: at most the limit exist
		wg.Go(func() {
			defer func() { <-slots }()
			do(i)
		})
	}
	wg.Wait()
}

// ParsedCerts returns the certificates of list that parse: one that does not cannot
// match any of the IdP's.
func ParsedCerts(list []wrapper.Certificate) []*x509.Certificate {
	var xs []*x509.Certificate
	for _, c := range list {
		if x, err := c.X509(); err == nil {
			xs = append(xs, x)
		}
	}
	return xs
}

// Judge picks the entity of md that an integration holding held is judged against
// (check.ChooseEntity with entityID) and plans its rollover (check.PlanRollover). The
// error is ChooseEntity's.
func Judge(md *idpmetadata.Metadata, entityID string, held []wrapper.Certificate) (idpmetadata.Entity, check.Rollover, error) {
	e, err := check.ChooseEntity(md, entityID)
	if err != nil {
		return e, check.Rollover{}, err
	}
	return e, check.PlanRollover(e, ParsedCerts(held)), nil
}

// EntityOf is the entity ID in's certificates are judged against: entityID when
// given (chosen by hand), else the integration's own.
func EntityOf(in *wrapper.Integration, entityID string) string {
	if entityID != "" {
		return entityID
	}
	return in.EntityID
}

// RolloverPending is the rollover pending of each integration, in the API's order,
// as of now, judged against its entity (EntityOf with entityID); an integration
// whose certificates could not be listed, or whose entity md lacks, has none.
func RolloverPending(md *idpmetadata.Metadata, integrations []Integration, entityID string, now time.Time) []metrics.RolloverPending {
	var out []metrics.RolloverPending
	for i := range integrations {
		in := &integrations[i]
		if in.Err != nil {
			continue
		}
		if _, plan, err := Judge(md, EntityOf(&in.Integration, entityID), in.Certificates); err == nil {
			out = append(out, metrics.RolloverPending{IntegrationID: in.ID, N: plan.Pending(now)})
		}
	}
	return out
}
