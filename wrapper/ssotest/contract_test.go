package ssotest_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestNewContractRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, url, spec, want string
	}{
		{"relative server URL", "127.0.0.1:8080", string(api.Spec()), "must be absolute"},
		{"not a document", "http://127.0.0.1:8080", "openapi: [", "loading the spec"},
		{"an invalid document", "http://127.0.0.1:8080", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  nope: {}\n", "not a valid OpenAPI 3 document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ssotest.NewContract([]byte(tc.spec), tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// A contract routes requests under its server URL's path, as a proxy's would be.
func TestContractUnderAPathPrefix(t *testing.T) {
	c, err := ssotest.NewContract(api.Spec(), "https://proxy.example/sendgrid/")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "https://proxy.example/sendgrid/v3/partners/accounts/a%2Fb/sso", nil)
	req.Header.Set("Authorization", "Bearer SG.x")
	route, err := c.CheckRequest(req)
	if err != nil || route.Operation != "AuthenticateAccount" || route.Params["accountID"] != "a/b" {
		t.Errorf("CheckRequest = %+v, %v; want AuthenticateAccount for account a/b", route, err)
	}
	req, _ = http.NewRequest("POST", "https://proxy.example/v3/partners/accounts/a/sso", nil)
	if _, err := c.CheckRequest(req); !errors.Is(err, ssotest.ErrNoOperation) {
		t.Errorf("outside the prefix: err = %v, want ErrNoOperation", err)
	}
}

// Check your own side of the traffic: a request, and the answer it got.
func ExampleContract() {
	c, err := ssotest.NewContract(api.Spec(), "https://api.sendgrid.com")
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest("GET", "https://api.sendgrid.com/v3/sso/certificates/66138975", nil)
	req.Header.Set("Authorization", "Bearer SG.example")
	route, err := c.CheckRequest(req)
	fmt.Println(route.Operation, route.Params["cert_id"], err)

	h := http.Header{"Content-Type": {"application/json"}}
	fmt.Println(c.CheckResponse(req, 200, h, []byte(`{"id": 66138975, "not_after": 1893456000}`)))
	fmt.Println(c.CheckResponse(req, 200, h, []byte(`{"id": "66138975"}`)))
	fmt.Println(c.CheckResponse(req, 404, h, []byte(`{"errors": [{"message": "not found"}]}`)))
	fmt.Println(len(c.Pairs()), c.Pairs()[0])
	// Output:
	// GetSsoCertificate 66138975 <nil>
	// <nil>
	// the 200 response to GetSsoCertificate (GET) breaks the spec: Error at "/id": value must be an integer
	// the 404 response to GetSsoCertificate (GET) breaks the spec: status is not supported
	// 14 AuthenticateAccount 303
}
