package tests

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/api"
)

// mutation is a change to the spec alone, with no change to the code.
type mutation struct {
	name     string
	old, new string // the one occurrence of old in the spec becomes new
	want     string // what the contract run must report
}

var mutations = []mutation{
	{
		name: "a property's type",
		old:  "        id:\n          type: integer\n",
		new:  "        id:\n          type: string\n",
		want: `Error at "/id": value must be a string`,
	},
	{
		name: "a property's nullability",
		old:  "          nullable: true\n",
		new:  "",
		want: `Error at "/errors/0/field": Value is not nullable`,
	},
	{
		name: "a status code",
		old:  "        \"303\":\n          description: The one-time login URL",
		new:  "        \"302\":\n          description: The one-time login URL",
		want: "the 303 response to AuthenticateAccount (POST) breaks the spec: status is not supported",
	},
	{
		name: "a status added without a scenario",
		old:  "        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n",
		new:  "        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n        \"409\":\n          $ref: \"#/components/responses/NotFound\"\n",
		want: "not exercised: AuthenticateAccount 409",
	},
	{
		name: "a path",
		old:  "  /v3/sso/certificates/{cert_id}:\n",
		new:  "  /v3/sso/certs/{cert_id}:\n",
		want: "no operation in the spec matches the request path: GET /v3/sso/certificates/66138975",
	},
	{
		name: "a required header",
		old:  "            Location:\n",
		new:  "            X-Login-URL:\n",
		want: `response header "X-Login-URL" missing`,
	},
}

// Each change to the spec alone turns the contract run red, with a report that
// names what broke.
func TestSpecMutationsFailTheContract(t *testing.T) {
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			spec := api.Spec()
			if n := bytes.Count(spec, []byte(m.old)); n != 1 {
				t.Fatalf("the spec has %d occurrences of %q, want 1: update the mutation", n, m.old)
			}
			rep := runContract(bytes.Replace(spec, []byte(m.old), []byte(m.new), 1))
			failures := rep.problems
			if missing := rep.missing(); len(missing) > 0 {
				failures = append(failures, "not exercised: "+strings.Join(missing, ", "))
			}
			if len(failures) == 0 {
				t.Fatal("the contract run passed on the mutated spec")
			}
			all := strings.Join(failures, "\n")
			if !strings.Contains(all, m.want) {
				t.Errorf("the report does not say %q; it says:\n%s", m.want, all)
			}
		})
	}
}
