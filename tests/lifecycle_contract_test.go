package tests

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// lifecycleOp is one of the certificate lifecycle's operations, as the scenarios call
// it through the client.
type lifecycleOp struct {
	name string // the spec's operationId
	// call makes one call of the operation with the default integration.
	call func(ctx context.Context, c *wrapper.Client) error
	// retried: the client retries a 5xx (a GET), or sends the call once (a POST).
	retried bool
	// badRequest drives the fake into a 400 of its own making, answered with msg; nil:
	// a queued 400 fault.
	badRequest func(ctx context.Context, c *wrapper.Client) error
	msg        string
}

// defaultCertificate is the fake's default certificate, parsed.
func defaultCertificate() *x509.Certificate {
	block, _ := pem.Decode([]byte(ssotest.DefaultCertificate().PublicCertificate))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic(err) // the fake's own embedded certificate
	}
	return cert
}

var lifecycleOps = []lifecycleOp{
	{name: "ListSsoIntegration", retried: true, call: func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListSSOIntegrations(ctx)
		return err
	}},
	{name: "ListSsoIntegrationCertificate", retried: true, call: func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListSSOCertificates(ctx, ssotest.DefaultIntegrationID)
		return err
	}, badRequest: func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.ListSSOCertificates(ctx, "no-such-integration")
		return err
	}, msg: "invalid integration id"},
	{name: "CreateSsoCertificate", call: func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.CreateSSOCertificate(ctx, ssotest.DefaultIntegrationID, defaultCertificate())
		return err
	}, badRequest: func(ctx context.Context, c *wrapper.Client) error {
		_, err := c.CreateSSOCertificate(ctx, "no-such-integration", defaultCertificate())
		return err
	}, msg: "invalid integration id"},
}

// lifecycleScenarios are the error scenarios of lifecycleOps: every declared status
// but 200, whose scenarios (below) check what the client read.
func lifecycleScenarios() []scenario {
	var out []scenario
	for _, op := range lifecycleOps {
		out = append(out,
			scenario{op.name + " 400", func(ctx context.Context, w *world) error {
				if op.badRequest == nil {
					w.srv.FailNext(1, ssotest.Fault{Status: 400})
					return wantAPIError(op.call(ctx, w.client(w.srv.APIKey)), 400, nil, "Bad Request")
				}
				return wantAPIError(op.badRequest(ctx, w.client(w.srv.APIKey)), 400, nil, op.msg)
			}},
			scenario{op.name + " 401", func(ctx context.Context, w *world) error {
				return wantAPIError(op.call(ctx, w.client("SG.wrong-key")), 401, wrapper.ErrUnauthorized, "Failed to authenticate user")
			}},
			scenario{op.name + " 403", func(ctx context.Context, w *world) error {
				w.srv.FailNext(1, ssotest.Fault{Status: 403})
				return wantAPIError(op.call(ctx, w.client(w.srv.APIKey)), 403, wrapper.ErrForbidden, "Forbidden")
			}},
			scenario{op.name + " 429", func(ctx context.Context, w *world) error {
				// Retried, GET and POST alike: the API did nothing.
				w.srv.FailNext(1, ssotest.Fault{Status: 429, RetryAfter: time.Second})
				if err := wantAttempts(w, 2, func() error { return op.call(ctx, w.client(w.srv.APIKey)) }); err != nil {
					return fmt.Errorf("after one 429: %w", err)
				}
				w.srv.FailNext(1, ssotest.Fault{Status: 429})
				return wantAPIError(op.call(ctx, w.client(w.srv.APIKey, wrapper.WithMaxRetries(0))), 429, wrapper.ErrRateLimited, "Too Many Requests")
			}},
			scenario{op.name + " 500", func(ctx context.Context, w *world) error {
				// A GET is retried; a POST is sent once: it may have created the certificate.
				attempts := 1
				if op.retried {
					attempts = 3
				}
				w.srv.FailNext(attempts, ssotest.Fault{Status: 500})
				return wantAttempts(w, attempts, func() error {
					return wantAPIError(op.call(ctx, w.client(w.srv.APIKey, wrapper.WithMaxRetries(2))), 500, wrapper.ErrServer, "Internal Server Error")
				})
			}},
		)
	}
	return out
}

// lifecycleSuccesses are the 200 scenarios of lifecycleOps.
var lifecycleSuccesses = []scenario{
	{"ListSsoIntegration 200", func(ctx context.Context, w *world) error {
		got, err := w.client(w.srv.APIKey).ListSSOIntegrations(ctx)
		if err != nil {
			return err
		}
		want := ssotest.DefaultIntegration()
		if len(got) != 1 {
			return fmt.Errorf("got %d integrations, want 1", len(got))
		}
		g := got[0]
		if g.ID != want.ID || g.Name != want.Name || g.Enabled != want.Enabled || g.EntityID != want.EntityID ||
			g.SigninURL != want.SigninURL || g.SignoutURL != want.SignoutURL || g.Completed != want.Completed ||
			!g.LastUpdated.Equal(want.LastUpdated) || g.SingleSignOnURL != want.SingleSignonURL || g.AudienceURL != want.AudienceURL {
			return fmt.Errorf("got integration %+v, want %+v", g, want)
		}
		return nil
	}},
	{"ListSsoIntegrationCertificate 200", func(ctx context.Context, w *world) error {
		got, err := w.client(w.srv.APIKey).ListSSOCertificates(ctx, ssotest.DefaultIntegrationID)
		if err != nil {
			return err
		}
		want := ssotest.DefaultCertificate()
		if len(got) != 1 || got[0].ID != want.ID || got[0].IntegrationID != want.IntegrationID ||
			!got[0].NotAfter.Equal(want.NotAfter) || !got[0].NotBefore.Equal(want.NotBefore) {
			return fmt.Errorf("got certificates %+v, want [%+v]", got, want)
		}
		return nil
	}},
	{"CreateSsoCertificate 200", func(ctx context.Context, w *world) error {
		c := w.client(w.srv.APIKey)
		parsed := defaultCertificate()
		created, err := c.CreateSSOCertificate(ctx, ssotest.DefaultIntegrationID, parsed)
		if err != nil {
			return err
		}
		if created.ID == ssotest.DefaultCertificateID || created.IntegrationID != ssotest.DefaultIntegrationID ||
			!created.NotAfter.Equal(parsed.NotAfter) {
			return fmt.Errorf("created %+v, want a new certificate of %s valid until %v", created, ssotest.DefaultIntegrationID, parsed.NotAfter)
		}
		got, err := c.GetSSOCertificate(ctx, fmt.Sprint(created.ID))
		if err != nil || got.ID != created.ID {
			return fmt.Errorf("GetSSOCertificate of the new certificate: %+v, %w", got, err)
		}
		return nil
	}},
}

func init() {
	scenarios = append(scenarios, lifecycleSuccesses...)
	scenarios = append(scenarios, lifecycleScenarios()...)
}
