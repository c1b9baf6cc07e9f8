package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// TestParticipantLanguage: the language is stored with the consent, changed with
// SetProfile, read by Participant and by a broadcast's ParticipantsOf, and gone with
// a withdrawal.
func TestParticipantLanguage(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	p := &storage.Participant{ID: "p1", Channel: "telegram", ChatID: "c1", ConsentVersion: "v1", ConsentAt: time.Unix(1, 0), Lang: "ar"}
	if err := st.SaveConsent(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveConsent(ctx, &storage.Participant{ID: "p2", Channel: "telegram", ChatID: "c2", ConsentVersion: "v1", ConsentAt: time.Unix(1, 0)}); err != nil {
		t.Fatal(err)
	}
	ps, err := st.ParticipantsOf(ctx, []string{"p1", "p2"})
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Lang != "ar" || ps[1].Lang != "" {
		t.Errorf("ParticipantsOf: languages %q and %q, want ar and none", ps[0].Lang, ps[1].Lang)
	}
	if err := st.SetProfile(ctx, "p1", "lang", "uk"); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Participant(ctx, "p1"); err != nil || got.Lang != "uk" {
		t.Errorf("after SetProfile: %+v, %v", got, err)
	}
	if err := st.Withdraw(ctx, "p1", time.Unix(2, 0)); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Participant(ctx, "p1"); err != nil || got.Lang != "" {
		t.Errorf("after withdrawing the language is still %q (%v)", got.Lang, err)
	}
}
