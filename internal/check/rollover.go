package check

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/sendgrid-sso/sendgrid-sso/idpmetadata"
)

// ErrNoEntity is wrapped by ChooseEntity when the metadata has no entity with the
// ID asked for; ErrSeveralEntities when none was asked for and it has several.
var (
	ErrNoEntity        = errors.New("the metadata has no such entity")
	ErrSeveralEntities = errors.New("the metadata describes several entities")
)

// ChooseEntity picks the entity of md an integration is judged against: the one
// whose ID equals entityID (the integration's entity ID, or the one asked for by
// hand), compared exactly; for an empty entityID, the metadata's only entity. It
// returns ErrNoEntity or ErrSeveralEntities when there is none to pick. The
// certificates of the entities of an aggregate are never pooled: an integration
// trusts one issuer.
func ChooseEntity(md *idpmetadata.Metadata, entityID string) (idpmetadata.Entity, error) {
	if entityID == "" {
		if len(md.Entities) == 1 {
			return md.Entities[0], nil
		}
		return idpmetadata.Entity{}, ErrSeveralEntities
	}
	for _, e := range md.Entities {
		if e.ID == entityID {
			return e, nil
		}
	}
	return idpmetadata.Entity{}, ErrNoEntity
}

// MatchEntity is MatchMetadata against the signing certificates of one entity.
func MatchEntity(sendgrid *x509.Certificate, e idpmetadata.Entity) Match {
	return MatchMetadata(sendgrid, &idpmetadata.Metadata{SigningCertificates: e.SigningCertificates, Entities: []idpmetadata.Entity{e}})
}

// Rollover is the rollover plan of one integration: how the certificates SendGrid
// holds for it compare, by SHA-256 fingerprint, with the signing certificates of its
// entity.
type Rollover struct {
	// EntityID is the entity's ID.
	EntityID string
	// Missing are the entity's signing certificates SendGrid does not hold, in
	// document order: the ones to upload before the IdP switches to them.
	Missing []idpmetadata.Certificate
	// Held are the entity's signing certificates SendGrid holds.
	Held []idpmetadata.Certificate
	// Stale are the indexes, in the held list given to PlanRollover, of SendGrid's
	// certificates the entity no longer publishes (to be reported, never deleted).
	Stale []int
}

// PlanRollover compares held, the certificates SendGrid holds for an integration,
// with the signing certificates of e, its entity.
func PlanRollover(e idpmetadata.Entity, held []*x509.Certificate) Rollover {
	r := Rollover{EntityID: e.ID}
	atSendGrid := map[idpmetadata.Fingerprint]bool{}
	for _, x := range held {
		atSendGrid[idpmetadata.FingerprintOf(x)] = true
	}
	published := map[idpmetadata.Fingerprint]bool{}
	for _, c := range e.SigningCertificates {
		published[c.Fingerprint] = true
		if atSendGrid[c.Fingerprint] {
			r.Held = append(r.Held, c)
		} else {
			r.Missing = append(r.Missing, c)
		}
	}
	for i, x := range held {
		if !published[idpmetadata.FingerprintOf(x)] {
			r.Stale = append(r.Stale, i)
		}
	}
	return r
}

// Uploadable reports whether c, a missing certificate, is one to upload as of now:
// one that has expired is not (not yet valid is: that is a rollover's next key).
func Uploadable(c idpmetadata.Certificate, now time.Time) bool { return now.Before(c.NotAfter) }

// Pending is how many of r.Missing are Uploadable as of now.
func (r Rollover) Pending(now time.Time) int {
	n := 0
	for _, c := range r.Missing {
		if Uploadable(c, now) {
			n++
		}
	}
	return n
}
