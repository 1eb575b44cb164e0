package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestBodiesAreBounded(t *testing.T) {
	pad := func(n int) string {
		return `{"id":9,"public_certificate":"` + strings.Repeat("A", n-len(`{"id":9,"public_certificate":""}`)) + `"}`
	}
	for _, tc := range []struct {
		size int
		ok   bool
	}{{maxBodyBytes, true}, {maxBodyBytes + 1, false}, {4 * maxBodyBytes, false}} {
		body := pad(tc.size)
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
		cert, err := newTestClient(t, srv.URL).GetSSOCertificate(context.Background(), "9")
		if tc.ok && (err != nil || cert.ID != 9) {
			t.Errorf("%d bytes: %v, want the certificate", tc.size, err)
		}
		if !tc.ok && (!errors.Is(err, ErrInvalidResponse) || !strings.Contains(err.Error(), "larger than 1048576 bytes")) {
			t.Errorf("%d bytes: err = %v, want ErrInvalidResponse naming the limit", tc.size, err)
		}
	}
}
