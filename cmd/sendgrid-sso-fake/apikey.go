package main

import (
	"errors"
	"fmt"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

// defaultAPIKey is the published key the fake accepts unless --key (or its old
// spelling, --api-key) says otherwise, as the docs' examples send it. (An ssotest
// server in a Go test makes a random key of its own unless WithAPIKey gives one.)
const defaultAPIKey = "SG.ssotest-fake-api-key"

// randomKey is the --key value that asks for a fresh random key.
const randomKey = "random"

// maxKeyBytes bounds --key: far above a SendGrid key's 69 bytes.
const maxKeyBytes = 256

// apiKeyFlag is --key KEY|random (--api-key its old spelling): the key the fake
// accepts.
type apiKeyFlag struct {
	key string // "" when unset
}

// String is the flag's value as given, or the published default when unset.
func (f *apiKeyFlag) String() string {
	if f.key == "" {
		return defaultAPIKey
	}
	return f.key
}

// Set takes a key of printable ASCII without spaces, as a SendGrid key is and as
// sendgrid-sso sends one, or "random".
func (f *apiKeyFlag) Set(s string) error {
	if s == "" || len(s) > maxKeyBytes {
		return fmt.Errorf("want a key of 1 to %d bytes, or %q", maxKeyBytes, randomKey)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			return errors.New("want a key of printable ASCII without spaces (such as SG.test-key), or " + randomKey)
		}
	}
	f.key = s
	return nil
}

// options is the fake's options for the flag: the published default key when unset,
// none for random (each server makes a fresh key), else the key given.
func (f *apiKeyFlag) options() []ssotest.Option {
	switch f.key {
	case "":
		return []ssotest.Option{ssotest.WithAPIKey(defaultAPIKey)}
	case randomKey:
		return nil
	}
	return []ssotest.Option{ssotest.WithAPIKey(f.key)}
}
