package rounds_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestResultsCache: a closed round's results are computed once and kept, a
// bounded number of rounds; an open round's each time; another state, a purge or
// another survey computes them again.
func TestResultsCache(t *testing.T) {
	ctx := context.Background()
	sv := survey("s", "0 9 * * 1", time.Hour)
	calls := 0
	compute := func(context.Context, *surveys.Survey, *storage.Round) (*results.Results, error) {
		calls++
		return &results.Results{}, nil
	}
	c := rounds.ResultsCache{Rounds: 4}
	open := &storage.Round{ID: "r", State: storage.Opened}
	for range 3 {
		if _, err := c.Get(ctx, sv, open, compute); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 3 {
		t.Fatalf("open round: computed %d times, want 3", calls)
	}
	closed := &storage.Round{ID: "r", State: storage.Closed}
	first, _ := c.Get(ctx, sv, closed, compute)
	again, _ := c.Get(ctx, sv, closed, compute)
	if again != first || calls != 4 {
		t.Fatalf("closed round: computed %d times, want once more", calls-3)
	}
	for _, r := range []*storage.Round{{ID: "r", State: storage.Published}, {ID: "r", State: storage.Closed, PurgedAt: time.Unix(1, 0)}} {
		if got, _ := c.Get(ctx, sv, r, compute); got == first {
			t.Errorf("%+v: got the results kept for the closed round", r)
		}
	}
	if got, _ := c.Get(ctx, survey("s", "0 9 * * 1", time.Hour), closed, compute); got == first {
		t.Errorf("another survey as loaded: got the results kept before")
	}
	for i := range 10 {
		if _, err := c.Get(ctx, sv, &storage.Round{ID: fmt.Sprintf("x%d", i), State: storage.Closed}, compute); err != nil {
			t.Fatal(err)
		}
	}
	before := calls
	c.Get(ctx, sv, &storage.Round{ID: "x9", State: storage.Closed}, compute)
	c.Get(ctx, sv, &storage.Round{ID: "x0", State: storage.Closed}, compute)
	if calls != before+1 {
		t.Errorf("bounded: the newest round should be kept and the oldest dropped (computed %d more, want 1)", calls-before)
	}
}
