package container

import (
	"slices"
	"strings"
	"testing"
)

// ParseImage reads the last stage only, joins continued lines, unquotes LABEL values,
// and refuses what an image without a shell cannot run.
func TestParseImage(t *testing.T) {
	im, err := ParseImage(`ARG B=x
FROM golang AS build
ENV GONE=1
# a comment
FROM scratch
LABEL a="one \"two\"" \
      b=three
ENV X=1 \
    Y=/v/f
EXPOSE 8025/tcp
VOLUME ["/v"]
USER 1:1
ENTRYPOINT ["/bin"]
CMD ["--flag", "v"]
`)
	if err != nil {
		t.Fatal(err)
	}
	if im.From != "scratch" || !slices.Equal(im.Env, []string{"X=1", "Y=/v/f"}) || im.User != "1:1" ||
		!slices.Equal(im.Entrypoint, []string{"/bin"}) || !slices.Equal(im.Cmd, []string{"--flag", "v"}) ||
		!slices.Equal(im.Expose, []string{"8025/tcp"}) || !slices.Equal(im.Volumes, []string{"/v"}) ||
		im.Labels["a"] != `one "two"` || im.Labels["b"] != "three" {
		t.Errorf("parsed %+v", im)
	}
	if v, ok := im.Getenv("Y"); !ok || v != "/v/f" {
		t.Errorf("Getenv(Y) = %q, %v", v, ok)
	}
	for src, want := range map[string]string{
		"FROM scratch\nCMD /bin --flag":   "not the exec form",
		"FROM scratch\nENV X":             "NAME=value",
		"FROM scratch\nLABEL a=\"unended": "unterminated",
		"ENV X=1\nFROM scratch":           "before any FROM",
		"# only a comment\n":              "no FROM",
	} {
		if _, err := ParseImage(src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseImage(%q): %v, want an error saying %q", src, err, want)
		}
	}
}
