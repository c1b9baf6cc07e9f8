package surveys

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// drawRound draws triads for residents one after another as the bot does, each triad
// seeded by resident and index and counted (as shown) in the round's counters before
// the next is drawn.
func drawRound(t *testing.T, pool []Option, residents, triads int, draw func([]Option, map[string]int64, [][3]string, *rand.Rand) ([3]string, bool)) (map[string]int64, [][][3]string) {
	t.Helper()
	counts := map[string]int64{}
	var all [][][3]string
	for p := range uint64(residents) {
		var seen [][3]string
		for i := range uint64(triads) {
			tri, ok := draw(pool, counts, seen, rand.New(rand.NewPCG(p, i)))
			if !ok {
				t.Fatalf("resident %d triad %d: got no triad, want one", p, i)
			}
			if tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2] {
				t.Fatalf("resident %d triad %d: got %v, want three distinct options", p, i, tri)
			}
			if seenTriad(seen, tri) {
				t.Fatalf("resident %d triad %d: %v shown before in %v", p, i, tri, seen)
			}
			for _, id := range tri {
				counts["s:"+id]++
			}
			seen = append(seen, tri)
		}
		all = append(all, seen)
	}
	return counts, all
}

func TestUniformNext(t *testing.T) {
	tests := []struct {
		name      string
		pool      int
		triads    int
		maxOwn    int   // most showings of one option to one resident
		maxSpread int64 // most minus fewest showings in the round
	}{
		{name: "12 options, 10 triads", pool: 12, triads: 10, maxOwn: 3, maxSpread: 2},
		{name: "30 options, 10 triads", pool: 30, triads: 10, maxOwn: 1, maxSpread: 1},
		{name: "8 options, 10 triads", pool: 8, triads: 10, maxOwn: 4, maxSpread: 2},
		{name: "every triad of four", pool: 4, triads: 4, maxOwn: 3, maxSpread: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := adaptivePool(tt.pool)
			counts, all := drawRound(t, pool, 40, tt.triads, UniformNext)
			for p, ts := range all {
				ex := exposures(ts)
				lo, hi := tt.triads, 0
				for _, o := range pool {
					lo, hi = min(lo, ex[o.ID]), max(hi, ex[o.ID])
				}
				if hi > tt.maxOwn || hi-lo > 1 {
					t.Errorf("resident %d: showings from %d to %d, want at most %d and even (%v)", p, lo, hi, tt.maxOwn, ts)
				}
			}
			lo, hi := counts["s:"+pool[0].ID], int64(0)
			for _, o := range pool {
				lo, hi = min(lo, counts["s:"+o.ID]), max(hi, counts["s:"+o.ID])
			}
			if hi-lo > tt.maxSpread {
				t.Errorf("showings in the round from %d to %d, want at most %d apart", lo, hi, tt.maxSpread)
			}
		})
	}
}

func TestUniformNextLeastShown(t *testing.T) {
	pool := adaptivePool(12)
	counts := showings(pool, 100, map[string]int64{"o07": 2, "o03": 5})
	positions := map[int]bool{}
	for seed := range uint64(40) {
		tri, _ := UniformNext(pool, counts, nil, rand.New(rand.NewPCG(seed, 1)))
		i, j := -1, -1
		for k, id := range tri {
			switch id {
			case "o07":
				i = k
			case "o03":
				j = k
			}
		}
		if i < 0 || j < 0 {
			t.Fatalf("seed %d: got %v, want the least shown o07 and o03 in it", seed, tri)
		}
		positions[i] = true
	}
	if len(positions) != 3 {
		t.Errorf("positions of the least shown option: got %v, want all three", positions)
	}
}

func TestUniformNextDeterministic(t *testing.T) {
	pool := adaptivePool(20)
	counts := showings(pool, 40, map[string]int64{"o04": 3})
	seen := [][3]string{{"o04", "o09", "o11"}}
	a, _ := UniformNext(pool, counts, seen, rand.New(rand.NewPCG(7, 1)))
	b, _ := UniformNext(pool, counts, seen, rand.New(rand.NewPCG(7, 1)))
	if a != b {
		t.Errorf("same seed and counts: got %v and %v, want the same triad", a, b)
	}
	if _, ok := UniformNext(adaptivePool(2), nil, nil, rand.New(rand.NewPCG(7, 1))); ok {
		t.Errorf("two options: got a triad, want none")
	}
}

// TestLoadAdaptief checks that adaptief: true on a wie-van-de-drie question sets
// Adaptive, and that leaving it out or false keeps the uniform draw.
func TestLoadAdaptief(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		want  bool
	}{
		{name: "left out", extra: "pool: [a, b, c]", want: false},
		{name: "false", extra: "pool: [a, b, c]\n    adaptief: false", want: false},
		{name: "true", extra: "pool: [a, b, c]\n    adaptief: true", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(baseSurvey+addTriad(tt.extra)))
			if err != nil {
				t.Fatalf("got %v, want the survey", err)
			}
			i := slices.IndexFunc(s.Questions, func(q Question) bool { return q.ID == "w" })
			if i < 0 {
				t.Fatalf("got questions %v, want one with id w", s.Questions)
			}
			if q := s.Questions[i]; q.Adaptive != tt.want {
				t.Errorf("got Adaptive %v, want %v", q.Adaptive, tt.want)
			}
		})
	}
}
