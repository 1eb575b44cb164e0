package ssotest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// Whatever a client sends, the fake keeps a bounded record of it: the first 100
// violations, each with its method, path and reason cut short, and a count of all.
// Here 150 violations, the first three with 256 KiB paths.
func TestViolationsKeptAreBounded(t *testing.T) {
	srv := newServer(t)
	long := certPath + strings.Repeat("9", 256<<10)
	for i := range 150 {
		path := certPath + fmt.Sprint(i) + "/x" // no operation: 404
		if i < 3 {
			path = long + fmt.Sprint(i)
		}
		if resp, _ := send(t, srv, "PUT", path, bearer(srv.APIKey), ""); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("request %d: %d, want 404 or 405", i, resp.StatusCode)
		}
	}
	kept := srv.InvalidRequests()
	if requests, responses := srv.InvalidCounts(); len(kept) != 100 || requests != 150 || responses != 0 {
		t.Fatalf("kept %d of InvalidCounts() = %d, %d; want the first 100 of 150, and 0", len(kept), requests, responses)
	}
	bytes := 0
	for i, v := range kept {
		if len(v.Method) > 32 || len(v.Path) > 256 || len(v.Reason) > 1024 || !utf8.ValidString(v.Path+v.Reason) {
			t.Errorf("violation %d keeps %d, %d and %d bytes of method, path and reason, want at most 32, 256 and 1024, valid UTF-8", i, len(v.Method), len(v.Path), len(v.Reason))
		}
		bytes += len(v.Method) + len(v.Path) + len(v.Reason)
	}
	for i, v := range kept[:3] {
		if !strings.HasPrefix(v.Path, certPath+"999") || !strings.HasSuffix(v.Path, "…") || !strings.HasSuffix(v.Reason, "…") {
			t.Errorf("violation %d: path %q…, reason %q: want both cut, ending in …", i, v.Path[:40], v.Reason)
		}
	}
	if v := kept[99]; v.Path != certPath+"99/x" {
		t.Errorf("the 100th kept is %s, want the 100th sent", v)
	}
	t.Logf("150 violations, 3 with 256 KiB paths: %d bytes of strings kept", bytes)
}

// Strangers without the key cannot crowd the test's own violations out of what the
// fake keeps: at most half the room is theirs (found by a review: 100 keyless 404s
// took every slot).
func TestStrangersCannotCrowdOutKeptViolations(t *testing.T) {
	srv := newServer(t)
	for i := range 150 {
		send(t, srv, http.MethodGet, fmt.Sprintf("/stranger/%d", i), "", "")
	}
	// The test's own mistake, with the key: a body where none is declared.
	send(t, srv, http.MethodGet, certPath+"1", bearer(srv.APIKey), "unexpected body")
	kept := srv.InvalidRequests()
	if reqs, _ := srv.InvalidCounts(); reqs != 151 {
		t.Errorf("InvalidCounts() = %d, want all 151 counted", reqs)
	}
	if len(kept) != 51 || kept[50].Path != certPath+"1" {
		t.Errorf("kept %d violations, the last %v; want the first 50 strangers' and the test's own", len(kept), kept[len(kept)-1])
	}
}
