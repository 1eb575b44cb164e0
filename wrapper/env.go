package wrapper

import (
	"fmt"
	"os"
)

// Environment variables read by NewFromEnv.
const (
	EnvAPIKey = "SENDGRID_API_KEY"
	EnvRegion = "SENDGRID_REGION"
)

// NewFromEnv is New with the API key from SENDGRID_API_KEY and the region from
// SENDGRID_REGION ("global" or "eu"; unset means global). opts come after the region
// and so override it.
func NewFromEnv(opts ...Option) (*Client, error) {
	key := os.Getenv(EnvAPIKey)
	if key == "" {
		return nil, fmt.Errorf("%w: %s is not set: export a SendGrid API key in it", ErrInvalidConfig, EnvAPIKey)
	}
	region, err := ParseRegion(os.Getenv(EnvRegion))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvRegion, err)
	}
	return New(key, append([]Option{WithRegion(region)}, opts...)...)
}
