package tests

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/api"
	"github.com/sendgrid-sso/sendgrid-sso/internal/contract"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// world is one contract run: the fake, as the code has it (checking against the
// embedded spec), and a validating transport on the client's side, checking against
// spec: the embedded one, or a change to it that the code does not follow.
type world struct {
	srv *ssotest.Server
	vt  *validatingTransport
}

// newWorld starts a fake and a validating transport for it checking against spec,
// logging to log. The caller closes w.srv.
func newWorld(spec []byte, log *trafficLog) (*world, error) {
	srv := ssotest.NewServer()
	c, err := contract.New(spec, srv.URL)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &world{srv: srv, vt: &validatingTransport{base: &http.Transport{}, contract: c, log: log}}, nil
}

// client builds a wrapper.Client for the fake with key, sending through the
// validating transport, with retry waits capped at 1ms.
func (w *world) client(key string, opts ...wrapper.Option) *wrapper.Client {
	c, err := wrapper.New(key, append([]wrapper.Option{
		wrapper.WithBaseURL(w.srv.URL),
		wrapper.WithHTTPClient(&http.Client{Transport: w.vt}),
		wrapper.WithMaxRetryWait(time.Millisecond),
	}, opts...)...)
	if err != nil {
		panic(err) // the options are this file's own
	}
	return c
}

// scenario drives the client into one declared (operation, status) pair and checks
// what the client made of it.
type scenario struct {
	pair string // "Operation Status", the pair it aims at
	run  func(ctx context.Context, w *world) error
}

var certID = fmt.Sprint(ssotest.DefaultCertificateID)

// scenarios cover every pair api/openapi.yaml declares; TestContract fails when the
// spec declares a pair that none of them reaches.
var scenarios = []scenario{
	{"GetSsoCertificate 200", func(ctx context.Context, w *world) error {
		got, err := w.client(w.srv.APIKey).GetSSOCertificate(ctx, certID)
		if err != nil {
			return err
		}
		want := ssotest.DefaultCertificate()
		if got.ID != want.ID || got.PublicCertificate != want.PublicCertificate || got.IntegrationID != want.IntegrationID ||
			!got.NotBefore.Equal(want.NotBefore) || !got.NotAfter.Equal(want.NotAfter) {
			return fmt.Errorf("got certificate %+v, want %+v", got, want)
		}
		return nil
	}},
	{"GetSsoCertificate 400", func(ctx context.Context, w *world) error {
		_, err := w.client(w.srv.APIKey).GetSSOCertificate(ctx, "1")
		return wantAPIError(err, 400, nil, "invalid certificate id")
	}},
	{"GetSsoCertificate 401", func(ctx context.Context, w *world) error {
		_, err := w.client("SG.wrong-key").GetSSOCertificate(ctx, certID)
		return wantAPIError(err, 401, wrapper.ErrUnauthorized, "Failed to authenticate user")
	}},
	{"GetSsoCertificate 403", func(ctx context.Context, w *world) error {
		w.srv.FailNext(1, ssotest.Fault{Status: 403})
		_, err := w.client(w.srv.APIKey).GetSSOCertificate(ctx, certID)
		return wantAPIError(err, 403, wrapper.ErrForbidden, "Forbidden")
	}},
	{"GetSsoCertificate 429", func(ctx context.Context, w *world) error {
		// Retried, then served.
		w.srv.FailNext(1, ssotest.Fault{Status: 429, RetryAfter: time.Second})
		if _, err := w.client(w.srv.APIKey).GetSSOCertificate(ctx, certID); err != nil {
			return fmt.Errorf("after one 429: %w", err)
		}
		// Not retried: the error carries Retry-After. The body is the 429 the API
		// documentation shows, "field": null (the fake's own errors send "").
		w.srv.FailNext(1, ssotest.Fault{Status: 429, RetryAfter: 2 * time.Second,
			Body: `{"errors":[{"field":null,"message":"too many requests"}]}`})
		_, err := w.client(w.srv.APIKey, wrapper.WithMaxRetries(0)).GetSSOCertificate(ctx, certID)
		var apiErr *wrapper.APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter != 2*time.Second {
			return fmt.Errorf("RetryAfter = %v, want 2s", apiErr.RetryAfter)
		}
		return wantAPIError(err, 429, wrapper.ErrRateLimited, "too many requests")
	}},
	{"GetSsoCertificate 500", func(ctx context.Context, w *world) error {
		w.srv.FailNext(3, ssotest.Fault{Status: 500})
		return wantAttempts(w, 3, func() error {
			_, err := w.client(w.srv.APIKey).GetSSOCertificate(ctx, certID)
			return wantAPIError(err, 500, wrapper.ErrServer, "Internal Server Error")
		})
	}},
	{"AuthenticateAccount 303", func(ctx context.Context, w *world) error {
		before := time.Now()
		login, err := w.client(w.srv.APIKey).AuthenticateAccount(ctx, ssotest.DefaultAccountID)
		after := time.Now()
		if err != nil {
			return err
		}
		if got := login.URL.Scheme + "://" + login.URL.Host + login.URL.Path; got != w.srv.URL+"/login" || login.URL.Query().Get("code") == "" {
			return fmt.Errorf("login URL %s, want %s/login with a code", login, w.srv.URL)
		}
		if login.ExpiresAt.Before(before.Add(wrapper.LoginValidity)) || login.ExpiresAt.After(after.Add(wrapper.LoginValidity)) {
			return fmt.Errorf("ExpiresAt %v is not the answer's arrival plus %v", login.ExpiresAt, wrapper.LoginValidity)
		}
		if n := w.srv.LoginsFollowed(); n != 0 {
			return fmt.Errorf("the client followed the 303 %d times", n)
		}
		return nil
	}},
	{"AuthenticateAccount 401", func(ctx context.Context, w *world) error {
		_, err := w.client("SG.wrong-key").AuthenticateAccount(ctx, ssotest.DefaultAccountID)
		return wantAPIError(err, 401, wrapper.ErrUnauthorized, "Failed to authenticate user")
	}},
	{"AuthenticateAccount 403", func(ctx context.Context, w *world) error {
		w.srv.FailNext(1, ssotest.Fault{Status: 403})
		_, err := w.client(w.srv.APIKey).AuthenticateAccount(ctx, ssotest.DefaultAccountID)
		return wantAPIError(err, 403, wrapper.ErrForbidden, "Forbidden")
	}},
	{"AuthenticateAccount 404", func(ctx context.Context, w *world) error {
		_, err := w.client(w.srv.APIKey).AuthenticateAccount(ctx, "no-such-account")
		return wantAPIError(err, 404, wrapper.ErrNotFound, "account not found")
	}},
	{"AuthenticateAccount 500", postServerError(500, "Internal Server Error")},
	{"AuthenticateAccount 502", postServerError(502, "Bad Gateway")},
	{"AuthenticateAccount 503", postServerError(503, "Service Unavailable")},
	{"AuthenticateAccount 504", postServerError(504, "Gateway Timeout")},
}

// postServerError answers the POST with status once: the client must not retry it
// (a code may have been minted) and must report it.
func postServerError(status int, msg string) func(context.Context, *world) error {
	return func(ctx context.Context, w *world) error {
		w.srv.FailNext(1, ssotest.Fault{Status: status, RetryAfter: time.Second})
		return wantAttempts(w, 1, func() error {
			_, err := w.client(w.srv.APIKey).AuthenticateAccount(ctx, ssotest.DefaultAccountID)
			return wantAPIError(err, status, wrapper.ErrServer, msg)
		})
	}
}

// wantAttempts runs call and checks that it sent n requests.
func wantAttempts(w *world, n int, call func() error) error {
	before := w.srv.Requests()
	if err := call(); err != nil {
		return err
	}
	if got := w.srv.Requests() - before; got != n {
		return fmt.Errorf("sent %d requests, want %d", got, n)
	}
	return nil
}

// wantAPIError checks that err is an *APIError with status and the one message msg,
// matching sentinel (when not nil) with errors.Is.
func wantAPIError(err error, status int, sentinel error, msg string) error {
	var apiErr *wrapper.APIError
	switch {
	case !errors.As(err, &apiErr):
		return fmt.Errorf("err = %v, want an *APIError", err)
	case apiErr.StatusCode != status:
		return fmt.Errorf("status %d, want %d: %v", apiErr.StatusCode, status, err)
	case len(apiErr.Errors) != 1 || apiErr.Errors[0].Message != msg:
		return fmt.Errorf("errors %v, want one with message %q", apiErr.Errors, msg)
	case sentinel != nil && !errors.Is(err, sentinel):
		return fmt.Errorf("errors.Is(%v, %v) is false", err, sentinel)
	}
	return nil
}

// report is what one contract run found.
type report struct {
	declared  []contract.Pair
	exercised map[contract.Pair]int
	problems  []error // the transport's *exchangeError, and the scenarios' and fake's findings
}

// missing returns the declared pairs that no request exercised.
func (r report) missing() []string {
	var out []string
	for _, p := range r.declared {
		if r.exercised[p] == 0 {
			out = append(out, p.String())
		}
	}
	return out
}

// runContract runs every scenario, each against a fresh fake serving spec, through
// a transport checking against spec, and reports what they saw.
func runContract(spec []byte) report {
	log := newTrafficLog()
	var rep report
	for _, sc := range scenarios {
		problems, declared := runScenario(sc, spec, log)
		rep.problems = append(rep.problems, problems...)
		rep.declared = declared
	}
	rep.problems = append(rep.problems, log.violations...)
	rep.exercised = log.exercised
	return rep
}

// runScenario runs sc against a fresh fake and returns the problems it found and the
// pairs spec declares.
func runScenario(sc scenario, spec []byte, log *trafficLog) (problems []error, declared []contract.Pair) {
	w, err := newWorld(spec, log)
	if err != nil {
		return []error{err}, nil
	}
	defer w.srv.Close()
	before := log.count(pairOf(sc.pair))
	if err := sc.run(context.Background(), w); err != nil {
		problems = append(problems, fmt.Errorf("scenario %s: %w", sc.pair, err))
	} else if log.count(pairOf(sc.pair)) == before {
		problems = append(problems, fmt.Errorf("scenario %s: passed without a valid %s exchange", sc.pair, sc.pair))
	}
	for _, v := range w.srv.InvalidRequests() {
		problems = append(problems, fmt.Errorf("the fake refused: %s", v))
	}
	for _, v := range w.srv.InvalidResponses() {
		problems = append(problems, fmt.Errorf("the fake drifted: %s", v))
	}
	return problems, w.vt.contract.Pairs()
}

func pairOf(s string) contract.Pair {
	op, status, _ := strings.Cut(s, " ")
	return contract.Pair{Operation: op, Status: status}
}

// TestContract drives the client into every (operation, status) pair the spec
// declares, checks both sides of every exchange against the spec, and fails when a
// declared pair is not exercised.
func TestContract(t *testing.T) {
	rep := runContract(api.Spec())
	for _, p := range rep.problems {
		t.Error(p)
	}
	if m := rep.missing(); len(m) > 0 {
		t.Errorf("declared in api/openapi.yaml but exercised by no scenario: %s", strings.Join(m, ", "))
	}
	var covered []string
	for _, p := range rep.declared {
		covered = append(covered, fmt.Sprintf("%s (%d)", p, rep.exercised[p]))
	}
	t.Logf("covered %d of %d declared (operation, status) pairs: %s",
		len(rep.declared)-len(rep.missing()), len(rep.declared), strings.Join(covered, ", "))
}
