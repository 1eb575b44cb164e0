package ssotest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Contract checks HTTP traffic against an OpenAPI 3 document with kin-openapi: which
// operation a request is, whether the request is one the document allows, and whether
// a response is one the operation declares (status, headers, content type and body).
// The fake server checks every request and response with one; a test can wrap a
// client's transport with another. It is safe for concurrent use.
type Contract struct {
	doc      *openapi3.T
	router   routers.Router
	base     *url.URL
	opts     *openapi3filter.Options
	statuses map[string][]string // operationId → the statuses it declares, sorted
}

// Pair is one response an operation declares: an operationId and a status key of
// its responses, such as "303".
type Pair struct {
	// Operation is the operationId, such as "AuthenticateAccount".
	Operation string
	// Status is the declared status, such as "404".
	Status string
}

// String renders the pair as "Operation Status".
func (p Pair) String() string { return p.Operation + " " + p.Status }

// Errors CheckRequest wraps, to tell why a request has no place in the document.
var (
	// ErrNoOperation is wrapped when no path of the document matches the request.
	ErrNoOperation = errors.New("no operation in the spec matches the request path")
	// ErrMethodNotAllowed is wrapped when the path matches but not the method.
	ErrMethodNotAllowed = errors.New("the spec declares no operation for this method on this path")
	// ErrNoCredentials is wrapped when the request does not carry the credentials the
	// document's security requirement asks for ("Authorization: Bearer <key>").
	ErrNoCredentials = errors.New("the request lacks the credentials the spec requires")
)

// NewContract loads spec (YAML or JSON), validates it (examples aside), and routes
// requests sent to serverURL: the document's own servers are replaced by serverURL, so
// requests to a fake or a proxy find their operations.
func NewContract(spec []byte, serverURL string) (*Contract, error) {
	base, err := url.Parse(serverURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("ssotest: server URL %q must be absolute, like http://127.0.0.1:8080", serverURL)
	}
	loaded, err := load(spec)
	if err != nil {
		return nil, fmt.Errorf("ssotest: loading the spec: %w", err)
	}
	doc := *loaded // shared parts are only read
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(serverURL, "/")}}
	// Examples are the spec's own business (the contract tests check them); a
	// contract checks traffic, so a wrong example does not stop it.
	router, err := legacy.NewRouter(&doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("ssotest: the spec is not a valid OpenAPI 3 document: %w", err)
	}
	c := &Contract{
		doc:      &doc,
		router:   router,
		base:     base,
		statuses: map[string][]string{},
		opts: &openapi3filter.Options{
			IncludeResponseStatus:             true,
			RejectWhenRequestBodyNotSpecified: true,
			MultiError:                        true,
			AuthenticationFunc:                bearerCredentials,
			// One line per violation: the schema and value dumps add nothing a
			// reader of the spec lacks.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.DisableSchemaErrorDetails(),
				// kin-openapi checks no "uri" format by itself: a 303 whose Location
				// is not a URI would pass.
				openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(checkURI)),
			},
		},
	}
	for _, p := range c.Pairs() {
		c.statuses[p.Operation] = append(c.statuses[p.Operation], p.Status)
	}
	return c, nil
}

// loaded caches parsed documents by their bytes: parsing the YAML is most of the cost
// of a new server, and tests start many.
var loaded sync.Map // string → *openapi3.T

func load(spec []byte) (*openapi3.T, error) {
	if doc, ok := loaded.Load(string(spec)); ok {
		return doc.(*openapi3.T), nil
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, err
	}
	loaded.Store(string(spec), doc)
	return doc, nil
}

// bearerCredentials accepts an HTTP bearer scheme when the request carries
// "Authorization: Bearer <token>" with a non-empty token. Whether the token is the
// right key is the server's business (a 401 the document declares), not the
// document's. The error never repeats the header.
func bearerCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme == nil || scheme.Type != "http" || !strings.EqualFold(scheme.Scheme, "bearer") {
		return fmt.Errorf("security scheme %q is not an HTTP bearer scheme, which is all this checker knows", in.SecuritySchemeName)
	}
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	prefix, token, ok := strings.Cut(auth, " ")
	switch {
	case auth == "":
		return fmt.Errorf("%w: no Authorization header; send \"Authorization: Bearer <API key>\"", ErrNoCredentials)
	case !ok || !strings.EqualFold(prefix, "Bearer") || strings.TrimSpace(token) == "":
		return fmt.Errorf("%w: the Authorization header is not \"Bearer <API key>\"", ErrNoCredentials)
	}
	return nil
}

// Pairs returns every (operation, status) pair the document declares, sorted.
func (c *Contract) Pairs() []Pair {
	var pairs []Pair
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			for status := range op.Responses.Map() {
				pairs = append(pairs, Pair{Operation: op.OperationID, Status: status})
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].Operation != pairs[j].Operation {
			return pairs[i].Operation < pairs[j].Operation
		}
		return pairs[i].Status < pairs[j].Status
	})
	return pairs
}

// checkURI accepts an absolute URI (RFC 3986): a scheme, then only characters a URI
// may hold, percent signs only in escapes, and a form net/url parses.
func checkURI(s string) error {
	if !isURI(s) {
		return errors.New("not an absolute URI")
	}
	return nil
}

// isURI reports whether s is an absolute URI; see checkURI.
func isURI(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || !isAlpha(scheme[0]) {
		return false
	}
	for i := range len(scheme) {
		if c := scheme[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
		case isAlpha(c) || isDigit(c) || strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		default:
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// Route names the operation a request is for, and its path parameters unescaped.
type Route struct {
	// Operation is the operationId.
	Operation string
	// Params maps each path parameter to its value, unescaped ("a%2Fb" gives "a/b").
	Params map[string]string
}

// CheckRequest finds the operation req is for and checks req against it: security
// requirement, parameters and body. The Route is filled in whenever an operation
// matched, even when err says the request breaks the document. err wraps
// ErrNoOperation, ErrMethodNotAllowed or ErrNoCredentials where they apply. A request
// body is read and put back.
func (c *Contract) CheckRequest(req *http.Request) (Route, error) {
	route, in, err := c.route(req)
	if err != nil {
		return route, err
	}
	return route, c.validate(req, in, route)
}

// route finds the operation req is for, without checking req against it; err wraps
// ErrNoOperation or ErrMethodNotAllowed when there is none.
func (c *Contract) route(req *http.Request) (Route, *openapi3filter.RequestValidationInput, error) {
	in, err := c.input(req)
	if err != nil {
		return Route{}, nil, err
	}
	route := Route{Operation: in.Route.Operation.OperationID, Params: make(map[string]string, len(in.PathParams))}
	for k, v := range in.PathParams {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		route.Params[k] = v
	}
	return route, in, nil
}

// validate checks a routed request against its operation: security requirement,
// parameters and body.
func (c *Contract) validate(req *http.Request, in *openapi3filter.RequestValidationInput, route Route) error {
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return describe(req, route.Operation, err)
	}
	return nil
}

// checkCredentials checks a routed request against its operation's security
// requirement alone (the operation's own, or else the document's): nothing else of
// the request is looked at. err wraps ErrNoCredentials when the credentials are
// missing or malformed.
func (c *Contract) checkCredentials(req *http.Request, in *openapi3filter.RequestValidationInput, route Route) error {
	security := in.Route.Operation.Security
	if security == nil {
		security = &c.doc.Security
	}
	if err := openapi3filter.ValidateSecurityRequirements(req.Context(), in, *security); err != nil {
		return describe(req, route.Operation, err)
	}
	return nil
}

// CheckResponse checks a response to req against the operation req is for: a status
// the operation declares, its declared headers, content type and body.
func (c *Contract) CheckResponse(req *http.Request, status int, header http.Header, body []byte) error {
	in, err := c.input(req)
	if err != nil {
		return err
	}
	op := in.Route.Operation.OperationID
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                c.opts,
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		return fmt.Errorf("the %d response to %s (%s) breaks the spec: %w", status, op, req.Method, flatten(err))
	}
	return nil
}

// input routes req. A request that arrived at a server has no scheme and host in its
// URL; they are taken from the server URL the contract was built for.
func (c *Contract) input(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	routed := req
	if req.URL.Host == "" {
		u := *req.URL
		u.Scheme, u.Host = c.base.Scheme, c.base.Host
		routed = req.Clone(req.Context())
		routed.URL = &u
	}
	route, params, err := c.router.FindRoute(routed)
	if err == nil && strings.HasSuffix(routed.URL.Path, "/") != strings.HasSuffix(route.Path, "/") {
		// The router forgives a trailing slash the document does not have; SendGrid
		// does not.
		return nil, fmt.Errorf("%w: %s %s (mind the trailing slash)", ErrNoOperation, req.Method, req.URL.EscapedPath())
	}
	if err != nil {
		if c.otherMethodMatches(routed) {
			return nil, fmt.Errorf("%w: %s %s", ErrMethodNotAllowed, req.Method, req.URL.EscapedPath())
		}
		return nil, fmt.Errorf("%w: %s %s", ErrNoOperation, req.Method, req.URL.EscapedPath())
	}
	return &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    c.opts,
	}, nil
}

// otherMethodMatches reports whether the document has an operation on req's path with
// another method. (The router itself says "method not allowed" only for paths
// without parameters.)
func (c *Contract) otherMethodMatches(req *http.Request) bool {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodHead, http.MethodOptions, http.MethodTrace} {
		if m == req.Method {
			continue
		}
		other := *req
		other.Method = m
		if _, _, err := c.router.FindRoute(&other); err == nil {
			return true
		}
	}
	return false
}

// describe turns a request validation error into one that says which operation and
// what was wrong, keeping ErrNoCredentials visible to errors.Is.
func describe(req *http.Request, op string, err error) error {
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sec) {
		for _, e := range sec.Errors {
			if errors.Is(e, ErrNoCredentials) {
				return fmt.Errorf("%s %s (%s): %w", req.Method, req.URL.EscapedPath(), op, e)
			}
		}
	}
	return fmt.Errorf("%s %s (%s) breaks the spec: %w", req.Method, req.URL.EscapedPath(), op, flatten(err))
}

// flatten joins a kin-openapi MultiError into one line.
func flatten(err error) error {
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		return err
	}
	msgs := make([]string, len(me))
	for i, e := range me {
		msgs[i] = strings.ReplaceAll(e.Error(), "\n", " ")
	}
	return errors.New(strings.Join(msgs, "; "))
}
