package wrapper

import (
	"fmt"
	"strings"
)

// Region selects which SendGrid API a Client talks to. An API key belongs to one
// region and is refused by the other.
type Region string

const (
	// RegionGlobal is https://api.sendgrid.com, for global users and subusers.
	RegionGlobal Region = "global"
	// RegionEU is https://api.eu.sendgrid.com, for EU regional subusers.
	RegionEU Region = "eu"
)

// baseURL returns the region's API base URL, or false for an unknown region.
func (r Region) baseURL() (string, bool) {
	switch r {
	case RegionGlobal:
		return "https://api.sendgrid.com", true
	case RegionEU:
		return "https://api.eu.sendgrid.com", true
	}
	return "", false
}

// ParseRegion reads a region name as users type it: "global" or "eu", in any case,
// with surrounding spaces ignored. An empty string means RegionGlobal.
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(s)))
	if r == "" {
		return RegionGlobal, nil
	}
	if _, ok := r.baseURL(); !ok {
		return "", fmt.Errorf("%w: unknown region %q: use %q or %q", ErrInvalidConfig, s, RegionGlobal, RegionEU)
	}
	return r, nil
}
