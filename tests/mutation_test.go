package tests

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
)

// mutation is a change to the spec alone, with no change to the code: the fake and
// the client go on as they are, and the client's side of the contract run checks
// their traffic against the changed spec.
type mutation struct {
	name     string
	old, new string // the one occurrence of old in the spec becomes new
	want     string // what the contract run must report, for the reader
	found    func(report) bool
}

// reported finds a problem in the report that matches.
func reported(match func(error) bool) func(report) bool {
	return func(r report) bool { return slices.ContainsFunc(r.problems, match) }
}

// notExercised finds the pair among those the report says no scenario exercised.
func notExercised(pair string) func(report) bool {
	return func(r report) bool { return slices.Contains(r.missing(), pair) }
}

var mutations = []mutation{
	{
		name:  "an integration's timestamp type",
		old:   "        last_updated:\n          type: integer\n",
		new:   "        last_updated:\n          type: string\n",
		want:  "the 200 of ListSsoIntegration: a SchemaError on the type of /0/last_updated",
		found: reported(exchange("ListSsoIntegration", 200, schemaError("type", "0", "last_updated"))),
	},
	{
		name:  "a required request property",
		old:   "      required: [public_certificate, integration_id]\n",
		new:   "      required: [public_certificate, integration_id, certificate_id]\n",
		want:  "the CreateSsoCertificate request: a SchemaError on the required properties of its body",
		found: reported(exchange("CreateSsoCertificate", 0, schemaError("required", "certificate_id"))),
	},
	{
		name:  "a path of the certificate lifecycle",
		old:   "  /v3/sso/integrations/{integration_id}/certificates:\n",
		new:   "  /v3/sso/integrations/{integration_id}/certs:\n",
		want:  "a request that matches no operation: ErrNoOperation, and ListSsoIntegrationCertificate 200 not exercised",
		found: notExercised("ListSsoIntegrationCertificate 200"),
	},
	{
		name:  "a property's type",
		old:   "        id:\n          type: integer\n",
		new:   "        id:\n          type: string\n",
		want:  "the 200 of GetSsoCertificate: a SchemaError on the type of /id",
		found: reported(exchange("GetSsoCertificate", 200, schemaError("type", "id"))),
	},
	{
		name:  "a property's nullability",
		old:   "          nullable: true\n",
		new:   "",
		want:  "the 429 of GetSsoCertificate: a SchemaError on the nullability of /errors/0/field",
		found: reported(exchange("GetSsoCertificate", 429, schemaError("nullable", "errors", "0", "field"))),
	},
	{
		name:  "a status code",
		old:   "        \"303\":\n          description: The one-time login URL",
		new:   "        \"302\":\n          description: The one-time login URL",
		want:  "the 303 of AuthenticateAccount: ErrUndeclaredStatus",
		found: reported(exchange("AuthenticateAccount", 303, is(contract.ErrUndeclaredStatus))),
	},
	{
		name:  "a status added without a scenario",
		old:   "        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n",
		new:   "        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n        \"409\":\n          $ref: \"#/components/responses/NotFound\"\n",
		want:  "not exercised: AuthenticateAccount 409",
		found: notExercised("AuthenticateAccount 409"),
	},
	{
		name:  "a path",
		old:   "  /v3/sso/certificates/{cert_id}:\n",
		new:   "  /v3/sso/certs/{cert_id}:\n",
		want:  "a request that matches no operation: ErrNoOperation",
		found: reported(exchange("", 0, is(contract.ErrNoOperation))),
	},
	{
		name: "a required header",
		old:  "            Location:\n",
		new:  "            X-Login-URL:\n",
		want: "the 303 of AuthenticateAccount: a ResponseError (its Location is no longer the header declared)",
		found: reported(exchange("AuthenticateAccount", 303, func(err error) bool {
			return responseError(err) && !errors.Is(err, contract.ErrUndeclaredStatus)
		})),
	},
}

// Each change to the spec alone turns the contract run red, with a report that
// names what broke: kin-openapi's typed errors, or this module's own, on the exchange
// the change touches.
func TestSpecMutationsFailTheContract(t *testing.T) {
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			spec := api.Spec()
			if n := bytes.Count(spec, []byte(m.old)); n != 1 {
				t.Fatalf("the spec has %d occurrences of %q, want 1: update the mutation", n, m.old)
			}
			rep := runContract(bytes.Replace(spec, []byte(m.old), []byte(m.new), 1))
			var failures []string
			for _, p := range rep.problems {
				failures = append(failures, p.Error())
			}
			if missing := rep.missing(); len(missing) > 0 {
				failures = append(failures, "not exercised: "+strings.Join(missing, ", "))
			}
			if len(failures) == 0 {
				t.Fatal("the contract run passed on the mutated spec")
			}
			if !m.found(rep) {
				t.Errorf("the report does not say %s; it says:\n%s", m.want, strings.Join(failures, "\n"))
			}
		})
	}
}
