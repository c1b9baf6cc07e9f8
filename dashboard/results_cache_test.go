package dashboard

import (
	"context"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
)

// TestRoundResultsCache: a closed round's results are computed once and kept
// (rounds.ResultsCache), and a purge computes them again.
func TestRoundResultsCache(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sv, _ := h.catalog.Survey("peiling")
	h.openRound("r-open")
	rd, err := h.store.Round(ctx, "r-open")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.roundResults(ctx, sv, rd); err != nil {
		t.Fatal(err)
	}
	if again, err := h.srv.roundResults(ctx, sv, rd); err != nil || again == nil {
		t.Fatal(err)
	}
	if ok, err := h.store.Transition(ctx, "r-open", storage.Opened, storage.Closed, h.now); err != nil || !ok {
		t.Fatalf("close: %v %v", ok, err)
	}
	closed, err := h.store.Round(ctx, "r-open")
	if err != nil {
		t.Fatal(err)
	}
	first, err := h.srv.roundResults(ctx, sv, closed)
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.srv.roundResults(ctx, sv, closed)
	if err != nil || again != first {
		t.Fatalf("a closed round was computed again (%v)", err)
	}
	purged := *closed
	purged.PurgedAt = h.now
	if after, err := h.srv.roundResults(ctx, sv, &purged); err != nil || after == first {
		t.Fatalf("a purged round got the results cached before the purge (%v)", err)
	}
}
