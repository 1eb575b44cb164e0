package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
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

// envHelp is the table of the variables, for --help.
func envHelp(fs *flag.FlagSet) string {
	var rows []cli.Row
	fs.VisitAll(func(f *flag.Flag) {
		if env := envName(f.Name); env != "" {
			text := "--" + f.Name
			if f.Name == "tls-host" {
				text += ", comma-separated"
			}
			rows = append(rows, cli.Row{Key: env, Text: text})
		}
	})
	return cli.Table(rows...)
}

// applyEnv sets each flag the command line left unset from its variable, if that is
// set and not empty, and returns the variables it used by flag name. An error names
// the variable, not its value (SENDGRID_SSO_FAKE_KEY holds a key). It also refuses
// --key with --api-key, its old spelling.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) (map[string]string, error) {
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	if onCommandLine["key"] && onCommandLine["api-key"] {
		return nil, errors.New("--key and --api-key are the same flag (--api-key is its old spelling): give one")
	}
	onCommandLine["key"] = onCommandLine["key"] || onCommandLine["api-key"]
	used := map[string]string{}
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
		used[f.Name] = env
	})
	return used, err
}

// fromEnv is err, naming the variables of those of flags that were set from the
// environment (used, as applyEnv returns it), so that an error found once the flags
// are parsed (a --seed file's, say) points at the variable that gave the value.
func fromEnv(err error, used map[string]string, flags ...string) error {
	var envs []string
	for _, f := range flags {
		if env, ok := used[f]; ok {
			envs = append(envs, env)
		}
	}
	if err == nil || len(envs) == 0 {
		return err
	}
	return fmt.Errorf("%s: %w", strings.Join(envs, ", "), err)
}
