// Package outbound holds what every HTTP request this module sends has in common,
// whichever package sends it (wrapper to SendGrid, idpmetadata to an identity
// provider): the bounded transport and its shared pool, the one cap on a response
// body, which URLs may be fetched (https, or plain http to loopback), and the
// User-Agent with the module's version.
package outbound
