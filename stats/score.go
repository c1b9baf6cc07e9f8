package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Scoring of "wie van de drie".
//
// A resident shown a set S of options picks one. Luce's choice axiom, the top-1
// case of the Plackett–Luce model, gives each option a worth γ_i = e^θ_i and
//
//	P(i chosen from S) = e^θ_i / Σ_{j∈S} e^θ_j.
//
// The log-worths θ are fitted by maximum likelihood with Hunter's (2004) MM
// algorithm ("MM algorithms for generalized Bradley–Terry models", Ann. Statist.
// 32(1)): γ_i ← w_i / Σ_{S∋i} c_S / Σ_{j∈S} γ_j, where w_i is how often i was
// picked and c_S how often set S was answered. Picks are aggregated per choice
// set first, so an iteration costs the number of distinct sets, not the number of
// picks: a million pair comparisons of 100 options are at most 4,950 sets (the
// win matrix).
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

// Convergence of the MM iterations: the largest relative change of a worth.
// Bootstrap resamples start from the full fit and need only the precision of a
// band (scores to about 1e-5), so they stop earlier.
const (
	scoreTol     = 1e-10
	bandTol      = 1e-7
	scoreMaxIter = 10000
)

// ErrNoMLE is returned by an unregularised fit (alpha = 0) when the maximum
// likelihood estimate does not exist: some group of options never beats the rest.
var ErrNoMLE = errors.New("stats: no maximum likelihood estimate: comparison graph not strongly connected (use alpha > 0)")

// choiceData is aggregated top-1 data: per option the (weighted) number of wins,
// per distinct choice set its members and how often it was answered.
type choiceData struct {
	n    int
	wins []float64
	mem  []int32 // members of all sets, flattened
	off  []int32 // set k is mem[off[k]:off[k+1]]
	cnt  []float64
}

func newChoiceData(n int) *choiceData {
	return &choiceData{n: n, wins: make([]float64, n), off: []int32{0}}
}

// addSet appends a choice set answered c times.
func (d *choiceData) addSet(members []int, c float64) {
	for _, m := range members {
		d.mem = append(d.mem, int32(m))
	}
	d.off = append(d.off, int32(len(d.mem)))
	d.cnt = append(d.cnt, c)
}

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

// aggregatePicks groups picks by their (sorted) choice set.
func aggregatePicks(n int, picks []Pick) *choiceData {
	d := newChoiceData(n)
	index := map[string]int{}
	var key []byte
	set := make([]int, 0, 4)
	for _, p := range picks {
		d.wins[p.Winner]++
		set = append(set[:0], p.Winner)
		set = append(set, p.Losers...)
		slices.Sort(set)
		key = key[:0]
		for _, m := range set {
			key = strconv.AppendInt(key, int64(m), 10)
			key = append(key, ',')
		}
		if k, ok := index[string(key)]; ok {
			d.cnt[k]++
			continue
		}
		index[string(key)] = len(d.cnt)
		d.addSet(set, 1)
	}
	return d
}

// stronglyConnected reports whether every option can be reached from every other
// along edges winner → loser; beats[i] lists the options i beat at least once.
func stronglyConnected(n int, beats [][]int) bool {
	if n <= 1 {
		return true
	}
	rev := make([][]int, n)
	for i, js := range beats {
		for _, j := range js {
			rev[j] = append(rev[j], i)
		}
	}
	reach := func(adj [][]int) bool {
		seen := make([]bool, n)
		stack := []int{0}
		seen[0] = true
		count := 1
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, j := range adj[i] {
				if !seen[j] {
					seen[j] = true
					count++
					stack = append(stack, j)
				}
			}
		}
		return count == n
	}
	return reach(beats) && reach(rev)
}

// fitChoice runs the MM iterations on aggregated data, until the largest
// relative change of a worth is below tol, and returns mean-centred log-worths.
// start, when not nil, is a starting point (log-worths, any centring).
func fitChoice(d *choiceData, alpha float64, start []float64, tol float64) []float64 {
	n := d.n
	gamma := make([]float64, n)
	for i := range gamma {
		gamma[i] = 1
		if start != nil {
			gamma[i] = math.Exp(start[i])
		}
	}
	if alpha == 0 && start != nil {
		normalise(gamma)
	}
	denom := make([]float64, n)
	next := make([]float64, n)
	nsets := len(d.cnt)
	for range scoreMaxIter {
		clear(denom)
		for k := range nsets {
			m := d.mem[d.off[k]:d.off[k+1]]
			var s float64
			for _, i := range m {
				s += gamma[i]
			}
			c := d.cnt[k] / s
			for _, i := range m {
				denom[i] += c
			}
		}
		for i := range n {
			w, den := d.wins[i], denom[i]
			if alpha > 0 {
				w += alpha
				den += 2 * alpha / (gamma[i] + 1)
			}
			if den > 0 {
				next[i] = w / den
			} else {
				next[i] = gamma[i] // never compared: stays where it is
			}
		}
		if alpha == 0 {
			normalise(next)
		} else {
			rescale(next)
		}
		var change float64
		for i := range n {
			change = max(change, math.Abs(next[i]-gamma[i])/gamma[i])
		}
		gamma, next = next, gamma
		if change < tol {
			break
		}
	}
	theta := make([]float64, n)
	for i, g := range gamma {
		theta[i] = math.Log(g)
	}
	centre(theta)
	return theta
}

// rescale multiplies regularised worths by the factor e^s that maximises the
// objective along the common scale, which only the virtual-opponent terms depend
// on: Σ_i σ(θ_i + s) = n/2, solved by Newton's method (the objective is concave
// in s). The data pin the differences of the θ firmly and the prior pins their
// level only weakly, so plain MM crawls along this direction; the exact scale
// step keeps the iteration monotone and makes it converge in tens of steps
// instead of thousands.
func rescale(g []float64) {
	var s float64
	for range 50 {
		var f, df float64
		for _, v := range g {
			p := sigmoid(math.Log(v) + s)
			f += p - 0.5
			df += p * (1 - p)
		}
		if df == 0 {
			return
		}
		step := f / df
		s -= step
		if math.Abs(step) < 1e-13 {
			break
		}
	}
	e := math.Exp(s)
	for i := range g {
		g[i] *= e
	}
}

// normalise scales worths to sum to their count; the unregularised likelihood
// does not depend on the scale.
func normalise(g []float64) {
	var s float64
	for _, v := range g {
		s += v
	}
	f := float64(len(g)) / s
	for i := range g {
		g[i] *= f
	}
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
// maximum likelihood and returns ErrNoMLE when it does not exist. Iterations stop
// at a relative change below 1e-10 or after 10,000 iterations. n = 0 gives an
// empty result; n = 1 gives θ = [0].
func PlackettLuceTop1(n int, picks []Pick, alpha float64) (theta []float64, err error) {
	if n < 0 || alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("stats: invalid n %d or alpha %v", n, alpha)
	}
	for _, p := range picks {
		if err := checkPick(n, p); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return []float64{}, nil
	}
	if alpha == 0 {
		beats := make([][]int, n)
		for _, p := range picks {
			beats[p.Winner] = append(beats[p.Winner], p.Losers...)
		}
		if !stronglyConnected(n, beats) {
			return nil, ErrNoMLE
		}
	}
	return fitChoice(aggregatePicks(n, picks), alpha, nil, scoreTol), nil
}

// pairData aggregates a win matrix (m[w*n+l] = times w beat l) into one choice
// set per compared pair.
func pairData(n int, m []float64) *choiceData {
	d := newChoiceData(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			a, b := m[i*n+j], m[j*n+i]
			if a+b <= 0 {
				continue
			}
			d.wins[i] += a
			d.wins[j] += b
			d.addSet([]int{i, j}, a+b)
		}
	}
	return d
}

// fitPairMatrix fits the Bradley–Terry model to a win matrix.
func fitPairMatrix(n int, m []float64, alpha float64, start []float64, tol float64) ([]float64, error) {
	if n == 0 {
		return []float64{}, nil
	}
	if alpha == 0 {
		beats := make([][]int, n)
		for i := range n {
			for j := range n {
				if i != j && m[i*n+j] > 0 {
					beats[i] = append(beats[i], j)
				}
			}
		}
		if !stronglyConnected(n, beats) {
			return nil, ErrNoMLE
		}
	}
	return fitChoice(pairData(n, m), alpha, start, tol), nil
}

// pairMatrix turns pair tallies into a win matrix over ids; pairs naming an
// unknown id, a self-pair or a count <= 0 are left out.
func pairMatrix(ids []string, pairs map[[2]string]int64) []float64 {
	n := len(ids)
	index := make(map[string]int, n)
	for i, id := range ids {
		index[id] = i
	}
	m := make([]float64, n*n)
	for k, c := range pairs {
		w, ok1 := index[k[0]]
		l, ok2 := index[k[1]]
		if ok1 && ok2 && w != l && c > 0 {
			m[w*n+l] += float64(c)
		}
	}
	return m
}

// BradleyTerryFromPairs fits the Bradley–Terry model, P(w beats l) = σ(θ_w − θ_l),
// to pair counts: pairs[[2]string{w, l}] is how often w was picked over l. It is
// the same MM fit as PlackettLuceTop1 with each pair a Pick with one loser, done
// on the aggregated win matrix; θ is in the order of ids, centred to mean 0.
//
// The tallies keep pair counts (q:<qid>:p:<win>:<lose>), not whole triads, and a
// triad pick "w over {l1, l2}" is counted as the two pairs w > l1 and w > l2. The
// product of those pair likelihoods is a composite (pairwise) likelihood, not the
// top-1 likelihood of the triad, which does not factorise into pairs. It is
// consistent: under the top-1 (Luce) model every pair comparison implied by a pick
// follows the Bradley–Terry model with the same worths (Luce's independence of
// irrelevant alternatives), so the composite estimate converges to the same θ;
// only its standard errors are too optimistic, because the two pairs of a pick are
// not independent. The bootstrap bands in results.Compute resample the pair counts and so
// share that optimism mildly; they are meant as a guide, not a test.
func BradleyTerryFromPairs(ids []string, pairs map[[2]string]int64, alpha float64) (theta []float64, err error) {
	if alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("stats: invalid alpha %v", alpha)
	}
	return fitPairMatrix(len(ids), pairMatrix(ids, pairs), alpha, nil, scoreTol)
}

// PairScores fits the Bradley–Terry model to pair counts like BradleyTerryFromPairs
// and adds a bootstrap band for the ChanceToWin of each option: reps Poisson
// resamples of the win matrix from a PCG generator seeded with seed, so the same
// counts always give the same bands; lo and hi are the 5th and 95th percentiles,
// in the order of ids like θ.
func PairScores(ids []string, pairs map[[2]string]int64, alpha float64, reps int, seed uint64) (theta, lo, hi []float64, err error) {
	if alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, nil, nil, fmt.Errorf("stats: invalid alpha %v", alpha)
	}
	n := len(ids)
	m := pairMatrix(ids, pairs)
	theta, err = fitPairMatrix(n, m, alpha, nil, scoreTol)
	if err != nil {
		return nil, nil, nil, err
	}
	lo, hi = pairScoreBands(n, m, alpha, theta, reps, seed)
	return theta, lo, hi, nil
}

// sigmoid is the logistic function 1/(1+e^-x).
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// ChanceToWin is, for each option, the mean over all other options j of
// σ(θ_i − θ_j): the chance it is picked over an option drawn at random, the score
// All Our Ideas reports (0..1). A single option gets 0.5.
func ChanceToWin(theta []float64) []float64 {
	n := len(theta)
	out := make([]float64, n)
	for i := range theta {
		if n == 1 {
			out[i] = 0.5
			continue
		}
		var s float64
		for j := range theta {
			if j != i {
				s += sigmoid(theta[i] - theta[j])
			}
		}
		out[i] = s / float64(n-1)
	}
	return out
}

// bandLevel is the coverage of the score bands: the 5th to the 95th percentile.
const bandLevel = 0.90

// ScoreBands is a 90% percentile bootstrap band for ChanceToWin: picks are
// resampled with replacement reps times (reps <= 0 means 200), each resample is
// fitted with PlackettLuceTop1 and lo, hi are the 5th and 95th percentiles of each
// option's score. The draws come from a PCG generator seeded with seed, so the bands
// are deterministic. With alpha = 0 a resample without an estimate is skipped; an
// error is returned when more than half are.
func ScoreBands(n int, picks []Pick, alpha float64, reps int, seed uint64) (lo, hi []float64, err error) {
	theta, err := PlackettLuceTop1(n, picks, alpha)
	if err != nil {
		return nil, nil, err
	}
	if reps <= 0 {
		reps = 200
	}
	rng := rand.New(rand.NewPCG(seed, bandStream))
	samples := make([][]float64, n)
	res := make([]Pick, len(picks))
	for range reps {
		for k := range res {
			res[k] = picks[rng.IntN(len(picks))]
		}
		if alpha == 0 && !picksConnected(n, res) {
			continue
		}
		th := fitChoice(aggregatePicks(n, res), alpha, theta, bandTol)
		for i, s := range ChanceToWin(th) {
			samples[i] = append(samples[i], s)
		}
	}
	if n > 0 && 2*len(samples[0]) < reps {
		return nil, nil, fmt.Errorf("stats: score bands: %d of %d resamples without estimate: %w", reps-len(samples[0]), reps, ErrNoMLE)
	}
	lo, hi = percentileBands(n, samples)
	return lo, hi, nil
}

// bandStream is the PCG stream for bootstrap bands.
const bandStream = 0x62616e64733a3031 // "bands:01"

func picksConnected(n int, picks []Pick) bool {
	beats := make([][]int, n)
	for _, p := range picks {
		beats[p.Winner] = append(beats[p.Winner], p.Losers...)
	}
	return stronglyConnected(n, beats)
}

// percentileBands returns the lower and upper percentiles of each sample for
// bandLevel; an option without samples gets 0, 0.
func percentileBands(n int, samples [][]float64) (lo, hi []float64) {
	lo, hi = make([]float64, n), make([]float64, n)
	for i, s := range samples {
		if len(s) == 0 {
			continue
		}
		sort.Float64s(s)
		lo[i] = quantile(s, (1-bandLevel)/2)
		hi[i] = quantile(s, (1+bandLevel)/2)
	}
	return lo, hi
}

// quantile of sorted s by linear interpolation (R's type 7).
func quantile(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	i := int(math.Floor(h))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// pairScoreBands is a bootstrap band for the Bradley–Terry ChanceToWin of a win
// matrix. It is the Poisson bootstrap (Hanley & MacGibbon 2006): each cell count c
// is redrawn as Poisson(c), which for many comparisons is equivalent to resampling
// the comparisons with replacement and costs per cell rather than per comparison.
func pairScoreBands(n int, m []float64, alpha float64, theta []float64, reps int, seed uint64) (lo, hi []float64) {
	rng := rand.New(rand.NewPCG(seed, bandStream))
	samples := make([][]float64, n)
	rm := make([]float64, len(m))
	for range reps {
		for k, c := range m {
			rm[k] = 0
			if c > 0 {
				rm[k] = poisson(rng, c)
			}
		}
		th, err := fitPairMatrix(n, rm, alpha, theta, bandTol)
		if err != nil {
			continue
		}
		for i, s := range ChanceToWin(th) {
			samples[i] = append(samples[i], s)
		}
	}
	return percentileBands(n, samples)
}

// poisson draws from Poisson(lambda): by multiplying uniforms below 30, by the
// rounded normal approximation above.
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda >= 30 {
		return max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

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
// than random triads (see TestAdaptiveTriadsSimulation).
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

// PairTallies reads the pair counters "p:<win>:<lose>" from one question's tallies.
func PairTallies(counts map[string]int64) map[[2]string]int64 {
	pairs := map[[2]string]int64{}
	for k, v := range counts {
		rest, ok := strings.CutPrefix(k, "p:")
		if !ok {
			continue
		}
		w, l, ok := strings.Cut(rest, ":")
		if ok && !strings.Contains(l, ":") {
			pairs[[2]string{w, l}] += v
		}
	}
	return pairs
}
