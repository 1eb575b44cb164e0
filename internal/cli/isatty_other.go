//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package cli

import "os"

// isTTY reports false: on this system the tool does not tell a terminal, so it keeps
// what it does for files and pipes (a browser command's output redacted, Prometheus
// labels unescaped for the terminal).
func isTTY(*os.File) bool { return false }
