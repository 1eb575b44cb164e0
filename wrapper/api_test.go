package wrapper

import (
	"go/ast"
	"go/doc"
	"slices"
	"strings"
	"testing"
)

// exportedNames is the package's API, every name go doc shows: the SendGrid client
// alone (its operations, options, errors, the login and its hand-off). A name added or
// removed changes what users build on: change this list with it, deliberately, and
// say so in CHANGELOG.md.
var exportedNames = []string{
	"APIError", "APIError.Body", "APIError.Error", "APIError.Errors", "APIError.Is",
	"APIError.Operation", "APIError.RateLimit", "APIError.RetryAfter", "APIError.StatusCode",
	"Certificate", "Certificate.ID", "Certificate.IntegrationID", "Certificate.NotAfter",
	"Certificate.NotBefore", "Certificate.PublicCertificate", "Certificate.X509",
	"Client", "Client.AuthenticateAccount", "Client.CreateSSOCertificate", "Client.Format",
	"Client.GetSSOCertificate", "Client.ListSSOCertificates", "Client.ListSSOIntegrations",
	"Client.LogWriter", "Client.String",
	"DefaultTransport", "EnvAPIKey", "EnvRegion",
	"ErrForbidden", "ErrInvalidConfig", "ErrInvalidID", "ErrInvalidResponse", "ErrLoginExpired",
	"ErrNotFound", "ErrRateLimited", "ErrServer", "ErrUnauthorized",
	"ErrorDetail", "ErrorDetail.ErrorID", "ErrorDetail.Field", "ErrorDetail.Message", "ErrorDetail.String",
	"Integration", "Integration.AudienceURL", "Integration.Completed", "Integration.Enabled",
	"Integration.EntityID", "Integration.ID", "Integration.LastUpdated", "Integration.Name",
	"Integration.SigninURL", "Integration.SignoutURL", "Integration.SingleSignOnURL",
	"LoginValidity", "New", "NewFromEnv", "Option", "ParseRegion",
	"RateLimit", "RateLimit.Limit", "RateLimit.Remaining", "RateLimit.Reset",
	"Region", "RegionEU", "RegionGlobal",
	"SSOLogin", "SSOLogin.ExpiresAt", "SSOLogin.Format", "SSOLogin.LogValue", "SSOLogin.MarshalJSON",
	"SSOLogin.Redirect", "SSOLogin.String", "SSOLogin.URL",
	"Version", "WithBaseURL", "WithHTTPClient", "WithLogger", "WithMaxRetries", "WithMaxRetryWait",
	"WithRegion", "WithUserAgent",
}

// TestExportedNames holds the API to exportedNames, so that go doc keeps reading as
// one idea: a name users do not need is not exported.
func TestExportedNames(t *testing.T) {
	fset, files := sourceFiles(t)
	pkg, err := doc.NewFromFiles(fset, files, "github.com/sendgrid-sso/sendgrid-sso/wrapper")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	values := func(prefix string, vs []*doc.Value) {
		for _, v := range vs {
			for _, n := range v.Names {
				got = append(got, prefix+n)
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			got = append(got, prefix+f.Name)
		}
	}
	values("", pkg.Consts)
	values("", pkg.Vars)
	funcs("", pkg.Funcs)
	for _, typ := range pkg.Types {
		got = append(got, typ.Name)
		values("", typ.Consts)
		values("", typ.Vars)
		funcs("", typ.Funcs)
		funcs(typ.Name+".", typ.Methods)
		for _, spec := range typ.Decl.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok || ts.Name.Name != typ.Name {
				continue
			}
			for _, field := range st.Fields.List {
				for _, n := range field.Names {
					if n.IsExported() {
						got = append(got, typ.Name+"."+n.Name)
					}
				}
			}
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(exportedNames))
	var added, gone []string
	for _, n := range got {
		if _, found := slices.BinarySearch(want, n); !found {
			added = append(added, n)
		}
	}
	for _, n := range want {
		if _, found := slices.BinarySearch(got, n); !found {
			gone = append(gone, n)
		}
	}
	if len(added) > 0 || len(gone) > 0 {
		t.Errorf("the exported names changed: new [%s], gone [%s]: update exportedNames and CHANGELOG.md if that is meant",
			strings.Join(added, " "), strings.Join(gone, " "))
	}
}
