package ssotest_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/wrapper"
	"github.com/sendgrid-sso/sendgrid-sso/wrapper/ssotest"
)

func TestWithListenerServesOnTheGivenListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := ssotest.NewServer(ssotest.WithListener(l))
	if want := "http://" + l.Addr().String(); srv.URL != want {
		t.Errorf("URL = %q, want %q", srv.URL, want)
	}
	client, err := wrapper.New(srv.APIKey, wrapper.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := client.GetSSOCertificate(context.Background(), "66138975")
	if err != nil {
		t.Fatalf("GetSSOCertificate through the given listener: %v", err)
	}
	if cert.ID != ssotest.DefaultCertificateID {
		t.Errorf("certificate ID = %d, want %d", cert.ID, ssotest.DefaultCertificateID)
	}
	srv.Close()
	// Closing it again says whether Close closed it. (A dial would not: once closed,
	// the port is free, and another process may listen on it by then.)
	if err := l.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("closing the listener after the server's Close: %v, want net.ErrClosed: Close left it open", err)
	}
}
