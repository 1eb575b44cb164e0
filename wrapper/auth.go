package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/internal/redact"
)

// checkAPIKey trims surrounding white space (a key read from a file often ends in a
// newline) and refuses a key that is empty or holds anything but printable ASCII
// without spaces: an invisible rune (a BOM, a zero-width space, a soft hyphen) pasted
// with a key would make the API refuse it, and would keep a server's echo of the key
// from being recognised and redacted. The error never repeats the key.
func checkAPIKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", fmt.Errorf("%w: the API key is empty: pass a SendGrid API key (it starts with \"SG.\")", ErrInvalidConfig)
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c > '~' {
			return "", fmt.Errorf("%w: the API key has a character that is not printable ASCII at byte %d (a space, a control character or an invisible rune such as a BOM or a zero-width space): copy the key again as plain text", ErrInvalidConfig, i+1)
		}
	}
	return key, nil
}

// checkUserAgent refuses a WithUserAgent product that is not printable ASCII: a CR or
// LF would split the header, and net/http would refuse every request.
func checkUserAgent(product string) error {
	for i := 0; i < len(product); i++ {
		if c := product[i]; c < ' ' || c > '~' {
			return fmt.Errorf("%w: the User-Agent product has a character that is not printable ASCII at byte %d: use tokens such as \"my-console/2.1\"", ErrInvalidConfig, i+1)
		}
	}
	return nil
}

// authorize is the generated client's request editor: it puts the bearer key and the
// User-Agent on each request. A request editor, not a RoundTripper, so a redirect or
// a retry through the transport never adds the header a second time.
func (c *Client) authorize(_ context.Context, req *http.Request) error {
	// One allocation for both values; each slice is capped so that an append to one
	// cannot write into the other.
	v := []string{c.redact.bearer(), c.userAgent}
	req.Header["Authorization"] = v[0:1:1]
	req.Header["User-Agent"] = v[1:2:2]
	return nil
}

// String describes the client, its base URL and region, without its API key. Its
// receiver is a value so that a dereferenced Client prints redacted too.
func (c Client) String() string {
	base := ""
	if c.baseURL != nil {
		base = c.baseURL.Redacted()
	}
	return fmt.Sprintf("wrapper.Client{BaseURL: %s, Region: %q, APIKey: %s}", base, c.region, redact.Mark)
}

// Format prints String for every verb, %#v included, so no fmt verb reaches the key.
// Its receiver is a value so that a Client value (*c, or a field of type Client)
// prints the same.
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }
