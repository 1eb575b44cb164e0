package tests

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/oapi-codegen/runtime"
	"github.com/sendgrid-sso/sendgrid-sso/gen"
)

// The generated request builders come from api/templates/client.tmpl, which joins the
// server and the escaped path in one string instead of upstream oapi-codegen's
// url.Parse(server).Parse("./"+path). TestRequestURLsResolveAsUpstream holds them to
// upstream's result for servers and IDs where joining and resolving could differ.
func TestRequestURLsResolveAsUpstream(t *testing.T) {
	servers := []string{
		"http://127.0.0.1:8080/", "http://127.0.0.1:8080", "https://api.sendgrid.com/",
		"https://h/a/", "https://h/a", "https://h/a/../b/", "https://h/./", "https://h//",
		"https://h/a%20b/", "https://h/a%2Fb/", "https://h/%41/", "https://h/a b/", "https://h/é/",
		"https://h/?q=1", "https://h/#f", "https://u:p@h/", "http://[::1]:80/",
		"HTTPS://API.SendGrid.com/", "https://h:99/p;x/", "https://h/.a/", "/rel/", "mailto:x/",
	}
	ids := []string{
		"1", "66138975", "a/b", "a b", "..", ".", "", "%", "%2F", "%s", "é", "中文", "a?b", "a#b",
		".x", "x.", "a;b", "a,b", "~!$&'()*+=:@", "../x", "a/../b",
	}
	ops := []struct {
		path  func(id string) string
		build func(server, id string) (*http.Request, error)
	}{
		{func(id string) string { return "./v3/sso/certificates/" + upstreamEscape(t, "cert_id", id) }, gen.NewGetSsoCertificateRequest},
		{func(id string) string { return "./v3/partners/accounts/" + upstreamEscape(t, "accountID", id) + "/sso" }, gen.NewAuthenticateAccountRequest},
	}
	for _, server := range servers {
		for _, id := range ids {
			for _, op := range ops {
				want, wantErr := upstreamURL(server, op.path(id))
				req, err := op.build(server, id)
				if (err != nil) != (wantErr != nil) {
					t.Errorf("server %q, id %q: err %v, upstream err %v", server, id, err, wantErr)
					continue
				}
				if err != nil {
					continue
				}
				if got := req.URL.String(); got != want.String() || req.URL.EscapedPath() != want.EscapedPath() || req.Host != want.Host {
					t.Errorf("server %q, id %q: %s (path %q, host %q), upstream %s (path %q, host %q)",
						server, id, got, req.URL.EscapedPath(), req.Host, want, want.EscapedPath(), want.Host)
				}
			}
		}
	}
}

// upstreamURL is the URL upstream's builders give: the server parsed, the relative
// path resolved against it, printed and parsed again by http.NewRequest.
func upstreamURL(server, path string) (*url.URL, error) {
	base, err := url.Parse(server)
	if err != nil {
		return nil, err
	}
	u, err := base.Parse(path)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	return req.URL, nil
}

// upstreamEscape escapes a path parameter as upstream's generated code does, through
// the runtime, so that a change in the runtime's escaping shows up here.
func upstreamEscape(t *testing.T, name, v string) string {
	t.Helper()
	out, err := runtime.StyleParamWithOptions("simple", false, name, v, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationPath, Type: "string"})
	if err != nil {
		t.Fatalf("escaping %q: %v", v, err)
	}
	return out
}
