package wrapper

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// A redirect's Location reaches the exchange through the attempt's heldLocation, not
// through a response header: holdLocation takes it out of the headers and adds none
// of its own, so nothing reads a Location, or a header standing in for one, that the
// Client did not check.
func TestHoldLocationLeavesNoHeader(t *testing.T) {
	const loc = "https://app.sendgrid.com/login?code=" + testLoginCode
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		next := roundTripFn(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Header: http.Header{"Location": {loc}, "X-Other": {"kept"}}, Body: http.NoBody, Request: r}, nil
		})
		req, err := http.NewRequest(http.MethodPost, "https://api.sendgrid.com/v3/partners/accounts/a/sso", nil)
		if err != nil {
			t.Fatal(err)
		}
		held := &heldLocation{Context: context.Background()}
		for name, ctx := range map[string]context.Context{"with a heldLocation": held, "without one": context.Background()} {
			resp, err := holdLocation{next: next}.RoundTrip(req.WithContext(ctx))
			if err != nil {
				t.Fatal(err)
			}
			if keys := slices.Sorted(maps.Keys(resp.Header)); !slices.Equal(keys, []string{"X-Other"}) {
				t.Errorf("%d, %s: the response's headers are %q, want the server's without Location", status, name, keys)
			}
		}
		if !slices.Equal(held.values, []string{loc}) || held.requestURL != req.URL {
			t.Errorf("%d: held %q from %v, want the Location from the request's URL", status, held.values, held.requestURL)
		}
	}
}

// With a cookie jar the Client sends through http.Client, which parses a redirect's
// Location before it asks CheckRedirect, and on a parse failure returns an error that
// quotes the Location whole, code included. The Location is kept from it there too:
// the Client's own check refuses it, naming no part of it.
func TestJarClientNeverSeesTheLocation(t *testing.T) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The code in the path: no query and no "code=" for the redactor to find.
	srv := serve(t, redirectTo("https://app.sendgrid.com/%zz/"+testLoginCode))
	c := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Jar: jar}), WithMaxRetries(0))
	if _, ok := c.gen.Client.(*http.Client); !ok {
		t.Fatalf("the generated client sends through %T, want *http.Client", c.gen.Client)
	}
	login, err := c.AuthenticateAccount(context.Background(), "acct-1")
	var ue *url.Error
	if !errors.Is(err, ErrInvalidResponse) || errors.As(err, &ue) || !strings.Contains(err.Error(), "does not parse") {
		t.Errorf("login %v, err %v: want the Client's own ErrInvalidResponse, not http.Client's", login, err)
	}
	assertNoSecret(t, "error", err)
}
