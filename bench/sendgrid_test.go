package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
)

const key = "SG.bench-key"

// newServer starts a loopback server that answers every request with the default
// certificate, from bytes built once, as package wrapper's benchmark server does.
func newServer(b *testing.B) *httptest.Server {
	cert := ssotest.DefaultCertificate()
	body, err := json.Marshal(map[string]any{
		"public_certificate": cert.PublicCertificate,
		"id":                 cert.ID,
		"not_before":         cert.NotBefore.Unix(),
		"not_after":          cert.NotAfter.Unix(),
		"intergration_id":    cert.IntegrationID,
	})
	if err != nil {
		b.Fatal(err)
	}
	headers := http.Header{
		"Content-Type":          {"application/json"},
		"X-Ratelimit-Limit":     {"600"},
		"X-Ratelimit-Remaining": {"599"},
		"X-Ratelimit-Reset":     {strconv.FormatInt(cert.NotAfter.Unix(), 10)},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		for k, v := range headers {
			w.Header()[k] = v
		}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// sdkCertificate is GET /v3/sso/certificates/{id} with sendgrid-go v3 as its README
// shows it, plus what the SDK leaves to its user: the status check and the decode
// into the same Certificate. The request template is built once, not per call, which
// favours the SDK.
type sdkCertificate struct{ req rest.Request }

func newSDKCertificate(host string) *sdkCertificate {
	req := sendgrid.GetRequest(key, "", host)
	req.Method = rest.Get
	return &sdkCertificate{req: req}
}

func (s *sdkCertificate) get(ctx context.Context, id string) (*wrapper.Certificate, error) {
	req := s.req
	req.BaseURL += "/v3/sso/certificates/" + id
	resp, err := sendgrid.MakeRequestWithContext(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, resp.Body)
	}
	var m struct {
		ID                int64  `json:"id"`
		PublicCertificate string `json:"public_certificate"`
		NotBefore         int64  `json:"not_before"`
		NotAfter          int64  `json:"not_after"`
		IntergrationID    string `json:"intergration_id"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
		return nil, err
	}
	return &wrapper.Certificate{ID: m.ID, PublicCertificate: m.PublicCertificate, IntegrationID: m.IntergrationID}, nil
}

// BenchmarkGetSSOCertificate sets the client beside sendgrid-go v3 on one server.
func BenchmarkGetSSOCertificate(b *testing.B) {
	srv := newServer(b)
	client, err := wrapper.New(key, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		get  func(context.Context, string) (*wrapper.Certificate, error)
	}{
		{"impl=client", client.GetSSOCertificate},
		{"impl=sendgrid-go", newSDKCertificate(srv.URL).get},
	}
	ctx := context.Background()
	id := strconv.Itoa(ssotest.DefaultCertificateID)
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			cert, err := impl.get(ctx, id)
			if err != nil || cert.ID != ssotest.DefaultCertificateID || cert.IntegrationID != ssotest.DefaultCertificate().IntegrationID {
				b.Fatalf("got %+v, %v; want the default certificate", cert, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.get(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
