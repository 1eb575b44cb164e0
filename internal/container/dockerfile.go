// Package container checks the fake's container packaging, deploy/Dockerfile and
// deploy/docker-compose.yml, where no container engine runs: its tests run the
// sendgrid-sso-fake binary with the ENTRYPOINT, CMD and ENV that the Dockerfile gives
// the image (the CA volume a temporary directory, the port published), and check that
// the compose file wires the image's environment names, port and volume. ParseImage
// reads the part of a Dockerfile they need.
package container

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Image is what a Dockerfile's last stage sets for the container it makes.
type Image struct {
	// From is the last stage's base (FROM), as written.
	From string
	// Entrypoint and Cmd are the exec-form ENTRYPOINT and CMD (nil when absent).
	Entrypoint, Cmd []string
	// Env is the ENV variables, "NAME=value", in the order given.
	Env []string
	// Expose is the EXPOSE ports, such as "8025" or "8025/tcp".
	Expose []string
	// Volumes is the VOLUME paths.
	Volumes []string
	// User is the USER, as written ("65532:65532").
	User string
	// Labels is the LABEL pairs, unquoted.
	Labels map[string]string
}

// Getenv is the value of the ENV variable name, and whether the image sets it.
func (im *Image) Getenv(name string) (string, bool) {
	for _, kv := range im.Env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v, true
		}
	}
	return "", false
}

// ParseImage reads the last stage of the Dockerfile src: FROM, ENTRYPOINT and CMD in
// exec form (JSON: an image without a shell has no shell form), ENV and LABEL as
// NAME=value pairs (a value in double quotes, or a word), EXPOSE, VOLUME and USER. It
// joins lines ending in a backslash and skips comments; other instructions (ARG, COPY,
// RUN...) are left alone, as are ${...} references, which it does not expand.
func ParseImage(src string) (*Image, error) {
	var im *Image
	for n, line := range logicalLines(src) {
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		instr = strings.ToUpper(instr)
		if instr == "FROM" {
			from, _, _ := strings.Cut(rest, " ")
			im = &Image{From: from, Labels: map[string]string{}}
			continue
		}
		if im == nil {
			if instr != "ARG" {
				return nil, fmt.Errorf("instruction %d (%s) comes before any FROM: a Dockerfile starts with FROM or ARG", n+1, instr)
			}
			continue
		}
		var err error
		switch instr {
		case "ENTRYPOINT":
			im.Entrypoint, err = execForm(rest)
		case "CMD":
			im.Cmd, err = execForm(rest)
		case "ENV":
			var pairs [][2]string
			if pairs, err = keyValues(rest); err == nil {
				for _, p := range pairs {
					im.Env = append(im.Env, p[0]+"="+p[1])
				}
			}
		case "LABEL":
			var pairs [][2]string
			if pairs, err = keyValues(rest); err == nil {
				for _, p := range pairs {
					im.Labels[p[0]] = p[1]
				}
			}
		case "EXPOSE":
			im.Expose = append(im.Expose, strings.Fields(rest)...)
		case "VOLUME":
			if strings.HasPrefix(rest, "[") {
				var vs []string
				vs, err = execForm(rest)
				im.Volumes = append(im.Volumes, vs...)
			} else {
				im.Volumes = append(im.Volumes, strings.Fields(rest)...)
			}
		case "USER":
			im.User = rest
		}
		if err != nil {
			return nil, fmt.Errorf("instruction %d (%s): %w", n+1, instr, err)
		}
	}
	if im == nil {
		return nil, fmt.Errorf("no FROM: not a Dockerfile")
	}
	return im, nil
}

// logicalLines is src's instructions: continuation lines joined, comments and blank
// lines dropped.
func logicalLines(src string) []string {
	var lines []string
	var cur strings.Builder
	for _, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont)
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		if s := strings.TrimSpace(cur.String()); s != "" {
			lines = append(lines, s)
		}
		cur.Reset()
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		lines = append(lines, s)
	}
	return lines
}

// execForm parses a JSON array of strings, the exec form of ENTRYPOINT, CMD and VOLUME.
func execForm(s string) ([]string, error) {
	var args []string
	if err := json.Unmarshal([]byte(s), &args); err != nil {
		return nil, fmt.Errorf("%q is not the exec form, a JSON array of strings: the image has no shell to run the shell form: %w", s, err)
	}
	return args, nil
}

// keyValues parses NAME=value pairs separated by spaces, a value either a word or in
// double quotes (with \" and \\ escapes).
func keyValues(s string) ([][2]string, error) {
	var pairs [][2]string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		name, rest, ok := strings.Cut(s, "=")
		if !ok || name == "" || strings.ContainsAny(name, " \t\"") {
			return nil, fmt.Errorf("%q: want NAME=value pairs", s)
		}
		var value strings.Builder
		if strings.HasPrefix(rest, `"`) {
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				value.WriteByte(rest[i])
			}
			if i == len(rest) {
				return nil, fmt.Errorf("%q: unterminated quote", s)
			}
			s = rest[i+1:]
		} else {
			word, after, _ := strings.Cut(rest, " ")
			value.WriteString(word)
			s = after
		}
		pairs = append(pairs, [2]string{name, value.String()})
	}
	return pairs, nil
}
