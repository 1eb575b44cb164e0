package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/gen"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// validateSpec loads spec and validates it, examples included.
func validateSpec(spec []byte) error {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return err
	}
	return doc.Validate(context.Background(), openapi3.EnableExamplesValidation())
}

func TestSpecIsValidExamplesIncluded(t *testing.T) {
	if err := validateSpec(api.Spec()); err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	// The check bites: an example that breaks its schema fails it.
	broken := bytes.Replace(api.Spec(), []byte("id: 66138975"), []byte(`id: "66138975"`), 1)
	err := validateSpec(broken)
	var example *openapi3.ExampleViolatesSchema
	if !errors.As(err, &example) || !findError(err, schemaError("type", "id")) {
		t.Errorf("a string ID in an example: err = %v, want an *openapi3.ExampleViolatesSchema, on the type of /id", err)
	}
}

// example is one example of the spec, with its JSON exactly as written (a wide ID
// keeps every digit).
type example struct {
	operation, method string
	status            string // "" for a parameter example
	where, name       string // what it is an example of, and its name
	json              []byte
}

func (e example) String() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s %s", e.operation, e.status, e.where, e.name))
}

// specExamples returns every example of every operation: its parameters', its
// responses' bodies and headers. It reads the YAML with integers intact, which
// kin-openapi (float64) does not.
func specExamples(t *testing.T) []example {
	t.Helper()
	raw, err := yaml.YAMLToJSON(api.Spec())
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		t.Fatal(err)
	}
	get := func(node any, keys ...string) any {
		for _, k := range keys {
			node = resolve(t, root, node)
			m, _ := node.(map[string]any)
			node = m[k]
		}
		return resolve(t, root, node)
	}
	mustJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var out []example
	for _, item := range get(root, "paths").(map[string]any) {
		for method, op := range item.(map[string]any) {
			opID, _ := get(op, "operationId").(string)
			if opID == "" {
				continue // not an operation
			}
			base := example{operation: opID, method: strings.ToUpper(method)}
			params, _ := get(op, "parameters").([]any)
			for _, p := range params {
				if v := get(p, "example"); v != nil {
					e := base
					e.where, e.name, e.json = "parameter", get(p, "name").(string), mustJSON(v)
					out = append(out, e)
				}
			}
			for status, resp := range get(op, "responses").(map[string]any) {
				e := base
				e.status = status
				headers, _ := get(resp, "headers").(map[string]any)
				for name := range headers {
					if v := get(headers, name, "example"); v != nil {
						e.where, e.name, e.json = "header", name, mustJSON(v)
						out = append(out, e)
					}
				}
				examples, _ := get(resp, "content", "application/json", "examples").(map[string]any)
				for name := range examples {
					e.where, e.name, e.json = "body", name, mustJSON(get(examples, name, "value"))
					out = append(out, e)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// resolve follows "$ref": "#/a/b" pointers within the document.
func resolve(t *testing.T, root map[string]any, node any) any {
	for {
		m, ok := node.(map[string]any)
		ref, isRef := m["$ref"].(string)
		if !ok || !isRef {
			return node
		}
		if !strings.HasPrefix(ref, "#/") {
			t.Fatalf("$ref %q: only references within the document are followed", ref)
		}
		node = any(root)
		for _, k := range strings.Split(ref[2:], "/") {
			node = node.(map[string]any)[k]
		}
	}
}

// certificateExamples are the values each 200 example must decode to.
var certificateExamples = map[string]wrapper.Certificate{
	"official": {
		ID:                66138975,
		PublicCertificate: "<your x509 certificate>",
		NotBefore:         time.Unix(1621289880, 0),
		NotAfter:          time.Unix(1621289880, 0),
		IntegrationID:     "b0b98502-9408-4b24-9e3d-31ed7cb15312",
	},
	"corrected": {
		ID:                9007199254740993,
		PublicCertificate: "<your x509 certificate>",
		NotBefore:         time.Unix(1700000000, 0),
		NotAfter:          time.Unix(1893456000, 0),
		IntegrationID:     "7f3c2a1e-0d4b-4c8e-9a6f-1b2c3d4e5f60",
	},
}

// integrationExamples are the values each ListSsoIntegration 200 example must decode to.
var integrationExamples = map[string][]wrapper.Integration{
	"official": {{
		ID:              "b0b98502-9408-4b24-9e3d-31ed7cb15312",
		Name:            "Twilio SendGrid",
		Enabled:         true,
		EntityID:        "http://www.okta.com/${org.externalKey}",
		SigninURL:       "https://example.okta.com/home/examplecompany/yokpGWsmpRUcuvXFb4x6/nfaVADNhuHvvReAEV4x6",
		SignoutURL:      "https://example.okta.com/login/signout?fromURI=exampleappurl",
		Completed:       true,
		LastUpdated:     time.Unix(1621288520, 0),
		SingleSignOnURL: "https://api.sendgrid.com/v3/public/sso/saml/response/id/b0b98502-9408-4b24-9e3d-31ed7cb15312",
		AudienceURL:     "https://api.sendgrid.com/v3/public/sso/saml/response/id/b0b98502-9408-4b24-9e3d-31ed7cb15312",
	}},
}

// decodeExample checks that the generated models read the 200 example e, and returns
// what the client must make of it: a wrapper.Certificate, or a slice of certificates
// or integrations for the list operations.
func decodeExample(e example) (any, error) {
	switch e.operation {
	case "ListSsoIntegration":
		want, ok := integrationExamples[e.name]
		if !ok {
			return nil, fmt.Errorf("no expected values for integration example %q: add them to integrationExamples", e.name)
		}
		var m []gen.SSOIntegration
		if err := json.Unmarshal(e.json, &m); err != nil || len(m) != len(want) {
			return nil, fmt.Errorf("the generated model reads %d integrations (err %v), want %d", len(m), err, len(want))
		}
		return want, nil
	case "ListSsoIntegrationCertificate":
		want, ok := certificateExamples[e.name]
		if !ok {
			return nil, fmt.Errorf("no expected values for certificate example %q: add them to certificateExamples", e.name)
		}
		var m []gen.SSOCertificate
		if err := json.Unmarshal(e.json, &m); err != nil || len(m) != 1 || m[0].ID != want.ID {
			return nil, fmt.Errorf("the generated model reads %+v (err %v), want one certificate with id %d", m, err, want.ID)
		}
		return []wrapper.Certificate{want}, nil
	}
	want, ok := certificateExamples[e.name]
	if !ok {
		return nil, fmt.Errorf("no expected values for certificate example %q: add them to certificateExamples", e.name)
	}
	var m gen.SSOCertificate
	if err := json.Unmarshal(e.json, &m); err != nil || m.ID != want.ID {
		return nil, fmt.Errorf("the generated model reads id %v (err %v), want %d", m.ID, err, want.ID)
	}
	return want, nil
}

// Every example, served by the fake, decodes through the generated models and the
// wrapper to the values it shows, and passes the contract on the way.
func TestEveryExampleDecodes(t *testing.T) {
	examples := specExamples(t)
	if len(examples) == 0 {
		t.Fatal("found no examples in the spec")
	}
	for _, e := range examples {
		t.Run(e.String(), func(t *testing.T) {
			log := newTrafficLog()
			w, err := newWorld(api.Spec(), log)
			if err != nil {
				t.Fatal(err)
			}
			defer w.srv.Close()
			if err := checkExample(w, e); err != nil {
				t.Error(err)
			}
			for _, v := range log.violations {
				t.Error(v)
			}
		})
	}
}

// checkExample serves e through the fake and checks what the client made of it.
func checkExample(w *world, e example) error {
	ctx := context.Background()
	c := w.client(w.srv.APIKey, wrapper.WithMaxRetries(0))
	call := func(id string) (any, error) {
		switch e.operation {
		case "GetSsoCertificate":
			return c.GetSSOCertificate(ctx, id)
		case "AuthenticateAccount":
			return c.AuthenticateAccount(ctx, id)
		case "ListSsoIntegration":
			return c.ListSSOIntegrations(ctx)
		case "ListSsoIntegrationCertificate":
			return c.ListSSOCertificates(ctx, id)
		case "CreateSsoCertificate":
			return c.CreateSSOCertificate(ctx, id, defaultCertificate())
		}
		return nil, fmt.Errorf("no call for operation %s: add one", e.operation)
	}
	var s string
	switch {
	case e.where == "parameter":
		// The fake knows the certificate and the account the examples name.
		if err := json.Unmarshal(e.json, &s); err != nil {
			return err
		}
		_, err := call(s)
		return err
	case e.where == "header" && e.name == "Location":
		if err := json.Unmarshal(e.json, &s); err != nil {
			return err
		}
		w.srv.FailNext(1, ssotest.Fault{Status: http.StatusSeeOther, Header: http.Header{"Location": {s}}})
		got, err := call(ssotest.DefaultAccountID)
		if err != nil {
			return err
		}
		if u := got.(*wrapper.SSOLogin).URL.String(); u != s {
			return fmt.Errorf("login URL %q, want %q", u, s)
		}
		return nil
	case e.where == "body" && e.status == "200":
		want, err := decodeExample(e)
		if err != nil {
			return err
		}
		w.srv.FailNext(1, ssotest.Fault{Status: http.StatusOK, Body: string(e.json)})
		got, err := call(ssotest.DefaultIntegrationID)
		if err != nil {
			return err
		}
		if cert, ok := got.(*wrapper.Certificate); ok {
			got = *cert
		}
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("decoded %+v, want %+v", got, want)
		}
		return nil
	case e.where == "body":
		want, err := errorDetails(e.json)
		if err != nil {
			return err
		}
		status, err := strconv.Atoi(e.status)
		if err != nil {
			return fmt.Errorf("status %q: %w", e.status, err)
		}
		w.srv.FailNext(1, ssotest.Fault{Status: status, Body: string(e.json)})
		_, err = call(ssotest.DefaultAccountID)
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || !reflect.DeepEqual(apiErr.Errors, want) {
			return fmt.Errorf("err = %v, want a %d *APIError with %+v", err, status, want)
		}
		return nil
	}
	return fmt.Errorf("no check for a %s example: add one", e.where)
}

// errorDetails reads an error example of either shape as plain JSON, independently
// of the generated models and the wrapper: null and absent fields are "".
func errorDetails(body []byte) ([]wrapper.ErrorDetail, error) {
	var items []map[string]any
	if err := json.Unmarshal(body, &items); err != nil {
		var env struct{ Errors []map[string]any }
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, fmt.Errorf("an error example that is neither shape: %s", body)
		}
		items = env.Errors
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	out := make([]wrapper.ErrorDetail, len(items))
	for i, m := range items {
		out[i] = wrapper.ErrorDetail{Message: str(m, "message"), Field: str(m, "field"), ErrorID: str(m, "error_id")}
	}
	return out, nil
}
