package dashboard

import (
	"context"
	"fmt"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
)

// TestRoundResultsCache: a closed round's results are computed once and kept
// (a bounded number of rounds), an open round's each time, and a purge or another
// state computes them again.
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
	if n := len(h.srv.resultsCache.entries); n != 0 {
		t.Fatalf("an open round's results were cached (%d entries)", n)
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
	for i := range 3 * resultsCacheRounds {
		r := *closed
		r.ID = fmt.Sprintf("r-%02d", i)
		if _, err := h.srv.roundResults(ctx, sv, &r); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.srv.resultsCache.entries); n != resultsCacheRounds || len(h.srv.resultsCache.order) != n {
		t.Fatalf("cache holds %d rounds, want at most %d", n, resultsCacheRounds)
	}
}
