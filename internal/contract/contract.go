// Package contract checks HTTP traffic against an OpenAPI 3 document with kin-openapi:
// which operation a request is for (Route), whether the request is one the document
// allows (CheckRequest, CheckCredentials), and whether a response is one the operation
// declares: its status, headers, content type and body (CheckResponse).
//
// It knows the document and nothing else: wrapper/ssotest checks every request and
// answer of the fake with it, and the contract tests in tests/ check the client's side
// of the traffic with the same rules.
//
// An error says on one line what broke the document, and keeps kin-openapi's errors
// in its chain (*openapi3filter.RequestError, *openapi3filter.ResponseError,
// *openapi3.SchemaError, …) for errors.As. The rules this package adds to kin-openapi's
// have sentinels of their own (ErrNoOperation, ErrMethodNotAllowed, ErrNoCredentials,
// ErrBodyNotAllowed, ErrUndeclaredStatus), for errors.Is: tests assert on those and on
// kin-openapi's types and fields, never on its wording.
package contract

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

// Contract is an OpenAPI 3 document, routed for one server URL. It is safe for
// concurrent use.
type Contract struct {
	doc      *openapi3.T
	router   routers.Router
	base     *url.URL
	opts     *openapi3filter.Options
	ops      map[string]*openapi3.Operation // by operationId
	statuses map[string][]string            // operationId → the statuses it declares, sorted
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

// The rules this package checks itself, on top of kin-openapi's.
var (
	// ErrNoOperation is wrapped when no path of the document matches the request.
	ErrNoOperation = errors.New("no operation in the spec matches the request path")
	// ErrMethodNotAllowed is wrapped when the path matches but not the method.
	ErrMethodNotAllowed = errors.New("the spec declares no operation for this method on this path")
	// ErrNoCredentials is wrapped when the request does not carry the credentials the
	// document's security requirement asks for ("Authorization: Bearer <key>").
	ErrNoCredentials = errors.New("the request lacks the credentials the spec requires")
	// ErrBodyNotAllowed is wrapped when a request has a body and its operation
	// declares none.
	ErrBodyNotAllowed = errors.New("request body not allowed: the operation declares none")
	// ErrUndeclaredStatus is wrapped when a response has a status its operation does
	// not declare.
	ErrUndeclaredStatus = errors.New("the operation declares no response with this status")
)

// New loads spec (YAML or JSON), validates it (examples aside), and routes requests
// sent to serverURL: the document's own servers are replaced by serverURL, so requests
// to a fake or a proxy find their operations.
func New(spec []byte, serverURL string) (*Contract, error) {
	base, err := url.Parse(serverURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("contract: server URL %q must be absolute, like http://127.0.0.1:8080", serverURL)
	}
	loaded, err := load(spec)
	if err != nil {
		return nil, fmt.Errorf("contract: loading the spec: %w", err)
	}
	doc := *loaded // shared parts are only read
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(serverURL, "/")}}
	// Examples are the spec's own business (the contract tests check them); a
	// contract checks traffic, so a wrong example does not stop it.
	router, err := legacy.NewRouter(&doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("contract: the spec is not a valid OpenAPI 3 document: %w", err)
	}
	c := &Contract{
		doc:      &doc,
		router:   router,
		base:     base,
		ops:      map[string]*openapi3.Operation{},
		statuses: map[string][]string{},
		opts: &openapi3filter.Options{
			// Undeclared statuses and bodies where none is declared are refused by
			// this package's own rules (ErrUndeclaredStatus, ErrBodyNotAllowed), so
			// that they have errors of their own.
			MultiError:         true,
			AuthenticationFunc: bearerCredentials,
			// One line per violation: the schema and value dumps add nothing a
			// reader of the spec lacks.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.DisableSchemaErrorDetails(),
				// kin-openapi checks no "uri" format by itself: a 303 whose Location
				// is not a URI would pass.
				openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(CheckURI)),
			},
		},
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			c.ops[op.OperationID] = op
		}
	}
	for _, p := range c.Pairs() {
		c.statuses[p.Operation] = append(c.statuses[p.Operation], p.Status)
	}
	return c, nil
}

// loaded caches parsed documents by their bytes: parsing the YAML is most of the cost
// of a new contract, and tests start many fakes.
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

// Statuses returns the statuses operation declares, sorted, such as ["303", "401"];
// none for an operation the document does not have.
func (c *Contract) Statuses(operation string) []string {
	return append([]string(nil), c.statuses[operation]...)
}

// Declares reports whether operation declares a response for status: the status
// itself, its range ("5XX") or a default response.
func (c *Contract) Declares(operation string, status int) bool {
	op := c.ops[operation]
	return op != nil && (op.Responses.Status(status) != nil || op.Responses.Default() != nil)
}

// Route names the operation a request is for, and its path parameters unescaped. It
// holds the request, for the checks that follow.
type Route struct {
	// Operation is the operationId.
	Operation string
	// Params maps each path parameter to its value, unescaped ("a%2Fb" gives "a/b").
	Params map[string]string

	in *openapi3filter.RequestValidationInput
}

// Route finds the operation req is for, without checking req against it; err wraps
// ErrNoOperation or ErrMethodNotAllowed when there is none. A request that arrived at
// a server, with no scheme and host in its URL, is routed as if sent to the server URL
// of the contract.
func (c *Contract) Route(req *http.Request) (Route, error) {
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
		return Route{}, fmt.Errorf("%w: %s %s (mind the trailing slash)", ErrNoOperation, req.Method, req.URL.EscapedPath())
	}
	if err != nil {
		if c.otherMethodMatches(routed) {
			return Route{}, fmt.Errorf("%w: %s %s", ErrMethodNotAllowed, req.Method, req.URL.EscapedPath())
		}
		return Route{}, fmt.Errorf("%w: %s %s", ErrNoOperation, req.Method, req.URL.EscapedPath())
	}
	r := Route{
		Operation: route.Operation.OperationID,
		Params:    make(map[string]string, len(params)),
		in:        &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: c.opts},
	}
	for k, v := range params {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		r.Params[k] = v
	}
	return r, nil
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

// errNoRoute is the error of a check given a Route that Route did not find.
var errNoRoute = fmt.Errorf("%w: the check was given no route; call Route first", ErrNoOperation)

// CheckRequest checks the request of r against its operation: security requirement,
// parameters and body. err wraps ErrNoCredentials or ErrBodyNotAllowed where they
// apply. A request body is read and put back.
func (c *Contract) CheckRequest(r Route) error {
	if r.in == nil {
		return errNoRoute
	}
	req := r.in.Request
	var errs []error
	if err := openapi3filter.ValidateRequest(req.Context(), r.in); err != nil {
		errs = append(errs, err)
	}
	if r.in.Route.Operation.RequestBody == nil && req.ContentLength > 0 {
		errs = append(errs, ErrBodyNotAllowed)
	}
	if len(errs) == 0 {
		return nil
	}
	return describe(req, r.Operation, errors.Join(errs...))
}

// CheckCredentials checks the request of r against its operation's security
// requirement alone (the operation's own, or else the document's): nothing else of
// the request is looked at. err wraps ErrNoCredentials when the credentials are
// missing or malformed.
func (c *Contract) CheckCredentials(r Route) error {
	if r.in == nil {
		return errNoRoute
	}
	security := r.in.Route.Operation.Security
	if security == nil {
		security = &c.doc.Security
	}
	req := r.in.Request
	if err := openapi3filter.ValidateSecurityRequirements(req.Context(), r.in, *security); err != nil {
		return describe(req, r.Operation, err)
	}
	return nil
}

// CheckResponse checks a response to the request of r against its operation: a status
// the operation declares (else err wraps ErrUndeclaredStatus), its declared headers,
// content type and body.
func (c *Contract) CheckResponse(r Route, status int, header http.Header, body []byte) error {
	if r.in == nil {
		return errNoRoute
	}
	req := r.in.Request
	var err error
	if !c.Declares(r.Operation, status) {
		err = ErrUndeclaredStatus
	} else {
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: r.in,
			Status:                 status,
			Header:                 header,
			Options:                c.opts,
		}
		out.SetBodyBytes(body)
		err = openapi3filter.ValidateResponse(req.Context(), out)
	}
	if err != nil {
		return fmt.Errorf("the %d response to %s (%s) breaks the spec: %w", status, r.Operation, req.Method, oneLine(err))
	}
	return nil
}

// describe turns a request validation error into one that says which operation and
// what was wrong. Missing credentials are said alone, as their own error.
func describe(req *http.Request, op string, err error) error {
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sec) {
		for _, e := range sec.Errors {
			if errors.Is(e, ErrNoCredentials) {
				return fmt.Errorf("%s %s (%s): %w", req.Method, req.URL.EscapedPath(), op, e)
			}
		}
	}
	return fmt.Errorf("%s %s (%s) breaks the spec: %w", req.Method, req.URL.EscapedPath(), op, oneLine(err))
}

// lineError says err on one line: each error it holds (kin-openapi's MultiError, or a
// join) in turn, separated by "; ". It unwraps to err, so that errors.Is and errors.As
// still find every error err holds.
type lineError struct{ err error }

// oneLine returns err said on one line.
func oneLine(err error) error { return lineError{err} }

func (l lineError) Error() string {
	var msgs []string
	var add func(error)
	add = func(err error) {
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			for _, inner := range joined.Unwrap() {
				add(inner)
			}
			return
		}
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, inner := range me {
				add(inner)
			}
			return
		}
		msgs = append(msgs, strings.ReplaceAll(err.Error(), "\n", " "))
	}
	add(l.err)
	return strings.Join(msgs, "; ")
}

func (l lineError) Unwrap() error { return l.err }

// CheckURI accepts an absolute URI (RFC 3986): a scheme, then only characters a URI
// may hold, percent signs only in escapes, and a form net/url parses. It is the
// document's "uri" format.
func CheckURI(s string) error {
	if !isURI(s) {
		return errors.New("not an absolute URI")
	}
	return nil
}

// isURI reports whether s is an absolute URI; see CheckURI.
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
