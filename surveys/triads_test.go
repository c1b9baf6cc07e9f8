package surveys

import (
	"fmt"
	"reflect"
	"testing"
)

func testPool(n int) []Option {
	opts := make([]Option, n)
	for i := range opts {
		opts[i] = Option{ID: fmt.Sprintf("o%d", i), Label: fmt.Sprintf("Optie %d", i)}
	}
	return opts
}

func TestTriadsPerParticipant(t *testing.T) {
	tests := []struct {
		name      string
		pool, n   int
		wantCount int
	}{
		{"pool of exactly 3", 3, 4, 4},
		{"pool of 4", 4, 5, 5},
		{"one triad", 12, 1, 1},
		{"fewer shows than options", 12, 3, 3},
		{"every option once", 12, 4, 4},
		{"n*3 more than the pool", 10, 7, 7},
		{"n*3 far more than the pool", 5, 20, 20},
		{"large pool", 100, 20, 20},
		{"no triads", 10, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range uint64(200) {
				got := Triads(testPool(tt.pool), tt.n, seed)
				if len(got) != tt.wantCount {
					t.Fatalf("seed %d: got %d triads, want %d", seed, len(got), tt.wantCount)
				}
				checkTriads(t, seed, got, tt.pool, tt.n)
			}
		})
	}
}

// checkTriads asserts no id twice in a triad, only pool ids, and each option shown
// floor or ceil of 3n/len(pool) times.
func checkTriads(t *testing.T, seed uint64, triads [][3]string, poolSize, n int) {
	t.Helper()
	count := map[string]int{}
	for _, tr := range triads {
		if tr[0] == tr[1] || tr[0] == tr[2] || tr[1] == tr[2] {
			t.Fatalf("seed %d: got triad %v, want three distinct ids", seed, tr)
		}
		for _, id := range tr {
			count[id]++
		}
	}
	lo, hi := 3*n/poolSize, (3*n+poolSize-1)/poolSize
	for _, o := range testPool(poolSize) {
		if c := count[o.ID]; c < lo || c > hi {
			t.Fatalf("seed %d: got %s shown %d times, want %d..%d", seed, o.ID, c, lo, hi)
		}
		delete(count, o.ID)
	}
	if len(count) > 0 {
		t.Fatalf("seed %d: got ids %v, want only pool ids", seed, count)
	}
}

func TestTriadsAcrossParticipants(t *testing.T) {
	tests := []struct {
		name    string
		pool, n int
	}{
		{"goed goan pool", 12, 5},
		{"default 4 triads", 10, 4},
		{"small pool", 5, 4},
		{"large pool", 40, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count := map[string]int{}
			for seed := range uint64(500) {
				for _, tr := range Triads(testPool(tt.pool), tt.n, seed) {
					for _, id := range tr {
						count[id]++
					}
				}
			}
			lo, hi := -1, 0
			for _, o := range testPool(tt.pool) {
				c := count[o.ID]
				hi = max(hi, c)
				if lo < 0 || c < lo {
					lo = c
				}
			}
			if ratio := float64(hi) / float64(lo); ratio >= 1.15 {
				t.Errorf("got max/min exposure %d/%d = %.3f, want < 1.15", hi, lo, ratio)
			}
		})
	}
}

func TestTriadsDeterministic(t *testing.T) {
	p := testPool(12)
	a, b := Triads(p, 6, 42), Triads(p, 6, 42)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed: got %v and %v, want equal", a, b)
	}
	if c := Triads(p, 6, 43); reflect.DeepEqual(a, c) {
		t.Errorf("seeds 42 and 43: got the same design %v, want different", a)
	}
}

func TestTriadsTooSmallPool(t *testing.T) {
	tests := []struct {
		name string
		pool []Option
	}{
		{"two options", testPool(2)},
		{"three with a duplicate id", []Option{{ID: "a"}, {ID: "b"}, {ID: "a"}}},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Triads(tt.pool, 4, 1); got != nil {
				t.Errorf("got %v, want nil", got)
			}
		})
	}
}
