package idpmetadata_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
)

// idpMetadata is SAML 2.0 metadata as an IdP publishes it at its metadata URL (here
// with the certificate wrapper/ssotest's fake serves as SendGrid's).
const idpMetadata = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>
            MIIBdDCCARqgAwIBAgIGXp0cKzpPMAoGCCqGSM49BAMCMDAxFDASBgNVBAoTC0V4
            YW1wbGUgSWRQMRgwFgYDVQQDEw9pZHAuZXhhbXBsZS5jb20wHhcNMjUwMTAxMDAw
            MDAwWhcNNDUwMTAxMDAwMDAwWjAwMRQwEgYDVQQKEwtFeGFtcGxlIElkUDEYMBYG
            A1UEAxMPaWRwLmV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
            65aVuh1F2qCWvcZGSQ/VsA0+VQZgPMwVY/0V2Vz2jF0lWu8QBrddOLHyBfmTaeyb
            vUWvb3xZd/CNMEhcwE43RaMgMB4wDgYDVR0PAQH/BAQDAgeAMAwGA1UdEwEB/wQC
            MAAwCgYIKoZIzj0EAwIDSAAwRQIgUAXS1GSw1I2srTbtVZc8tp+KDi8QJ3X/AXON
            DW7fqRcCIQDUyS0XpYA62mZTg0J9zAYdVV8RdWFPTUFg8pNnd1A2kw==
          </ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

// List the certificates an IdP signs with, by entity, with the fingerprints to compare
// with a service provider's copy (for SendGrid's: idpmetadata.FingerprintOf of
// wrapper.Certificate.X509). The metadata comes from a string here; Fetch reads it
// from the IdP's metadata URL.
func ExampleParse() {
	md, err := idpmetadata.Parse(strings.NewReader(idpMetadata))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range md.Entities {
		fmt.Println("entity", e.ID)
		for i, c := range e.SigningCertificates {
			fmt.Printf("%d. %s\n   %s, expires %s\n", i+1, c.Fingerprint, c.Subject, c.NotAfter.Format(time.DateOnly))
		}
	}
	// Output:
	// entity https://idp.example.com/saml
	// 1. 3B:DF:9D:D6:AC:AE:15:D3:A7:0B:26:98:6F:4B:BB:20:70:D0:5A:BF:3C:D1:01:41:AB:21:BF:2A:80:3C:B5:D0
	//    CN=idp.example.com,O=Example IdP, expires 2045-01-01
}
