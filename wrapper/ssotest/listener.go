package ssotest

import "net"

// WithListener makes the fake serve on l instead of a new listener on a random
// loopback port, for a fixed address such as 127.0.0.1:8025. The Server takes l over
// and closes it in Close; URL is "http://" + l.Addr().String().
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }
