package storage_test

import (
	"context"
	"fmt"
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

// TestOpenTextsWithLangs: each open answer comes with the language of its writer's
// profile in the round, also when limited.
func TestOpenTextsWithLangs(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	openRound(t, st, "r1")
	want := map[string]string{}
	for i, l := range []string{"", "ar", "en", "", "uk", "ar"} {
		pid := fmt.Sprintf("p%d", i)
		text := fmt.Sprintf("antwoord %d", i)
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: pid, Field: "goed", Value: "t" + text,
			Kern: "Dalfsen", Lang: l, Panel: i == 5}); err != nil {
			t.Fatal(err)
		}
		want[text] = l
	}
	texts, langs, err := st.OpenTextsWithLangs(ctx, "r1", []string{"goed"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts["goed"]) != len(want) {
		t.Fatalf("got %d texts, want %d", len(texts["goed"]), len(want))
	}
	for i, text := range texts["goed"] {
		if langs["goed"][i] != want[text] {
			t.Errorf("%q: language %q, want %q", text, langs["goed"][i], want[text])
		}
	}
	if texts, langs, err := st.OpenTextsWithLangs(ctx, "r1", []string{"goed"}, 2); err != nil || len(texts["goed"]) != 2 || len(langs["goed"]) != 2 {
		t.Errorf("limited to 2: %v %v %v", texts, langs, err)
	}
}
