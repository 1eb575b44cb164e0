package cli

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// envBrowser names the browser command(s) login --open uses before the platform's
// opener: the convention of other command-line tools (Python's webbrowser, git web,
// man).
const envBrowser = "BROWSER"

// urlPlaceholder stands for the URL in a browser command's arguments.
const urlPlaceholder = "%s"

// opener is one command that opens a URL, found before the URL exists.
type opener struct {
	name string   // as $BROWSER or the platform names it, for messages
	path string   // the executable it resolved to
	args []string // its arguments; urlPlaceholder in them stands for the URL
}

// argv is o's arguments for url.
func (o opener) argv(url string) []string {
	args := make([]string, len(o.args))
	for i, a := range o.args {
		args[i] = strings.ReplaceAll(a, urlPlaceholder, url)
	}
	return args
}

// openerCommands returns the commands to try, in order, each split into fields, with
// urlPlaceholder where the URL goes: each entry of browser, the value of $BROWSER
// (separated by ':', ';' on Windows), split on spaces, "%s" standing for the URL or,
// without one, the URL appended; else the platform's opener.
func openerCommands(browser string) [][]string {
	var list [][]string
	for _, entry := range strings.Split(browser, string(os.PathListSeparator)) {
		fields := strings.Fields(entry)
		if len(fields) == 0 {
			continue
		}
		if !strings.Contains(strings.Join(fields[1:], " "), urlPlaceholder) {
			fields = append(fields, urlPlaceholder)
		}
		list = append(list, fields)
	}
	if len(list) > 0 {
		return list
	}
	switch runtime.GOOS {
	case "darwin":
		return [][]string{{"open", urlPlaceholder}}
	case "windows":
		return [][]string{{"rundll32", "url.dll,FileProtocolHandler", urlPlaceholder}}
	default:
		return [][]string{{"xdg-open", urlPlaceholder}}
	}
}

// findOpeners resolves the browser commands of browser, the value of $BROWSER (see
// openerCommands), to executables on PATH, before login --open mints a login: one
// that no browser could be handed is a code wasted. It returns those found, in order,
// and for each that was not its name and why.
func findOpeners(browser string) (found []opener, missing []string) {
	for _, fields := range openerCommands(browser) {
		path, err := exec.LookPath(fields[0])
		if err != nil {
			missing = append(missing, fields[0]+": "+execReason(err).Error())
			continue
		}
		found = append(found, opener{name: fields[0], path: path, args: fields[1:]})
	}
	return found, missing
}

// execReason is why exec could not find or run a command, without its name, which
// the caller gives once.
func execReason(err error) error {
	var execErr *exec.Error
	if errors.As(err, &execErr) {
		err = execErr.Err
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}
	return err
}

// openURL hands url to the first of openers that runs and exits 0, and returns its
// name. It waits for each (a text-mode browser runs in the foreground), with stdin,
// stdout and stderr as given. The error says why each failed, never with its
// arguments (the URL holds the one-time code).
func openURL(ctx context.Context, url string, openers []opener, stdin io.Reader, stdout, stderr io.Writer) (string, error) {
	var errs []string
	for _, o := range openers {
		cmd := exec.CommandContext(ctx, o.path, o.argv(url)...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
		err := cmd.Run()
		if err == nil {
			return o.name, nil
		}
		errs = append(errs, o.name+": "+execReason(err).Error())
	}
	return "", errors.New(strings.Join(errs, "; "))
}
