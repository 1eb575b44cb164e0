package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
)

// VersionFlagUsage is the help of --version, in both binaries.
const VersionFlagUsage = "print the version, the Go version and the source revision, and exit"

// WriteVersion writes what "prog --version" and "prog version" print: prog with the
// module's version (wrapper.Version, the one the User-Agent carries), the Go version
// and platform it was built with, and, for a binary built from a git checkout, the
// revision, its commit time and whether the tree had uncommitted changes, from the
// build information Go embeds.
func WriteVersion(w io.Writer, prog string) error {
	bi, _ := debug.ReadBuildInfo()
	_, err := io.WriteString(w, versionText(prog, bi))
	return err
}

// versionText is WriteVersion's text for build information bi (nil when the binary
// carries none).
func versionText(prog string, bi *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", prog, wrapper.Version)
	fmt.Fprintf(&b, "%-12s %s %s/%s\n", "go", goVersionOf(bi), runtime.GOOS, runtime.GOARCH)
	if bi == nil {
		return b.String()
	}
	vcs := vcsSettings(bi)
	if rev := vcs["revision"]; rev != "" {
		fmt.Fprintf(&b, "%-12s %s\n", "revision", rev)
		if t := vcs["time"]; t != "" {
			fmt.Fprintf(&b, "%-12s %s\n", "committed", t)
		}
		if vcs["modified"] == "true" {
			fmt.Fprintf(&b, "%-12s %s\n", "modified", "yes: built with uncommitted changes")
		} else {
			fmt.Fprintf(&b, "%-12s %s\n", "modified", "no")
		}
	}
	return b.String()
}

// BuildInfo is what WriteVersion says of the running binary, for a build_info
// metric: the module's version (wrapper.Version), the source revision ("" when the
// binary carries none) and the Go version it was built with.
func BuildInfo() (version, revision, goVersion string) {
	bi, _ := debug.ReadBuildInfo()
	return wrapper.Version, vcsSettings(bi)["revision"], goVersionOf(bi)
}

// goVersionOf is the Go version of build information bi (nil: none), else the
// running one.
func goVersionOf(bi *debug.BuildInfo) string {
	if bi != nil && bi.GoVersion != "" {
		return bi.GoVersion
	}
	return runtime.Version()
}

// vcsSettings are the vcs.* settings of bi (nil: none), by name without "vcs.".
func vcsSettings(bi *debug.BuildInfo) map[string]string {
	vcs := map[string]string{}
	if bi == nil {
		return vcs
	}
	for _, s := range bi.Settings {
		if name, ok := strings.CutPrefix(s.Key, "vcs."); ok {
			vcs[name] = s.Value
		}
	}
	return vcs
}

var versionCommand = &command{
	name:    "version",
	summary: "print the version, the Go version and the source revision",
	about: `Prints the tool's version (the module's, which the User-Agent also carries), the Go
version and platform it was built with and, when it was built from a git checkout,
the revision, its commit time and whether the tree had uncommitted changes.
'sendgrid-sso --version' prints the same.`,
	setup: func(*flag.FlagSet) runFunc {
		return func(_ context.Context, g *globals, _ []string) error { return WriteVersion(g.stdout, Name) }
	},
}
