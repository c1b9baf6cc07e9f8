package surveys

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestQuestionCounts(t *testing.T) {
	tallies := map[string]int64{"q:w:s:a": 3, "q:w:p:a:b": 2, "q:w2:s:a": 9, "q:w:n": 1, "respondents": 4}
	got := QuestionCounts(tallies, "w")
	want := map[string]int64{"s:a": 3, "p:a:b": 2, "n": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// adaptivePool is n options o00, o01, ….
func adaptivePool(n int) []Option {
	out := make([]Option, n)
	for i := range out {
		out[i] = Option{ID: fmt.Sprintf("o%02d", i), Label: fmt.Sprintf("Optie %d", i)}
	}
	return out
}

// showings are round counters with every option of pool shown n times, except those in rare.
func showings(pool []Option, n int64, rare map[string]int64) map[string]int64 {
	counts := map[string]int64{}
	for _, o := range pool {
		counts["s:"+o.ID] = n
		if c, ok := rare[o.ID]; ok {
			counts["s:"+o.ID] = c
		}
	}
	return counts
}

// drawAll draws n triads for one participant as the bot does: one at a time, each
// seeded by its index, the earlier ones as seen.
func drawAll(t *testing.T, pool []Option, counts map[string]int64, n int, seed uint64) [][3]string {
	t.Helper()
	var seen [][3]string
	for i := range n {
		tri, ok := AdaptiveNext(pool, counts, seen, rand.New(rand.NewPCG(seed, uint64(i))))
		if !ok {
			t.Fatalf("triad %d: got no triad, want one", i)
		}
		if tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2] {
			t.Fatalf("triad %d: got %v, want three distinct options", i, tri)
		}
		seen = append(seen, tri)
	}
	return seen
}

func exposures(ts [][3]string) map[string]int {
	out := map[string]int{}
	for _, tri := range ts {
		for _, id := range tri {
			out[id]++
		}
	}
	return out
}

func TestAdaptiveNextLeastShown(t *testing.T) {
	pool := adaptivePool(12)
	counts := showings(pool, 100, map[string]int64{"o07": 2})
	positions := map[int]bool{}
	for seed := range uint64(40) {
		tri, _ := AdaptiveNext(pool, counts, nil, rand.New(rand.NewPCG(seed, 1)))
		i := slices.Index(tri[:], "o07")
		if i < 0 {
			t.Fatalf("seed %d: got %v, want the least shown o07 in it", seed, tri)
		}
		positions[i] = true
	}
	if len(positions) != 3 {
		t.Errorf("positions of the least shown option: got %v, want all three", positions)
	}
}

func TestAdaptiveNextOwnShowings(t *testing.T) {
	tests := []struct {
		name    string
		pool    int
		triads  int
		counts  func(pool []Option) map[string]int64
		maxSeen int // most showings of one option to the participant
	}{
		{name: "no tallies", pool: 12, triads: 4, maxSeen: 1},
		{name: "one option never shown", pool: 12, triads: 4, maxSeen: 1,
			counts: func(p []Option) map[string]int64 { return showings(p, 100, map[string]int64{"o03": 0}) }},
		{name: "a few rarely shown", pool: 30, triads: 10, maxSeen: 1,
			counts: func(p []Option) map[string]int64 {
				return showings(p, 500, map[string]int64{"o01": 1, "o02": 2, "o05": 0, "o20": 3})
			}},
		{name: "pool of 100", pool: 100, triads: 20, maxSeen: 1},
		{name: "pool smaller than the triads", pool: 7, triads: 6, maxSeen: 3,
			counts: func(p []Option) map[string]int64 { return showings(p, 50, map[string]int64{"o00": 0}) }},
		{name: "every triad of four", pool: 4, triads: 4, maxSeen: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := adaptivePool(tt.pool)
			var counts map[string]int64
			if tt.counts != nil {
				counts = tt.counts(pool)
			}
			for seed := range uint64(10) {
				ts := drawAll(t, pool, counts, tt.triads, seed)
				ex := exposures(ts)
				lo, hi := tt.triads, 0
				for _, o := range pool {
					lo, hi = min(lo, ex[o.ID]), max(hi, ex[o.ID])
				}
				if hi > tt.maxSeen || hi-lo > 1 {
					t.Errorf("seed %d: showings to one participant from %d to %d, want at most %d and even (%v)", seed, lo, hi, tt.maxSeen, ts)
				}
				for i := range ts {
					if seenTriad(ts[:i], ts[i]) {
						t.Errorf("seed %d: triad %d %v shown before in %v", seed, i, ts[i], ts[:i])
					}
				}
			}
		})
	}
}

func TestAdaptiveNextOddPools(t *testing.T) {
	tests := []struct {
		name string
		pool []Option
		ok   bool
	}{
		{name: "empty", pool: nil},
		{name: "two options", pool: adaptivePool(2)},
		{name: "three with a duplicate id", pool: append(adaptivePool(2), Option{ID: "o01"})},
		{name: "three", pool: adaptivePool(3), ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen [][3]string
			for i := range 3 { // with three options the one triad must come back
				tri, ok := AdaptiveNext(tt.pool, nil, seen, rand.New(rand.NewPCG(1, uint64(i))))
				if ok != tt.ok {
					t.Fatalf("got ok %v, want %v", ok, tt.ok)
				}
				seen = append(seen, tri)
			}
		})
	}
}

func TestAdaptiveNextDeterministic(t *testing.T) {
	pool := adaptivePool(20)
	counts := showings(pool, 40, map[string]int64{"o04": 3})
	counts["p:o01:o02"], counts["p:o02:o03"] = 30, 12
	seen := [][3]string{{"o04", "o09", "o11"}}
	a, _ := AdaptiveNext(pool, counts, seen, rand.New(rand.NewPCG(7, 1)))
	b, _ := AdaptiveNext(pool, counts, seen, rand.New(rand.NewPCG(7, 1)))
	if a != b {
		t.Errorf("same seed and counts: got %v and %v, want the same triad", a, b)
	}
}
