package bot_test

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestEngineNamesTrajectoryPhase: every message of a round of a survey in a
// trajectory names the trajectory and the phase; a survey outside every trajectory
// gets no such line.
func TestEngineNamesTrajectoryPhase(t *testing.T) {
	h := engNew(t)
	tr, err := surveys.ParseTrajectory("mv.traject.yaml", []byte(`id: missie-en-visie
title: "Missie en Visie Dalfsen 2040"
gemeente: Dalfsen
besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."
wie_beslist: gemeenteraad
belofte: "U hoort in elke fase wat er met uw inbreng is gedaan."
fasen:
  - {id: beeldvorming, naam: het net ophalen, van: 2026-10-01, tot: 2026-10-31, trede: raadplegen, verwachting: "U vertelt wat goed gaat."}
  - {id: keuzes, naam: keuzes maken, van: 2026-11-01, tot: 2026-12-31, trede: raadplegen, verwachting: "U kiest mee.", rondes: [peiling]}
`))
	if err != nil {
		t.Fatal(err)
	}
	const line = "🧭 Missie en Visie Dalfsen 2040 · fase 2 van 2: keuzes maken"
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("1701", "1701")
	u.join("25 – 44 jaar", "Dalfsen")
	h.drain()
	if _, err := h.invite(r, u.pid()); err != nil {
		t.Fatal(err)
	}
	if got := engTexts(h.drain()); strings.Contains(got, "🧭") {
		t.Fatalf("invitation outside a trajectory: got %q, want no trajectory line", got)
	}

	h.catalog.SetTrajectories([]*surveys.Trajectory{tr})
	r2 := h.open("peiling", "peiling-2026-12")
	if _, err := h.invite(r2, u.pid()); err != nil {
		t.Fatal(err)
	}
	inv := h.drain()
	if len(inv) != 1 || !strings.Contains(inv[0].Text, "📋 Inwonerspeiling Dalfsen\n"+line+"\n") {
		t.Fatalf("invitation: got %q, want the title with %q under it", engTexts(inv), line)
	}
	if _, err := h.remind(r2, 0, u.pid()); err != nil {
		t.Fatal(err)
	}
	if rem := h.drain(); len(rem) != 1 || !strings.HasPrefix(rem[0].Text, line+"\n\n⏰ Herinnering") {
		t.Fatalf("reminder: got %q, want it to start with %q", engTexts(rem), line)
	}
	engAnswerAll(t, u)
	h.close(r2.ID)
	h.drain()
	res := results.Compute(engPeiling(h.cfg.Location), results.RoundInfo{ID: r2.ID}, h.tallies(r2.ID), nil, 1)
	if _, err := h.sendResults(r2, res, u.pid()); err != nil {
		t.Fatal(err)
	}
	if got := h.drain(); len(got) == 0 || !strings.HasPrefix(got[0].Text, line+"\n\n") {
		t.Fatalf("results: got %q, want them to start with %q", engTexts(got), line)
	}
	if ok, err := h.store.Transition(h.ctx, r2.ID, storage.Closed, storage.Published, h.now); err != nil || !ok {
		t.Fatalf("publish: got %v, %v", ok, err)
	}
	if err := h.store.SetDecision(h.ctx, r2.ID, "De raad besloot de kansen uit te werken.", h.now); err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.SendDecision(h.ctx, h.round(r2.ID), []string{u.pid()}); err != nil {
		t.Fatal(err)
	}
	if got := h.drain(); len(got) != 1 || !strings.HasPrefix(got[0].Text, line+"\n\n") || !strings.Contains(got[0].Text, "De raad besloot de kansen") {
		t.Fatalf("decision: got %q, want it to start with %q", engTexts(got), line)
	}
}
