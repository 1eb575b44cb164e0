// Package sendgridsso is the root of a Go client for SendGrid's single sign-on
// endpoints. Import package wrapper (github.com/sendgrid-sso/sendgrid-sso/wrapper);
// this package only carries the go:generate directive that turns api/openapi.yaml
// into the generated code in gen/.
package sendgridsso

//go:generate go tool -modfile=tools/go.mod oapi-codegen -config oapi-codegen.yaml api/openapi.yaml
