package ssotest

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// errCannotServe is wrapped by the refusals of requests that are valid under the spec
// but that the fake cannot serve as asked: a Host header that cannot make the login
// URL, a Prefer header asking for a status the operation does not declare.
var errCannotServe = errors.New("ssotest: the fake cannot serve this request")

// preferredStatus returns the status a request asks for with "Prefer: code=N", the
// convention of the Prism mock server, or 0 when it asks for none. Other preferences
// (example=…, dynamic=…) and parameters after ";" are ignored.
func preferredStatus(h http.Header) (int, error) {
	for _, v := range h.Values("Prefer") {
		for _, pref := range strings.Split(v, ",") {
			pref, _, _ = strings.Cut(pref, ";")
			name, value, _ := strings.Cut(pref, "=")
			if !strings.EqualFold(strings.TrimSpace(name), "code") {
				continue
			}
			value = strings.Trim(strings.TrimSpace(value), `"`)
			status, err := strconv.Atoi(value)
			if err != nil || len(value) != 3 || status < 100 {
				return 0, fmt.Errorf("%w: Prefer: code=%.16q is not an HTTP status; send a status the operation declares, such as Prefer: code=500", errCannotServe, value)
			}
			return status, nil
		}
	}
	return 0, nil
}

// undeclaredPreference is the refusal of a Prefer header asking operation for a status
// it does not declare; it names the statuses that it does.
func (s *Server) undeclaredPreference(operation string, status int) error {
	return fmt.Errorf("%w: Prefer: code=%d, but %s declares only %s; ask for one of those",
		errCannotServe, status, operation, strings.Join(s.contract.Statuses(operation), ", "))
}
