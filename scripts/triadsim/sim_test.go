package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestSmallRun runs a small version of the command (two seeds, one small cell, a
// low target) so the simulation cannot rot; the measurement itself is the command.
func TestSmallRun(t *testing.T) {
	cells := []setup{{options: 8, sd: 1.5, triads: 10}}
	r := run{targets: []float64{0.6, 0.7}, step: 50, hold: 100, maxPicks: 600}
	res := simulate(cells, r, 1, 2, 2, nil)
	for s, o := range res[0] {
		for i := range r.targets {
			if !o.uniOK[i] || !o.adaOK[i] {
				t.Errorf("seed %d, tau %v: got reached uniform %v adaptive %v, want both", s, r.targets[i], o.uniOK[i], o.adaOK[i])
			}
			if o.uni[i] > r.maxPicks || o.ada[i] > r.maxPicks || o.uni[i]%r.step != 0 {
				t.Errorf("seed %d, tau %v: got picks %d and %d, want checkpoints up to %d", s, r.targets[i], o.uni[i], o.ada[i], r.maxPicks)
			}
		}
	}
	var b bytes.Buffer
	table(&b, cells, r, res)
	if got := strings.Count(b.String(), "\n"); got != 3 {
		t.Errorf("table lines: got %d, want 3 (header and a row per target):\n%s", got, b.String())
	}
}

func TestPicksToTauDeterministic(t *testing.T) {
	s := setup{options: 6, sd: 1, triads: 4}
	r := run{targets: []float64{0.5}, step: 20, hold: 40, maxPicks: 200}
	a, _ := picksToTau(s, r, 3, surveys.UniformNext)
	b, _ := picksToTau(s, r, 3, surveys.UniformNext)
	if a[0] != b[0] {
		t.Errorf("same seed: got %d and %d picks, want the same", a[0], b[0])
	}
}

func TestQuantile(t *testing.T) {
	v := []float64{4, 1, 3, 2}
	for _, tt := range []struct{ p, want float64 }{{0, 1}, {0.5, 2.5}, {0.25, 1.75}, {1, 4}} {
		if got := quantile(v, tt.p); got != tt.want {
			t.Errorf("quantile(%v): got %v, want %v", tt.p, got, tt.want)
		}
	}
}
