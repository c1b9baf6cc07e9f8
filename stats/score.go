package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Scoring of "wie van de drie".
//
// A resident shown a set S of options picks one. Luce's choice axiom, the top-1
// case of the Plackett–Luce model, gives each option a worth γ_i = e^θ_i and
//
//	P(i chosen from S) = e^θ_i / Σ_{j∈S} e^θ_j.
//
// The log-worths θ are fitted by maximum likelihood with Newton's method on
// picks aggregated per choice set (choice.go), so a fit costs the number of
// distinct sets, not the number of picks. The figure shown to readers is
// ChosenFromThree with its band (chosen.go).
//
// The regulariser alpha > 0 adds, for every option, alpha pseudo-wins and alpha
// pseudo-losses against a virtual opponent of fixed worth 1 (θ = 0). It acts as a
// small prior that keeps an option that always wins, always loses or was never
// shown finite (and pulls it towards the middle), and it makes the fit unique
// whatever the data. With alpha = 0 the fit is plain maximum likelihood, which
// exists only when the comparison graph (an edge from winner to each loser) is
// strongly connected (Hunter 2004, assumption 1); otherwise an error is returned.

// Pick is one answer to a choice: Winner was picked over Losers (option indices).
// A pair comparison is a Pick with one loser.
type Pick struct {
	Winner int
	Losers []int
}

// ErrNoMLE is returned by an unregularised fit (alpha = 0) when the maximum
// likelihood estimate does not exist: some group of options never beats the rest.
var ErrNoMLE = errors.New("stats: no maximum likelihood estimate: comparison graph not strongly connected (use alpha > 0)")

// checkPick validates one pick against n options.
func checkPick(n int, p Pick) error {
	if p.Winner < 0 || p.Winner >= n {
		return fmt.Errorf("stats: pick winner %d out of range 0..%d", p.Winner, n-1)
	}
	for _, l := range p.Losers {
		if l < 0 || l >= n || l == p.Winner {
			return fmt.Errorf("stats: pick loser %d invalid (winner %d, %d options)", l, p.Winner, n)
		}
	}
	return nil
}

// stronglyConnected reports whether every option can be reached from every other
// along edges winner → loser; beats[i] lists the options i beat at least once.
func stronglyConnected(n int, beats [][]int) bool {
	for _, k := range components(n, beats) {
		if k != 0 {
			return false
		}
	}
	return true
}

func centre(theta []float64) {
	var s float64
	for _, v := range theta {
		s += v
	}
	m := s / float64(len(theta))
	for i := range theta {
		theta[i] -= m
	}
}

// PlackettLuceTop1 fits the top-1 choice model (Luce's choice axiom) to picks
// among n options and returns the maximum likelihood log-worths θ, centred to
// mean 0. alpha > 0 regularises (see the package notes above: alpha pseudo-wins
// and pseudo-losses against a virtual opponent of worth 1); alpha = 0 is plain
// maximum likelihood and returns ErrNoMLE when it does not exist. It is
// Choices.Estimate (the fit without the covariance); a fit that does not
// converge is an error here. n = 0 gives an empty result; n = 1 gives θ = [0].
func PlackettLuceTop1(n int, picks []Pick, alpha float64) (theta []float64, err error) {
	if n < 0 || alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("stats: invalid n %d or alpha %v", n, alpha)
	}
	c, err := ChoicesFromPicks(n, picks)
	if err != nil {
		return nil, err
	}
	return converged(c.Estimate(alpha))
}

// converged is the θ of a fit, or an error when it did not converge.
func converged(f Fit, err error) ([]float64, error) {
	if err != nil {
		return nil, err
	}
	if !f.Converged {
		return nil, fmt.Errorf("stats: fit did not converge: gradient %.3g after %d steps", f.Gradient, f.Iterations)
	}
	return f.Theta, nil
}

// BradleyTerryFromPairs fits the Bradley–Terry model, P(w beats l) = σ(θ_w − θ_l),
// to pair counts: pairs[[2]string{w, l}] is how often w was picked over l; θ is
// in the order of ids, centred to mean 0.
func BradleyTerryFromPairs(ids []string, pairs map[[2]string]int64, alpha float64) (theta []float64, err error) {
	if alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("stats: invalid alpha %v", alpha)
	}
	counts := make(map[string]int64, len(pairs))
	for k, v := range pairs {
		if k[0] != k[1] && !strings.Contains(k[0], ":") && !strings.Contains(k[1], ":") {
			counts["p:"+k[0]+":"+k[1]] += v
		}
	}
	return converged(PairChoices(ids, counts).Estimate(alpha))
}

// sigmoid is the logistic function 1/(1+e^-x).
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// AdaptiveTriad picks the next triad to show among n options (n >= 3; otherwise
// it returns -1s): one expected to teach more than a random triad, given how often
// each option was shown (shown[i]) and the current log-worths (theta; nil or
// shorter when there are none yet).
//
// The first option is the least shown (ties broken at random), so exposure stays
// even and no option is left poorly estimated. The other two come from the less
// shown half of the options and are those whose worth is nearest to the first
// option's: comparisons between options of similar worth are the uncertain ones,
// and carry the most information about the ranking (the Fisher information of a
// Bradley–Terry comparison, σ(d)(1−σ(d)), is largest at d = 0). "Nearest" is
// judged on a draw θ_i + ε_i with ε_i ~ N(0, 1/(0.2·shown_i + 0.1)), roughly the
// posterior uncertainty of θ_i after shown_i showings (posterior or Thompson
// sampling): early on, when the worths are still guesses, the partners are close
// to random, and the design turns local as the estimates firm up. Without the
// draw the design keeps comparing neighbours that only look close, and does worse
// than random triads (see TestAdaptiveTriadsSimulation). On the production path
// it does not save picks reliably over uniform balanced triads
// (surveys.UniformNext; measured with scripts/triadsim, figures in README.md),
// so the bot uses it only for a question with adaptief: true.
func AdaptiveTriad(n int, shown []int64, theta []float64, rng *rand.Rand) [3]int {
	if n < 3 {
		return [3]int{-1, -1, -1}
	}
	at := func(i int) int64 {
		if i < len(shown) {
			return shown[i]
		}
		return 0
	}
	order := rng.Perm(n) // random tie-break
	sort.SliceStable(order, func(a, b int) bool { return at(order[a]) < at(order[b]) })
	draw := make([]float64, n)
	for i := range draw {
		if i < len(theta) {
			draw[i] = theta[i]
		}
		draw[i] += rng.NormFloat64() * math.Sqrt(1/(adaptiveInfo*float64(max(at(i), 0))+adaptivePrior))
	}
	first := order[0]
	cand := append([]int(nil), order[1:max(3, (n+1)/2)]...)
	dist := func(i int) float64 { return math.Abs(draw[i] - draw[first]) }
	sort.SliceStable(cand, func(a, b int) bool { return dist(cand[a]) < dist(cand[b]) })
	return [3]int{first, cand[0], cand[1]}
}

// The approximate precision of θ_i in AdaptiveTriad: adaptivePrior plus
// adaptiveInfo per showing (a triad of similar options gives about
// p(1−p) = 2/9 ≈ 0.2 per showing).
const (
	adaptiveInfo  = 0.2
	adaptivePrior = 0.1
)
