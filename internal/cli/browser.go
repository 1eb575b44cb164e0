package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// envBrowser names the browser command(s) login --open uses before the platform's
// opener: the convention of other command-line tools (Python's webbrowser, git web,
// man).
const envBrowser = "BROWSER"

// opener is one command that opens a URL: argv with the URL in it.
type opener []string

// openers returns the commands to try for url, in order: each entry of $BROWSER
// (separated by ':', ';' on Windows), split on spaces, with "%s" replaced by the URL
// or, without "%s", the URL appended; else the platform's opener.
func openers(url string) []opener {
	var list []opener
	for _, entry := range strings.Split(os.Getenv(envBrowser), string(os.PathListSeparator)) {
		fields := strings.Fields(entry)
		if len(fields) == 0 {
			continue
		}
		placed := false
		for i, f := range fields {
			if strings.Contains(f, "%s") {
				fields[i], placed = strings.ReplaceAll(f, "%s", url), true
			}
		}
		if !placed {
			fields = append(fields, url)
		}
		list = append(list, fields)
	}
	if len(list) > 0 {
		return list
	}
	switch runtime.GOOS {
	case "darwin":
		return []opener{{"open", url}}
	case "windows":
		return []opener{{"rundll32", "url.dll,FileProtocolHandler", url}}
	default:
		return []opener{{"xdg-open", url}}
	}
}

// openURL hands url to the first opener that runs and exits 0, and returns its
// name. It waits for each (a text-mode browser runs in the foreground); their output
// goes to out, which must redact (openers quote the URL when they fail), so that
// stdout stays empty. The error names the commands and why they failed, never their
// arguments (the URL holds the one-time code).
func openURL(ctx context.Context, url string, out io.Writer) (string, error) {
	var errs []string
	for _, o := range openers(url) {
		cmd := exec.CommandContext(ctx, o[0], o[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, out, out
		err := cmd.Run()
		name := o[0]
		if strings.Contains(name, url) {
			name = "$" + envBrowser + "'s command" // "%s" alone: the URL is the command
		}
		if err == nil {
			return name, nil
		}
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			err = notFound.Err // exec.Error quotes the name only, but say it once
		}
		// An error of exec may quote the command, which "%s" made the URL.
		errs = append(errs, name+": "+strings.ReplaceAll(err.Error(), url, "(the login URL)"))
	}
	return "", errors.New(strings.Join(errs, "; "))
}
