package wrapper

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestGetSSOCertificateDecodes(t *testing.T) {
	cases := []struct {
		name, body string
		want       Certificate
	}{
		{
			"official spelling",
			`{"public_certificate":"PEM","id":66138975,"not_before":1621289880,"not_after":1621289881,"intergration_id":"b0b9"}`,
			Certificate{ID: 66138975, PublicCertificate: "PEM", NotBefore: time.Unix(1621289880, 0), NotAfter: time.Unix(1621289881, 0), IntegrationID: "b0b9"},
		},
		{
			"corrected spelling, values float32 would round",
			`{"id":9007199254740993,"not_before":1700000001,"not_after":4102444799,"integration_id":"7f3c"}`,
			Certificate{ID: 9007199254740993, NotBefore: time.Unix(1700000001, 0), NotAfter: time.Unix(4102444799, 0), IntegrationID: "7f3c"},
		},
		{
			"no fields",
			`{}`,
			Certificate{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			})
			got, err := newTestClient(t, srv.URL).GetSSOCertificate(context.Background(), "1")
			if err != nil {
				t.Fatal(err)
			}
			if *got != tc.want {
				t.Errorf("got %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestCertificateX509(t *testing.T) {
	der := selfSigned(t)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	b64 := base64.StdEncoding.EncodeToString(der)
	for name, text := range map[string]string{
		"PEM":                     pemText,
		"PEM with escaped \\n":    strings.ReplaceAll(pemText, "\n", `\n`),
		"PEM after another block": "-----BEGIN PRIVATE NOTE-----\nAAAA\n-----END PRIVATE NOTE-----\n" + pemText,
		"bare base64 DER":         b64,
		"wrapped base64 DER":      b64[:40] + "\n" + b64[40:80] + "\r\n " + b64[80:],
		"unpadded base64 DER":     strings.TrimRight(b64, "="),
	} {
		c := Certificate{ID: 7, PublicCertificate: text}
		x, err := c.X509()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if x.Subject.CommonName != "idp.test" || x.SerialNumber.Int64() != 4242 {
			t.Errorf("%s: parsed %v serial %v", name, x.Subject, x.SerialNumber)
		}
	}
	for name, text := range map[string]string{
		"empty":          "",
		"not base64":     "<your x509 certificate>",
		"base64 garbage": base64.StdEncoding.EncodeToString([]byte("hello")),
		"PEM key only":   "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
	} {
		if _, err := (Certificate{ID: 7, PublicCertificate: text}).X509(); err == nil || !strings.Contains(err.Error(), "certificate 7") {
			t.Errorf("%s: err = %v, want an error naming certificate 7", name, err)
		}
	}
}
