package bench

import (
	"context"
	"fmt"
	"net/http"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
)

// sdk is GET /v3/sso/certificates/{id} through sendgrid-go v3 as its README shows
// it, plus what the SDK leaves to its user: the status check and the decode. The
// request template is built once, not per call as the README does, which favours
// the SDK. The SDK has no call for the partner SSO login, so it takes part in the
// GET only.
type sdk struct {
	req    rest.Request
	client *rest.Client
}

// newSDK returns the SDK sending to host through client: sendgrid.DefaultClient
// (net/http's defaults), or one with its own transport where the server needs it.
func newSDK(host string, client *rest.Client) *sdk {
	req := sendgrid.GetRequest(key, "", host)
	req.Method = rest.Get
	return &sdk{req: req, client: client}
}

func (s *sdk) getCertificate(ctx context.Context, id string) (*wrapper.Certificate, error) {
	req := s.req
	req.BaseURL += "/v3/sso/certificates/" + id
	// What sendgrid.MakeRequestWithContext does with sendgrid.DefaultClient.
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, resp.Body)
	}
	return decodeCertificate([]byte(resp.Body))
}
