package stats_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/stats"
)

// The reference values in testdata/reference were computed independently in R by
// scripts/reference/make.R (rerun from the repository root with
// `Rscript scripts/reference/make.R`); each file names the R and package versions
// that made it. These tests read only the JSON, so the suite needs no R (issue 14).

// Tolerances: the R fits were run to convergence (clogit and glm with eps 1e-12 to
// 1e-15, rake with epsilon 1e-14; their scores are below 1e-10), so the gaps
// allowed are the Go fits' own precision.
const (
	refThetaTol  = 1e-6  // log-worth differences θ_i − θ_0
	refLoglikTol = 1e-9  // maximum log-likelihood
	refWeightTol = 1e-8  // raking weights (mean 1)
	refWilsonTol = 1e-12 // Wilson bounds
)

// readReference decodes testdata/reference/<name> into v.
func readReference(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reference", name))
	if err != nil {
		t.Fatalf("read reference: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode reference %s: %v", name, err)
	}
}

// referenceFiles lists the reference files whose names start with prefix.
func referenceFiles(t *testing.T, prefix string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "reference", prefix+"*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no reference files %s*.json in testdata/reference", prefix)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

// plReference is one Plackett–Luce set with survival::clogit's fit: θ and vcov
// have option 0 as the reference (θ_0 = 0, its row and column of vcov 0).
type plReference struct {
	Name   string      `json:"name"`
	N      int         `json:"n"`
	Picks  [][3]int    `json:"picks"` // winner, loser, loser
	Theta  []float64   `json:"theta"`
	Vcov   [][]float64 `json:"vcov"`
	Loglik float64     `json:"loglik"`
}

// picks are the reference's picks as stats.Pick.
func (ref plReference) picks() []stats.Pick {
	picks := make([]stats.Pick, len(ref.Picks))
	for k, p := range ref.Picks {
		picks[k] = stats.Pick{Winner: p[0], Losers: []int{p[1], p[2]}}
	}
	return picks
}

// top1Loglik is the top-1 (Luce) log-likelihood of picks at log-worths theta.
func top1Loglik(theta []float64, picks [][3]int) float64 {
	var ll float64
	for _, p := range picks {
		var s float64
		for _, i := range p {
			s += math.Exp(theta[i])
		}
		ll += theta[p[0]] - math.Log(s)
	}
	return ll
}

// maxDiffFromReference is max_i |(θ_i − θ_0) − ref_i|, ref having ref_0 = 0.
func maxDiffFromReference(theta, ref []float64) float64 {
	var d float64
	for i := range ref {
		d = max(d, math.Abs(theta[i]-theta[0]-ref[i]))
	}
	return d
}

func TestReferencePlackettLuce(t *testing.T) {
	for _, file := range referenceFiles(t, "pl_") {
		var ref plReference
		readReference(t, file, &ref)
		t.Run(ref.Name, func(t *testing.T) {
			picks := ref.picks()
			theta, err := stats.PlackettLuceTop1(ref.N, picks, 0)
			if err != nil {
				t.Fatalf("PlackettLuceTop1: %v", err)
			}
			if len(theta) != ref.N {
				t.Fatalf("got %d log-worths, want %d", len(theta), ref.N)
			}
			d := maxDiffFromReference(theta, ref.Theta)
			t.Logf("max |Δθ| = %.2e", d)
			for i := range ref.Theta {
				if got := theta[i] - theta[0]; math.Abs(got-ref.Theta[i]) > refThetaTol {
					t.Errorf("θ_%d − θ_0: got %.10f, want %.10f (clogit)", i, got, ref.Theta[i])
				}
			}
			ll := top1Loglik(theta, ref.Picks)
			t.Logf("|Δ loglik| = %.2e", math.Abs(ll-ref.Loglik))
			if math.Abs(ll-ref.Loglik) > refLoglikTol {
				t.Errorf("log-likelihood: got %.12f, want %.12f (clogit loglik[2])", ll, ref.Loglik)
			}
		})
	}
}

// TestReferenceCovariance compares the covariance of the Newton fit
// (Choices.Fit, alpha 0) with clogit's vcov. clogit fixes θ_0 = 0, the fit
// centres θ; the contrasts θ_i − θ_j have the same variance in both, and
// Var(θ_i − θ_0) = C_ii + C_00 − 2 C_i0 must equal vcov_ii.
func TestReferenceCovariance(t *testing.T) {
	for _, file := range referenceFiles(t, "pl_") {
		var ref plReference
		readReference(t, file, &ref)
		t.Run(ref.Name, func(t *testing.T) {
			picks := ref.picks()
			c, err := stats.ChoicesFromPicks(ref.N, picks)
			if err != nil {
				t.Fatal(err)
			}
			f, err := c.Fit(0)
			if err != nil || !f.Converged {
				t.Fatalf("fit: %v, converged %v, gradient %g", err, f.Converged, f.Gradient)
			}
			var worst float64
			for i := range ref.N {
				for j := range ref.N {
					got := f.Cov[i][j] - f.Cov[i][0] - f.Cov[0][j] + f.Cov[0][0]
					want := ref.Vcov[i][j]
					rel := math.Abs(got-want) / max(math.Abs(want), 1e-12)
					if want == 0 {
						rel = math.Abs(got)
					}
					worst = max(worst, rel)
					if rel > 1e-6 {
						t.Errorf("Cov(θ_%d − θ_0, θ_%d − θ_0): got %.10g, want %.10g (clogit vcov)", i, j, got, want)
					}
				}
			}
			t.Logf("max relative difference of the covariance: %.2e", worst)
		})
	}
}

// top1Information is the observed information of the top-1 likelihood at theta,
// Σ over picks of diag(p) − p pᵀ with p the choice probabilities of the triad.
func top1Information(theta []float64, picks [][3]int) [][]float64 {
	info := make([][]float64, len(theta))
	for i := range info {
		info[i] = make([]float64, len(theta))
	}
	for _, p := range picks {
		var s float64
		for _, i := range p {
			s += math.Exp(theta[i])
		}
		for _, i := range p {
			pi := math.Exp(theta[i]) / s
			info[i][i] += pi
			for _, j := range p {
				info[i][j] -= pi * math.Exp(theta[j]) / s
			}
		}
	}
	return info
}

// TestReferencePlackettLuceData checks the reference files themselves, so a test
// that compares against them compares against what it means to: R's log-likelihood
// is the top-1 likelihood of the picks at R's θ, and vcov is symmetric with option
// 0's row and column zero and, on options 1..n−1, the inverse of the observed
// information at R's θ.
func TestReferencePlackettLuceData(t *testing.T) {
	for _, file := range referenceFiles(t, "pl_") {
		var ref plReference
		readReference(t, file, &ref)
		t.Run(ref.Name, func(t *testing.T) {
			if got := top1Loglik(ref.Theta, ref.Picks); math.Abs(got-ref.Loglik) > 1e-9 {
				t.Errorf("log-likelihood at R's θ: got %.12f, want %.12f", got, ref.Loglik)
			}
			if len(ref.Vcov) != ref.N {
				t.Fatalf("vcov: got %d rows, want %d", len(ref.Vcov), ref.N)
			}
			for i, row := range ref.Vcov {
				if len(row) != ref.N {
					t.Fatalf("vcov row %d: got %d columns, want %d", i, len(row), ref.N)
				}
				for j, v := range row {
					if (i == 0 || j == 0) && v != 0 {
						t.Errorf("vcov[%d][%d]: got %v, want 0 (option 0 is the reference)", i, j, v)
					}
					if v != ref.Vcov[j][i] {
						t.Errorf("vcov[%d][%d]: got %v, want vcov[%d][%d] = %v", i, j, v, j, i, ref.Vcov[j][i])
					}
				}
			}
			info := top1Information(ref.Theta, ref.Picks)
			for i := 1; i < ref.N; i++ {
				for j := 1; j < ref.N; j++ {
					var got float64
					for k := 1; k < ref.N; k++ {
						got += ref.Vcov[i][k] * info[k][j]
					}
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(got-want) > 1e-8 {
						t.Errorf("(vcov · information)[%d][%d]: got %v, want %v", i, j, got, want)
					}
				}
			}
		})
	}
}

// rakeReference is one raking set with survey::rake's weights, rescaled to mean 1.
type rakeReference struct {
	Name    string `json:"name"`
	Margins []struct {
		Dimension string             `json:"dimension"`
		Shares    map[string]float64 `json:"shares"`
	} `json:"margins"`
	Respondents []map[string]string `json:"respondents"`
	Weights     []float64           `json:"weights"`
}

func TestReferenceRake(t *testing.T) {
	for _, file := range referenceFiles(t, "rake_") {
		var ref rakeReference
		readReference(t, file, &ref)
		t.Run(ref.Name, func(t *testing.T) {
			margins := make([]stats.Margin, len(ref.Margins))
			for i, m := range ref.Margins {
				margins[i] = stats.Margin{Dimension: m.Dimension, Shares: m.Shares}
			}
			w, converged, err := stats.Rake(ref.Respondents, margins, 10000, 1e-13)
			if err != nil {
				t.Fatalf("Rake: %v", err)
			}
			if !converged {
				t.Errorf("converged: got false, want true")
			}
			if len(w) != len(ref.Weights) {
				t.Fatalf("got %d weights, want %d", len(w), len(ref.Weights))
			}
			var d float64
			for i := range w {
				d = max(d, math.Abs(w[i]-ref.Weights[i]))
				if math.Abs(w[i]-ref.Weights[i]) > refWeightTol {
					t.Errorf("weight %d (%v): got %.12f, want %.12f (survey::rake)", i, ref.Respondents[i], w[i], ref.Weights[i])
				}
			}
			t.Logf("max |Δw| = %.2e", d)
		})
	}
}

// wilsonReference holds prop.test's Wilson intervals and the z they were made at.
type wilsonReference struct {
	Z     float64 `json:"z"`
	Cases []struct {
		Successes int64   `json:"successes"`
		N         int64   `json:"n"`
		Lo        float64 `json:"lo"`
		Hi        float64 `json:"hi"`
	} `json:"cases"`
}

func TestReferenceWilson(t *testing.T) {
	var ref wilsonReference
	readReference(t, "wilson.json", &ref)
	if math.Abs(ref.Z-1.959963984540054) > 1e-14 {
		t.Fatalf("z: got %v, want qnorm(0.975)", ref.Z)
	}
	var d float64
	for _, c := range ref.Cases {
		lo, hi := stats.Wilson(c.Successes, c.N, ref.Z)
		d = max(d, math.Abs(lo-c.Lo), math.Abs(hi-c.Hi))
		if math.Abs(lo-c.Lo) > refWilsonTol || math.Abs(hi-c.Hi) > refWilsonTol {
			t.Errorf("Wilson(%d, %d): got (%.15g, %.15g), want (%.15g, %.15g) (prop.test)", c.Successes, c.N, lo, hi, c.Lo, c.Hi)
		}
	}
	t.Logf("%d cases, max |Δ| = %.2e", len(ref.Cases), d)
}

// btReference is one set of pair counts with the binomial glm's Bradley–Terry fit
// (θ_0 = 0 for ids[0]).
type btReference struct {
	Name  string   `json:"name"`
	IDs   []string `json:"ids"`
	Pairs []struct {
		Winner string `json:"winner"`
		Loser  string `json:"loser"`
		Count  int64  `json:"count"`
	} `json:"pairs"`
	Theta  []float64 `json:"theta"`
	Loglik float64   `json:"loglik"`
}

func TestReferenceBradleyTerry(t *testing.T) {
	for _, file := range referenceFiles(t, "bt_") {
		var ref btReference
		readReference(t, file, &ref)
		t.Run(ref.Name, func(t *testing.T) {
			pairs := map[[2]string]int64{}
			index := map[string]int{}
			for i, id := range ref.IDs {
				index[id] = i
			}
			for _, p := range ref.Pairs {
				pairs[[2]string{p.Winner, p.Loser}] += p.Count
			}
			theta, err := stats.BradleyTerryFromPairs(ref.IDs, pairs, 0)
			if err != nil {
				t.Fatalf("BradleyTerryFromPairs: %v", err)
			}
			if len(theta) != len(ref.IDs) {
				t.Fatalf("got %d log-worths, want %d", len(theta), len(ref.IDs))
			}
			t.Logf("max |Δθ| = %.2e", maxDiffFromReference(theta, ref.Theta))
			for i := range ref.Theta {
				if got := theta[i] - theta[0]; math.Abs(got-ref.Theta[i]) > refThetaTol {
					t.Errorf("θ(%s) − θ(%s): got %.10f, want %.10f (glm)", ref.IDs[i], ref.IDs[0], got, ref.Theta[i])
				}
			}
			var ll float64
			for _, p := range ref.Pairs {
				d := theta[index[p.Winner]] - theta[index[p.Loser]]
				ll -= float64(p.Count) * math.Log1p(math.Exp(-d))
			}
			t.Logf("|Δ loglik| = %.2e", math.Abs(ll-ref.Loglik))
			if math.Abs(ll-ref.Loglik) > refLoglikTol {
				t.Errorf("log-likelihood: got %.12f, want %.12f (glm)", ll, ref.Loglik)
			}
		})
	}
}

// TestReferenceProvenance checks that every reference file says what made it.
func TestReferenceProvenance(t *testing.T) {
	for _, prefix := range []string{"pl_", "rake_", "wilson", "bt_"} {
		for _, file := range referenceFiles(t, prefix) {
			var ref struct {
				Provenance struct {
					Script   string `json:"script"`
					RVersion string `json:"r_version"`
				} `json:"provenance"`
			}
			readReference(t, file, &ref)
			if ref.Provenance.Script != "scripts/reference/make.R" || !strings.HasPrefix(ref.Provenance.RVersion, "R version ") {
				t.Errorf("%s provenance: got %+v, want the script and an R version", file, ref.Provenance)
			}
		}
	}
}
