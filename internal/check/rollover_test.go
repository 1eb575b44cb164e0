package check

import (
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
	"github.com/sendgrid-sso/sendgrid-sso/internal/testcert"
)

// aggregate is metadata of two entities, "a" signing with a1 and a2, "b" with b1.
func aggregate(t *testing.T, a1, a2, b1 *x509.Certificate) *idpmetadata.Metadata {
	t.Helper()
	return parse(t, `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">`+
		testcert.IdPEntity("a", testcert.KeyDescriptor(` use="signing"`, a1), testcert.KeyDescriptor(` use="signing"`, a2))+
		testcert.IdPEntity("b", testcert.KeyDescriptor(` use="signing"`, b1))+
		`</md:EntitiesDescriptor>`)
}

// TestChooseEntity: an integration is judged against the entity with its entity ID,
// exactly; without one, only metadata of a single entity has an answer.
func TestChooseEntity(t *testing.T) {
	a1 := testcert.New(t, testcert.Spec{CN: "a1", Serial: 1}).X
	a2 := testcert.New(t, testcert.Spec{CN: "a2", Serial: 2}).X
	b1 := testcert.New(t, testcert.Spec{CN: "b1", Serial: 3}).X
	agg := aggregate(t, a1, a2, b1)
	single := parse(t, testcert.IdPEntity("only", testcert.KeyDescriptor("", a1)))
	cases := []struct {
		md      *idpmetadata.Metadata
		want    string
		got     string
		wantErr error
	}{
		{agg, "b", "b", nil},
		{agg, "a", "a", nil},
		{agg, "A", "", ErrNoEntity},
		{agg, "", "", ErrSeveralEntities},
		{single, "", "only", nil},
		{single, "other", "", ErrNoEntity},
	}
	for _, tc := range cases {
		e, err := ChooseEntity(tc.md, tc.want)
		if e.ID != tc.got || !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
			t.Errorf("ChooseEntity(%q): %q, %v; want %q, %v", tc.want, e.ID, err, tc.got, tc.wantErr)
		}
	}
	if m := MatchEntity(b1, agg.Entities[0]); m.Matched() || len(m.SigningCertificates) != 2 {
		t.Errorf("b's certificate matched entity a, or a's certificates are not its own: %+v", m)
	}
}

// TestPlanRollover: what an entity publishes and SendGrid lacks is missing, by
// fingerprint; what SendGrid holds and the entity no longer publishes is stale; the
// other entity of the aggregate plays no part.
func TestPlanRollover(t *testing.T) {
	a1 := testcert.New(t, testcert.Spec{CN: "a1", Serial: 1}).X
	a2 := testcert.New(t, testcert.Spec{CN: "a2", Serial: 2}).X
	b1 := testcert.New(t, testcert.Spec{CN: "b1", Serial: 3}).X
	old := testcert.New(t, testcert.Spec{CN: "old", Serial: 4}).X
	a := aggregate(t, a1, a2, b1).Entities[0]
	cases := []struct {
		name                 string
		held                 []*x509.Certificate
		missing, kept, stale string
	}{
		{"rollover under way", []*x509.Certificate{old, a1}, "[a2]", "[a1]", "[0]"},
		{"in step", []*x509.Certificate{a2, a1}, "[]", "[a1 a2]", "[]"},
		{"nothing held", nil, "[a1 a2]", "[]", "[]"},
		{"holds only the other entity's", []*x509.Certificate{b1}, "[a1 a2]", "[]", "[0]"},
	}
	cns := func(cs []idpmetadata.Certificate) string {
		names := []string{}
		for _, c := range cs {
			names = append(names, c.X509.Subject.CommonName)
		}
		return fmt.Sprint(names)
	}
	for _, tc := range cases {
		r := PlanRollover(a, tc.held)
		stale := fmt.Sprint(r.Stale)
		if r.Stale == nil {
			stale = "[]"
		}
		if p := r.Pending(time.Now()); p != len(r.Missing) {
			t.Errorf("%s: %d pending of %d missing, all valid", tc.name, p, len(r.Missing))
		}
		if r.EntityID != "a" || cns(r.Missing) != tc.missing || cns(r.Held) != tc.kept || stale != tc.stale {
			t.Errorf("%s: entity %q missing %s held %s stale %s; want missing %s held %s stale %s",
				tc.name, r.EntityID, cns(r.Missing), cns(r.Held), stale, tc.missing, tc.kept, tc.stale)
		}
	}
}

// TestUploadable: an expired certificate is never one to upload; one not yet valid is.
func TestUploadable(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	c := func(nb, na time.Time) idpmetadata.Certificate {
		return idpmetadata.Certificate{NotBefore: nb, NotAfter: na}
	}
	year := 365 * 24 * time.Hour
	cases := []struct {
		name string
		c    idpmetadata.Certificate
		want bool
	}{
		{"valid", c(now.Add(-year), now.Add(year)), true},
		{"not yet valid", c(now.Add(time.Hour), now.Add(year)), true},
		{"expires at now", c(now.Add(-year), now), false},
		{"expired", c(now.Add(-2*year), now.Add(-year)), false},
	}
	for _, tc := range cases {
		if got := Uploadable(tc.c, now); got != tc.want {
			t.Errorf("%s: Uploadable %v, want %v", tc.name, got, tc.want)
		}
	}
	r := Rollover{Missing: []idpmetadata.Certificate{cases[0].c, cases[3].c, cases[1].c}}
	if n := r.Pending(now); n != 2 {
		t.Errorf("Pending %d, want 2 (the expired one left out)", n)
	}
}
