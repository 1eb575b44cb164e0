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
	// answer, is served. It ends early when the client gives up (its context ends) or
	// the server closes.
	Delay time.Duration
	// Drop closes the connection without any answer, after Delay.
	Drop bool
	// Status answers with this status instead of serving the call; 0 serves it normally.
	Status int
	// RetryAfter, when positive, sends a Retry-After header of that many seconds,
	// rounded up.
	RetryAfter time.Duration
	// Header holds more headers to send, such as X-RateLimit-Reset; they replace the
	// fake's own X-RateLimit-* headers of the same name.
	Header http.Header
	// HTML answers with an HTML error page like a load balancer's, as text/html.
	HTML bool
	// Body is sent as is (as application/json, or text/html with HTML). When it is
	// empty, a Status of 400 or more gets a JSON error body in the shape the operation
	// declares, and an HTML fault gets a default page.
	Body string
}

// FailNext makes the next n API calls with the fake's key (login page visits not
// counted) answer with f, after the faults already queued (n <= 0 queues none).
// Requests without the key, requests that break the spec, and calls answered 429
// because the key's rate limit is spent are answered before faults apply, and do not
// use one up (see Server for the order of checks): a stray request cannot take the
// fault a test queued for its client. The queue holds one
// entry per FailNext call, whatever n: FailNext(1<<30, f) costs what FailNext(1, f)
// does.
//
// Go's http.Transport resends an idempotent request (a GET) once on a new connection
// when a reused connection is dropped before any answer: a Drop fault may then use up
// two faults for one attempt of the client.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.push(f, n)
}

// nextFault takes the next queued fault, if any.
func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.pop()
}

// faultQueue is the faults queued by FailNext, as runs of one fault repeated.
type faultQueue struct {
	runs []faultRun
}

// faultRun is a fault and how many more calls it answers.
type faultRun struct {
	fault Fault
	n     int
}

func (q *faultQueue) push(f Fault, n int) {
	if n > 0 {
		q.runs = append(q.runs, faultRun{fault: f, n: n})
	}
}

func (q *faultQueue) pop() (Fault, bool) {
	if len(q.runs) == 0 {
		return Fault{}, false
	}
	head := &q.runs[0]
	f := head.fault
	if head.n--; head.n == 0 {
		*head = faultRun{} // let go of the fault's header and body
		q.runs = q.runs[1:]
	}
	return f, true
}

// answer applies f to a call of operation and reports whether it answered the call;
// false means the fake should serve it normally. A Delay ends early when the client
// goes away, or the server closes its connection.
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
