package results

import (
	"math"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestComputeStatistics checks the per-question statistics against references
// computed apart from this code: the Wilson intervals are Newcombe's (1998,
// Statistics in Medicine 17, table I, method 3) published to four decimals; the
// medians and top-2-box shares are counted by hand.
func TestComputeStatistics(t *testing.T) {
	near := func(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
	t.Run("Wilson intervals (Newcombe 1998)", func(t *testing.T) {
		tests := []struct {
			count, n int64
			lo, hi   float64 // percent
		}{
			{81, 263, 25.53, 36.62},
			{15, 148, 6.24, 16.05},
			{0, 20, 0, 16.11},
			{1, 29, 0.61, 17.18},
		}
		for _, tt := range tests {
			s := &surveys.Survey{Questions: []surveys.Question{{ID: "q", Type: surveys.Single, Options: []surveys.Option{{ID: "ja", Label: "Ja"}, {ID: "nee", Label: "Nee"}}}}}
			q := Compute(s, RoundInfo{}, map[string]int64{"q:q:n": tt.n, "q:q:o:ja": tt.count, "q:q:o:nee": tt.n - tt.count}, nil, 10).Questions[0]
			if o := q.Options[0]; !near(o.Low, tt.lo, 0.005) || !near(o.High, tt.hi, 0.005) {
				t.Errorf("%d/%d: got %.4f–%.4f%%, want %.2f–%.2f%%", tt.count, tt.n, o.Low, o.High, tt.lo, tt.hi)
			}
		}
	})
	t.Run("likert distribution, mean, median and top-2-box", func(t *testing.T) {
		// "Hoeveel vertrouwen heeft u in de gemeente?" 1×1, 2×2, 3×3, 4×3, 5×1: n 10.
		// mean (1+4+9+12+5)/10 = 3.1; sorted 1 2 2 3 3 3 4 4 4 5: median (3+3)/2 = 3;
		// top-2-box 4/10 = 40%, Wilson 4/10: 16.82%–68.73%.
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "v", Type: surveys.Likert}}}
		q := Compute(s, RoundInfo{}, map[string]int64{"q:v:n": 10, "q:v:o:1": 1, "q:v:o:2": 2, "q:v:o:3": 3, "q:v:o:4": 3, "q:v:o:5": 1}, nil, 10).Questions[0]
		if !near(q.Mean, 3.1, 1e-12) || q.Median != 3 || !near(q.Agree, 40, 1e-12) {
			t.Errorf("got mean %v median %v agree %v, want 3.1, 3, 40", q.Mean, q.Median, q.Agree)
		}
		if !near(q.AgreeLow, 16.82, 0.005) || !near(q.AgreeHigh, 68.73, 0.005) {
			t.Errorf("agree interval: got %.4f–%.4f, want 16.82–68.73", q.AgreeLow, q.AgreeHigh)
		}
	})
	t.Run("rating median, odd and even", func(t *testing.T) {
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "c", Type: surveys.Rating}}}
		// 6, 7, 7, 8, 9: median 7. Adding a 10: 6 7 7 8 9 10: median 7.5.
		odd := Compute(s, RoundInfo{}, map[string]int64{"q:c:n": 5, "q:c:o:6": 1, "q:c:o:7": 2, "q:c:o:8": 1, "q:c:o:9": 1}, nil, 10).Questions[0]
		even := Compute(s, RoundInfo{}, map[string]int64{"q:c:n": 6, "q:c:o:6": 1, "q:c:o:7": 2, "q:c:o:8": 1, "q:c:o:9": 1, "q:c:o:10": 1}, nil, 10).Questions[0]
		if odd.Median != 7 || even.Median != 7.5 || !near(odd.Mean, 7.4, 1e-12) {
			t.Errorf("got median %v and %v, mean %v; want 7, 7.5, mean 7.4", odd.Median, even.Median, odd.Mean)
		}
	})
	t.Run("per kern, with suppression", func(t *testing.T) {
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "p", Type: surveys.Single, Options: []surveys.Option{{ID: "voor", Label: "Aan de voorkant"}, {ID: "achter", Label: "Aan de achterkant"}}}}}
		tallies := map[string]int64{"q:p:n": 52,
			"q:p:n:k:Dalfsen": 20, "q:p:o:voor:k:Dalfsen": 11, "q:p:o:achter:k:Dalfsen": 9,
			"q:p:n:k:Nieuwleusen": 25, "q:p:o:voor:k:Nieuwleusen": 20, "q:p:o:achter:k:Nieuwleusen": 5,
			"q:p:n:k:Ankum": 7, "q:p:o:voor:k:Ankum": 7,
		}
		q := Compute(s, RoundInfo{}, tallies, nil, 10).Questions[0]
		got := map[string]KernResult{}
		for _, k := range q.ByKern {
			got[k.Kern] = k
		}
		// Ankum (7) is under 10; Dalfsen (20) is hidden with it, else 52-20-25 gives Ankum.
		if a := got["Ankum"]; !a.Suppressed || a.N != 0 || a.Percent != nil {
			t.Errorf("Ankum: got %+v, want suppressed with nothing shown", a)
		}
		if d := got["Dalfsen"]; !d.Suppressed || d.Percent != nil {
			t.Errorf("Dalfsen: got %+v, want complementary suppression", d)
		}
		// Nieuwleusen (25) is shown, but not its 20% achter: that is 5 people,
		// and 80% voor gives the same 5 back (25 − 20).
		if n := got["Nieuwleusen"]; n.Suppressed || n.N != 25 || len(n.Percent) != 0 {
			t.Errorf("Nieuwleusen: got %+v, want 25 answers and no percentages", n)
		}
	})
}
