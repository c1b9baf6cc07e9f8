package storage_test

import (
	"context"
	"testing"
	"time"
)

// TestFirstStart: the first start is recorded once and kept over later starts;
// a store that served rounds before it was recorded has no known first start.
func TestFirstStart(t *testing.T) {
	ctx := context.Background()
	first := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	t.Run("new store", func(t *testing.T) {
		st := newStore(t)
		for i, now := range []time.Time{first, first.Add(48 * time.Hour)} {
			got, err := st.FirstStart(ctx, now)
			if err != nil || !got.Equal(first) {
				t.Errorf("start %d: got %v %v, want %v", i+1, got, err, first)
			}
		}
	})
	t.Run("store with rounds from before", func(t *testing.T) {
		st := newStore(t)
		openRound(t, st, "r1")
		got, err := st.FirstStart(ctx, first)
		if err != nil || !got.IsZero() {
			t.Errorf("got %v %v, want the zero time", got, err)
		}
	})
}
