package storage_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// TestPanelDrawAndCodes: a draw's codes are stored by hash with their stratum, the
// letters per stratum are counted once (also when the draw is saved again), a code
// is used by one participant only, once, and not after it expired.
func TestPanelDrawAndCodes(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	now := time.Now()
	codes := map[string]string{}
	for i := range 1200 {
		stratum := []string{"Dalfsen|25-44", "Nieuwleusen|65+", "Hoonhorst|16-24"}[i%3]
		codes[fmt.Sprintf("h%04d", i)] = stratum
	}
	d := storage.PanelDraw{Traject: "goed-goan", ID: "seed-42", Codes: codes, Expires: now.Add(30 * 24 * time.Hour),
		Audit: []byte(`{"seed":42}`)}
	if ok, err := st.SavePanel(ctx, d); err != nil || !ok {
		t.Fatalf("save draw: got %v %v, want true", ok, err)
	}
	if ok, err := st.SavePanel(ctx, d); err != nil || ok {
		t.Fatalf("save the same draw again: got %v %v, want false (counted once)", ok, err)
	}
	inv, err := st.PanelInvited(ctx, "goed-goan")
	want := map[string]int64{"Dalfsen|25-44": 400, "Nieuwleusen|65+": 400, "Hoonhorst|16-24": 400}
	if err != nil || !maps.Equal(inv, want) {
		t.Fatalf("invited: got %v %v, want %v", inv, err, want)
	}
	audits, err := st.PanelAudits(ctx, "goed-goan")
	if err != nil || audits["seed-42"] != `{"seed":42}` {
		t.Fatalf("audits: got %v %v", audits, err)
	}

	c, err := st.PanelCodeOf(ctx, "h0001")
	if err != nil || c.Traject != "goed-goan" || c.Kern() != "Nieuwleusen" || c.Leeftijd() != "65+" || c.Participant != "" {
		t.Fatalf("look up: got %+v %v", c, err)
	}
	if _, err := st.PanelCodeOf(ctx, "nope"); !errors.Is(err, storage.ErrCodeUnknown) {
		t.Fatalf("look up an unknown code: got %v, want ErrCodeUnknown", err)
	}
	if c, err := st.RedeemPanelCode(ctx, "h0001", "p1", now); err != nil || c.Participant != "p1" || c.Stratum != "Nieuwleusen|65+" {
		t.Fatalf("redeem: got %+v %v", c, err)
	}
	if c, err := st.RedeemPanelCode(ctx, "h0001", "p1", now); err != nil || c.Participant != "p1" {
		t.Fatalf("redeem again by the same participant: got %+v %v, want it again", c, err)
	}
	if _, err := st.RedeemPanelCode(ctx, "h0001", "p2", now); !errors.Is(err, storage.ErrCodeUsed) {
		t.Fatalf("redeem by another: got %v, want ErrCodeUsed", err)
	}
	if _, err := st.RedeemPanelCode(ctx, "h0002", "p2", now.Add(31*24*time.Hour)); !errors.Is(err, storage.ErrCodeExpired) {
		t.Fatalf("redeem after expiry: got %v, want ErrCodeExpired", err)
	}
	if _, err := st.RedeemPanelCode(ctx, "onbekend", "p2", now); !errors.Is(err, storage.ErrCodeUnknown) {
		t.Fatalf("redeem an unknown code: got %v, want ErrCodeUnknown", err)
	}
	if c, _ := st.PanelCodeOf(ctx, "h0002"); c.Participant != "" {
		t.Fatalf("an expired code was handed out: %+v", c)
	}

	// 50 residents try one code at once: one gets it
	got := make(chan error, 50)
	for i := range 50 {
		go func() {
			_, err := st.RedeemPanelCode(ctx, "h0003", fmt.Sprintf("q%d", i), now)
			got <- err
		}()
	}
	wins := 0
	for range 50 {
		switch err := <-got; {
		case err == nil:
			wins++
		case !errors.Is(err, storage.ErrCodeUsed):
			t.Fatalf("concurrent redeem: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("concurrent redeem: %d residents got the code, want 1", wins)
	}

	// a participant who joined with it has the stratum as their profile; a
	// withdrawal takes the panel membership too
	if err := st.SaveConsent(ctx, &storage.Participant{ID: "p1", Channel: "telegram", ChatID: "1", ConsentVersion: "v1", ConsentAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.JoinPanel(ctx, "p1", "goed-goan", "h0001", "Nieuwleusen", "65+"); err != nil {
		t.Fatal(err)
	}
	p, err := st.Participant(ctx, "p1")
	if err != nil || p.Panel != "goed-goan" || p.Kern != "Nieuwleusen" || p.Leeftijd != "65+" {
		t.Fatalf("participant: got %+v %v", p, err)
	}
	ps, err := st.ParticipantsOf(ctx, []string{"p1"})
	if err != nil || ps[0].Panel != "goed-goan" {
		t.Fatalf("participants of: got %+v %v", ps[0], err)
	}
	if err := st.Withdraw(ctx, "p1", now); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Participant(ctx, "p1"); p.Panel != "" || p.Kern != "" {
		t.Fatalf("after withdrawal: got %+v, want no panel and no profile", p)
	}
	if c, _ := st.PanelCodeOf(ctx, "h0001"); c.Participant != "-" {
		t.Fatalf("after withdrawal the code says it was used by %q, want nobody (-)", c.Participant)
	}
	if _, err := st.RedeemPanelCode(ctx, "h0001", "p9", now); !errors.Is(err, storage.ErrCodeUsed) {
		t.Fatalf("a withdrawn member's code: got %v, want still used", err)
	}
	// an erasure unlinks the code too
	if _, err := st.RedeemPanelCode(ctx, "h0004", "p4", now); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveConsent(ctx, &storage.Participant{ID: "p4", Channel: "telegram", ChatID: "4", ConsentVersion: "v1", ConsentAt: now,
		Panel: "goed-goan", PanelCode: "h0004", Kern: "Dalfsen", Leeftijd: "25-44"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Participant(ctx, "p4"); p.PanelCode != "h0004" || p.Panel != "goed-goan" {
		t.Fatalf("participant joined at consent: got %+v", p)
	}
	if err := st.EndErasure(ctx, "p4"); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.PanelCodeOf(ctx, "h0004"); c.Participant != "-" {
		t.Fatalf("after the erasure the code says it was used by %q, want nobody (-)", c.Participant)
	}
}

// TestRoundWording: the wording a round was created with comes back with it; a
// round created without keeps none.
func TestRoundWording(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	want := map[string]string{"luistert": "0123456789abcdef", "cijfer": "fedcba9876543210"}
	for _, r := range []*storage.Round{
		{ID: "met", Survey: "s", Slot: "2027-03-01T09:00", OpensAt: now, ClosesAt: now.Add(time.Hour), Wording: want},
		{ID: "zonder", Survey: "s", Slot: "2027-03-01T09:00", OpensAt: now, ClosesAt: now.Add(time.Hour)},
	} {
		if _, err := st.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := st.Round(ctx, "met"); err != nil || !maps.Equal(r.Wording, want) {
		t.Errorf("wording: got %v %v, want %v", r.Wording, err, want)
	}
	if r, err := st.Round(ctx, "zonder"); err != nil || r.Wording != nil {
		t.Errorf("no wording: got %v %v", r.Wording, err)
	}
}
