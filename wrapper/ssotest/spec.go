package ssotest

import (
	"net/http"
	"strconv"
)

// SpecPath is where the fake serves the OpenAPI document it checks requests and
// answers against (api.Spec()), to anyone, without the key: a tool in any language
// (a contract test, Prism, a code generator) can fetch the very document the fake
// holds it to. The document is public; visits to it are not API requests, so
// Requests and RequestsWithoutKey do not count them.
const SpecPath = "/openapi.yaml"

// specContentType is the media type of the document: application/yaml, registered by
// RFC 9512 (2024), which every YAML tool and browser knows; the document says it is
// OpenAPI in its first key.
const specContentType = "application/yaml"

// serveSpec answers GET and HEAD of SpecPath with the document, and any other method
// with 405.
func (s *Server) serveSpec(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "the OpenAPI document is read with GET", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", specContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(s.spec)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(s.spec)
	}
}
