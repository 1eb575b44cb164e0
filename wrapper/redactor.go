package wrapper

import "github.com/sendgrid-sso/sendgrid-sso/internal/redact"

// redactor is the one place that knows the API key, and the one point that every
// piece of text from the network passes before it reaches an error, a log line or a
// terminal: it hides the API key (matched without regard to ASCII case, since URL
// parsing lower-cases a scheme), every URL query and every "code=" value (where
// one-time login codes travel), then escapes control, bidi and other invisible runes
// (internal/safetext) so that nothing can forge a line or restyle a terminal. The
// finding and hiding is internal/redact's; the key is passed there from here alone.
//
// Secrets are looked for in the text as a reader or a decoder reads it: escapes
// decoded, invisible runes dropped, spaces skipped inside the key. What is found there
// is hidden in the text as it was written, and the rest stays as it was.
//
// The key sits behind functions, so printing a Client by reflection (a Client in an
// unexported field, which fmt prints without calling its methods) shows an address,
// never the key.
type redactor struct {
	key    func() string
	bearer func() string // "Bearer " + key, built once for the Authorization header
}

// newRedactor returns the redactor of a client authenticated by key.
func newRedactor(key string) redactor {
	bearer := "Bearer " + key
	return redactor{key: func() string { return key }, bearer: func() string { return bearer }}
}

// text returns s made safe to show: white space runs folded to one space, the key,
// URL queries and "code=" values removed, the rest escaped, cut to at most limit bytes
// (0: no limit).
func (r redactor) text(s string, limit int) string {
	return redact.Text(s, limit, r.keyText())
}

// keyText returns the key, or "" for a redactor without one.
func (r redactor) keyText() string {
	if r.key == nil {
		return ""
	}
	return r.key()
}

// error returns err with a text made safe by text (see redact.Error).
func (r redactor) error(err error) error {
	return redact.Error(err, r.keyText())
}

// redact hides the API key, URL queries and "code=" values in s.
func (r redactor) redact(s string) string {
	return redact.Hide(s, true, r.keyText())
}
