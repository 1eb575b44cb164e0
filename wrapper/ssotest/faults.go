package ssotest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Fault is what the fake does to an API call instead of, or before, its normal answer.
// Queue faults with FailNext. The zero Fault answers normally.
//
// A fault is the test's deliberate choice, so its answer is sent as asked, without
// checking it against the spec: an HTML 502 page from a proxy, or a 429 on an
// operation that declares none, is traffic a client meets in the wild.
type Fault struct {
	// Delay holds the call back this long before the rest of the fault, or the normal
	// answer, is served. It ends early when the client gives up (its context ends).
	Delay time.Duration
	// Drop closes the connection without any answer, after Delay.
	Drop bool
	// Status answers with this status instead of serving the call; 0 serves it normally.
	Status int
	// RetryAfter, when positive, sends a Retry-After header of that many seconds,
	// rounded up.
	RetryAfter time.Duration
	// Header holds more headers to send, such as X-RateLimit-Reset.
	Header http.Header
	// HTML answers with an HTML error page like a load balancer's, as text/html.
	HTML bool
	// Body is sent as is (as application/json, or text/html with HTML). When it is
	// empty, a Status of 400 or more gets a JSON error body in the shape the operation
	// declares, and an HTML fault gets a default page.
	Body string
}

// FailNext makes the next n API calls (login page visits not counted) answer with f,
// after the faults already queued (n <= 0 queues none). Requests that break the spec
// are refused before faults apply, and do not use one up.
//
// Go's http.Transport resends an idempotent request (a GET) once on a new connection
// when a reused connection is dropped before any answer: a Drop fault may then use up
// two faults for one attempt of the client.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// nextFault takes the next queued fault, if any.
func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// answer applies f to a call of operation and reports whether it answered the call;
// false means the fake should serve it normally.
func (f Fault) answer(w http.ResponseWriter, r *http.Request, operation string) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
	}
	if f.Drop {
		// Aborts the handler and closes the connection before anything is written;
		// net/http logs nothing for this value.
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	h := w.Header()
	for k, v := range f.Header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	if f.RetryAfter > 0 {
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		h.Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	switch {
	case f.HTML:
		body := f.Body
		if body == "" {
			body = htmlPage(f.Status)
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(body))
	case f.Body != "":
		h.Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
	case f.Status >= 400:
		writeErrors(w, f.Status, operation, http.StatusText(f.Status))
	default:
		w.WriteHeader(f.Status)
	}
	return true
}

// htmlPage is an error page of the kind a load balancer sends.
func htmlPage(status int) string {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
}
