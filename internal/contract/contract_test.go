package contract_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

const (
	base     = "https://api.sendgrid.com"
	certURL  = base + "/v3/sso/certificates/66138975"
	loginURL = base + "/v3/partners/accounts/a/sso"
)

// newContract is a contract for api.Spec() on base.
func newContract(t *testing.T) *contract.Contract {
	t.Helper()
	c, err := contract.New(api.Spec(), base)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// route routes method url, with the Authorization header auth unless it is "", and
// body, failing the test when no operation matches.
func route(t *testing.T, c *contract.Contract, method, url, auth, body string) contract.Route {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	r, err := c.Route(req)
	if err != nil {
		t.Fatalf("Route(%s %s): %v", method, url, err)
	}
	return r
}

// schemaError returns the schema error in err's chain, or nil.
func schemaError(err error) *openapi3.SchemaError {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return se
	}
	return nil
}

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, url, spec, want string
	}{
		{"relative server URL", "127.0.0.1:8080", string(api.Spec()), "must be absolute"},
		{"not a document", "http://127.0.0.1:8080", "openapi: [", "loading the spec"},
		{"an invalid document", "http://127.0.0.1:8080", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  nope: {}\n", "not a valid OpenAPI 3 document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contract.New([]byte(tc.spec), tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// A contract routes requests under its server URL's path, as a proxy's would be.
func TestRouteUnderAPathPrefix(t *testing.T) {
	c, err := contract.New(api.Spec(), "https://proxy.example/sendgrid/")
	if err != nil {
		t.Fatal(err)
	}
	r := route(t, c, "POST", "https://proxy.example/sendgrid/v3/partners/accounts/a%2Fb/sso", "Bearer SG.x", "")
	if err := c.CheckRequest(r); err != nil || r.Operation != "AuthenticateAccount" || r.Params["accountID"] != "a/b" {
		t.Errorf("route %+v, CheckRequest: %v; want AuthenticateAccount for account a/b", r, err)
	}
	req, _ := http.NewRequest("POST", "https://proxy.example/v3/partners/accounts/a/sso", nil)
	if _, err := c.Route(req); !errors.Is(err, contract.ErrNoOperation) {
		t.Errorf("outside the prefix: err = %v, want ErrNoOperation", err)
	}
}

// A request that arrived at a server (no scheme or host in its URL) is routed under
// the contract's server URL.
func TestRouteAServersRequest(t *testing.T) {
	c := newContract(t)
	req, _ := http.NewRequest("GET", "/v3/sso/certificates/66138975", nil)
	req.URL.Scheme, req.URL.Host = "", ""
	if r, err := c.Route(req); err != nil || r.Operation != "GetSsoCertificate" || r.Params["cert_id"] != "66138975" {
		t.Errorf("Route = %+v, %v; want GetSsoCertificate 66138975", r, err)
	}
}

func TestRouteRefuses(t *testing.T) {
	c := newContract(t)
	for _, tc := range []struct {
		method, url string
		want        error
	}{
		{"GET", base + "/v3/sso/certificate/1", contract.ErrNoOperation},
		{"GET", certURL + "/", contract.ErrNoOperation},
		{"POST", loginURL + "/", contract.ErrNoOperation},
		{"GET", base + "/v3/sso/certificates/a/b", contract.ErrNoOperation},
		{"DELETE", certURL, contract.ErrMethodNotAllowed},
		{"GET", loginURL, contract.ErrMethodNotAllowed},
	} {
		req, _ := http.NewRequest(tc.method, tc.url, nil)
		if _, err := c.Route(req); !errors.Is(err, tc.want) {
			t.Errorf("%s %s: err = %v, want %v", tc.method, tc.url, err, tc.want)
		}
	}
}

// Credentials are checked alone by CheckCredentials, and with the rest by
// CheckRequest; missing or malformed ones wrap ErrNoCredentials, and the error never
// repeats the header.
func TestCredentials(t *testing.T) {
	c := newContract(t)
	for _, auth := range []string{"", "Basic SG.secret", "Bearer ", "SG.secret"} {
		r := route(t, c, "GET", certURL, auth, "")
		for name, err := range map[string]error{"CheckCredentials": c.CheckCredentials(r), "CheckRequest": c.CheckRequest(r)} {
			if !errors.Is(err, contract.ErrNoCredentials) || strings.Contains(err.Error(), "SG.secret") {
				t.Errorf("Authorization %q: %s = %v, want ErrNoCredentials, without the header", auth, name, err)
			}
		}
	}
	r := route(t, c, "GET", certURL, "Bearer SG.secret", "")
	if err := c.CheckCredentials(r); err != nil {
		t.Errorf("a bearer key: %v", err)
	}
	// CheckCredentials looks at nothing else: a body the POST does not declare passes.
	r = route(t, c, "POST", loginURL, "Bearer SG.secret", "{}")
	if err := c.CheckCredentials(r); err != nil {
		t.Errorf("a body on the POST: CheckCredentials = %v, want nil", err)
	}
}

// A body on an operation that declares none is refused with ErrBodyNotAllowed, after
// kin-openapi's own findings, all kept in the chain.
func TestBodyNotAllowed(t *testing.T) {
	c := newContract(t)
	r := route(t, c, "POST", loginURL, "Bearer SG.x", `{"x":1}`)
	err := c.CheckRequest(r)
	if !errors.Is(err, contract.ErrBodyNotAllowed) || !strings.Contains(err.Error(), "POST /v3/partners/accounts/a/sso (AuthenticateAccount) breaks the spec: ") {
		t.Errorf("CheckRequest = %v, want ErrBodyNotAllowed, saying which request", err)
	}
	if err := c.CheckRequest(route(t, c, "POST", loginURL, "Bearer SG.x", "")); err != nil {
		t.Errorf("without a body: %v", err)
	}
}

// kin-openapi's findings on a request stay in the chain, on one line: a path
// parameter that breaks its schema is a *openapi3filter.RequestError naming the
// parameter. (Every parameter of api/ is a string: a document of the test's own.)
func TestRequestErrorsAreKinOpenAPIs(t *testing.T) {
	const spec = `openapi: 3.0.3
info: {title: items, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: GetItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: the item}
`
	c, err := contract.New([]byte(spec), base)
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckRequest(route(t, c, "GET", base+"/items/abc", "", ""))
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) || re.Parameter == nil || re.Parameter.Name != "id" {
		t.Fatalf("CheckRequest = %v, want a *openapi3filter.RequestError on id", err)
	}
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "GET /items/abc (GetItem) breaks the spec: ") {
		t.Errorf("the error %q does not say on one line which request broke the spec", err)
	}
	if err := c.CheckRequest(route(t, c, "GET", base+"/items/7", "", "")); err != nil {
		t.Errorf("a valid ID: %v", err)
	}
}

// A response is checked against its operation: its status (ErrUndeclaredStatus), and
// its body against the schema, kin-openapi's *openapi3.SchemaError in the chain.
func TestCheckResponse(t *testing.T) {
	c := newContract(t)
	r := route(t, c, "GET", certURL, "Bearer SG.x", "")
	h := http.Header{"Content-Type": {"application/json"}}
	if err := c.CheckResponse(r, 200, h, []byte(`{"id": 66138975, "not_after": 1893456000}`)); err != nil {
		t.Errorf("a valid 200: %v", err)
	}
	err := c.CheckResponse(r, 200, h, []byte(`{"id": "66138975"}`))
	var re *openapi3filter.ResponseError
	if se := schemaError(err); !errors.As(err, &re) || se == nil || se.SchemaField != "type" || !slices.Equal(se.JSONPointer(), []string{"id"}) {
		t.Errorf("a string ID: %v, want a *openapi3filter.ResponseError holding a SchemaError on the type of /id", err)
	}
	if err == nil || !strings.HasPrefix(err.Error(), "the 200 response to GetSsoCertificate (GET) breaks the spec: ") {
		t.Errorf("a string ID: %q does not say which response", err)
	}
	for _, status := range []int{404, 302, 418} {
		if err := c.CheckResponse(r, status, h, []byte(`[]`)); !errors.Is(err, contract.ErrUndeclaredStatus) {
			t.Errorf("a %d: %v, want ErrUndeclaredStatus", status, err)
		}
	}
	if err := c.CheckResponse(contract.Route{}, 200, h, nil); !errors.Is(err, contract.ErrNoOperation) {
		t.Errorf("no route: %v, want ErrNoOperation", err)
	}
}

// What the document declares, for the fake's "Prefer: code=N" and the contract tests'
// coverage.
func TestPairsAndStatuses(t *testing.T) {
	c := newContract(t)
	pairs := c.Pairs()
	if len(pairs) != 32 || pairs[0] != (contract.Pair{Operation: "AuthenticateAccount", Status: "303"}) || pairs[0].String() != "AuthenticateAccount 303" {
		t.Errorf("Pairs() = %v, want 32 sorted, AuthenticateAccount 303 first", pairs)
	}
	if got := c.Statuses("GetSsoCertificate"); !slices.Equal(got, []string{"200", "400", "401", "403", "429", "500"}) {
		t.Errorf("Statuses(GetSsoCertificate) = %v", got)
	}
	if got := c.Statuses("Nothing"); len(got) != 0 {
		t.Errorf("Statuses(Nothing) = %v, want none", got)
	}
	for _, tc := range []struct {
		op     string
		status int
		want   bool
	}{{"AuthenticateAccount", 303, true}, {"AuthenticateAccount", 429, false}, {"GetSsoCertificate", 429, true}, {"Nothing", 200, false}} {
		if got := c.Declares(tc.op, tc.status); got != tc.want {
			t.Errorf("Declares(%s, %d) = %v, want %v", tc.op, tc.status, got, tc.want)
		}
	}
}

// The contract enforces format: uri, so the fake's own check would catch a Location
// that is not a URI.
func TestLocationMustBeAURI(t *testing.T) {
	c := newContract(t)
	r := route(t, c, "POST", loginURL, "Bearer SG.x", "")
	for loc, ok := range map[string]bool{
		"http://127.0.0.1:8025/login?code=0f3a":                true,
		"https://app.sendgrid.com/sso/partner/login?code=A-b_": true,
		"http://%zz/login?code=1":                              false,
		"/login?code=1":                                        false,
		"http://host/login?code=a b":                           false,
		"http://host/login?code=%":                             false,
		"http://host/\u00e9":                                   false,
		"1http://host/":                                        false,
	} {
		err := c.CheckResponse(r, http.StatusSeeOther, http.Header{"Location": {loc}}, nil)
		if (err == nil) != ok {
			t.Errorf("Location %q: err = %v, want ok %v", loc, err, ok)
		}
		if se := schemaError(err); !ok && (se == nil || se.SchemaField != "format") {
			t.Errorf("Location %q: err = %v, want a SchemaError on the format", loc, err)
		}
		if (contract.CheckURI(loc) == nil) != ok {
			t.Errorf("CheckURI(%q) = %v, want ok %v", loc, contract.CheckURI(loc), ok)
		}
	}
}
