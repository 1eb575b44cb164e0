package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// checkAPIKey trims surrounding white space (a key read from a file often ends in a
// newline) and refuses an empty key or one with inner white space or control
// characters. The error never repeats the key.
func checkAPIKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", fmt.Errorf("%w: the API key is empty: pass a SendGrid API key (it starts with \"SG.\")", ErrInvalidConfig)
	}
	for _, r := range key {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", fmt.Errorf("%w: the API key contains white space or control characters: check how it was copied", ErrInvalidConfig)
		}
	}
	return key, nil
}

// authorize is the generated client's request editor: it puts the bearer key and the
// User-Agent on each request. A request editor, not a RoundTripper, so a redirect or
// a retry through the transport never adds the header a second time.
func (c *Client) authorize(_ context.Context, req *http.Request) error {
	// One allocation for both values; each slice is capped so that an append to one
	// cannot write into the other.
	v := []string{c.authorization(), c.userAgent}
	req.Header["Authorization"] = v[0:1:1]
	req.Header["User-Agent"] = v[1:2:2]
	return nil
}

// String describes the client without its API key. Value receivers, so that a
// dereferenced Client prints redacted too.
func (c Client) String() string {
	base := ""
	if c.baseURL != nil {
		base = c.baseURL.Redacted()
	}
	return fmt.Sprintf("wrapper.Client{BaseURL: %s, Region: %q, APIKey: [REDACTED]}", base, c.region)
}

// GoString is String, so %#v does not print the key either.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so no fmt verb reaches the key. Its receiver
// is a value so that a Client value (*c, or a field of type Client) prints the same.
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// secret holds a credential behind a function: printing a Client by reflection (a
// Client in an unexported field, which fmt prints without calling its methods) shows
// an address, never the credential.
type secret func() string

func newSecret(s string) secret { return func() string { return s } }
