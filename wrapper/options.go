package wrapper

import (
	"log/slog"
	"net/http"
	"time"
)

// Option configures a Client in New.
type Option func(*settings)

// settings collects what the options say before New checks it.
type settings struct {
	region        Region
	baseURL       string
	httpClient    *http.Client
	maxRetries    int
	maxRetryWait  time.Duration
	backoffBase   time.Duration
	userAgentNote string
	logger        *slog.Logger
}

func defaultSettings() settings {
	return settings{
		region:       RegionGlobal,
		maxRetries:   2,
		maxRetryWait: 30 * time.Second,
		backoffBase:  500 * time.Millisecond,
	}
}

// WithRegion selects the SendGrid region; the default is RegionGlobal. An unknown
// region makes New fail.
func WithRegion(r Region) Option {
	return func(s *settings) { s.region = r }
}

// WithBaseURL sends requests to baseURL instead of the region's API, for a proxy or a
// fake server such as ssotest. It overrides WithRegion. The URL must be absolute and
// https; plain http is accepted only for loopback hosts (localhost, 127.0.0.0/8, ::1).
// A path is kept as a prefix: "https://proxy.example/sendgrid" sends
// "https://proxy.example/sendgrid/v3/...".
func WithBaseURL(baseURL string) Option {
	return func(s *settings) { s.baseURL = baseURL }
}

// WithHTTPClient makes the Client send its requests through hc: its transport, its
// timeout (applied to each attempt) and its cookie jar. No redirect is ever followed,
// whatever hc's CheckRedirect says; hc itself is not changed. The default is a client
// with the transport of DefaultTransport and a 60s timeout per attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithMaxRetries sets how many times a failed request is retried; the default is 2
// (three attempts in all) and 0 turns retries off. A negative n makes New fail.
//
// GetSSOCertificate is retried on 429, 5xx and connection errors; AuthenticateAccount
// on 429 only, since after a 5xx a login may already have been minted. The wait is
// Retry-After where the response has one; for a 429 without it, the time until
// X-RateLimit-Reset; for a 5xx or a connection error, an exponential backoff with
// jitter, never the rate-limit window (SendGrid sends X-RateLimit-Reset on every
// answer). Each wait is capped (WithMaxRetryWait), and one that would end past the
// context's deadline is not started: the call returns at once.
func WithMaxRetries(n int) Option {
	return func(s *settings) { s.maxRetries = n }
}

// WithMaxRetryWait caps how long the Client waits before one retry, whatever
// Retry-After says; the default is 30s. A wait that would pass the context's deadline
// is not started: the call returns at once.
func WithMaxRetryWait(d time.Duration) Option {
	return func(s *settings) { s.maxRetryWait = d }
}

// WithUserAgent adds product to the User-Agent header, before this module's own
// token: "my-console/2.1 sendgrid-sso-go/0.1.0 (...)".
func WithUserAgent(product string) Option {
	return func(s *settings) { s.userAgentNote = product }
}

// withBackoffBase sets the first backoff step (default 500ms); tests shorten it.
func withBackoffBase(d time.Duration) Option {
	return func(s *settings) { s.backoffBase = d }
}
