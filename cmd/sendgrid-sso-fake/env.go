package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// envPrefix starts the name of the environment variable of each serving flag: --addr
// is SENDGRID_SSO_FAKE_ADDR, --tls-cert SENDGRID_SSO_FAKE_TLS_CERT, for a fake run in
// a container. A flag on the command line wins over its variable.
const envPrefix = "SENDGRID_SSO_FAKE_"

// envName is the environment variable of the flag name, or "" for a flag that has
// none (--version; --api-key, whose variable is --key's). --tls-host, repeatable,
// takes SENDGRID_SSO_FAKE_TLS_HOSTS, a comma-separated list.
func envName(flagName string) string {
	switch flagName {
	case "version", "api-key":
		return ""
	case "tls-host":
		return envPrefix + "TLS_HOSTS"
	}
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// documentEnv adds each flag's variable to its usage, so that --help lists them.
func documentEnv(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if env := envName(f.Name); env != "" {
			f.Usage += " (env " + env + ")"
		}
	})
}

// applyEnv sets each flag the command line left unset from its variable, if that is
// set and not empty. An error names the variable, not its value (SENDGRID_SSO_FAKE_KEY
// holds a key). It also refuses --key with --api-key, its old spelling.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	if onCommandLine["key"] && onCommandLine["api-key"] {
		return errors.New("--key and --api-key are the same flag (--api-key is its old spelling): give one")
	}
	onCommandLine["key"] = onCommandLine["key"] || onCommandLine["api-key"]
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := envName(f.Name)
		value := ""
		if env != "" {
			value = getenv(env)
		}
		if err != nil || value == "" || onCommandLine[f.Name] {
			return
		}
		values := []string{value}
		if f.Name == "tls-host" {
			values = strings.Split(value, ",")
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s (for --%s): %w", env, f.Name, serr)
				return
			}
		}
	})
	return err
}
