package stats

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Fitting "wie van de drie" by Newton's method.
//
// The top-1 Plackett–Luce log-likelihood of aggregated choices (wins w_i per
// option, each distinct choice set S answered c_S times) is
//
//	ℓ(θ) = Σ_i w_i θ_i − Σ_S c_S log Σ_{j∈S} e^θ_j
//
// with gradient g_i = w_i − Σ_{S∋i} c_S p_{i|S} and information (minus the
// Hessian) I = Σ_S c_S (diag p_S − p_S p_Sᵀ), p_{i|S} = e^θ_i / Σ_{j∈S} e^θ_j.
// ℓ is concave, so Newton's method with a step halved until ℓ does not fall
// reaches its maximum from any start, and near the maximum doubles the correct
// digits with every step. The MM algorithm it replaces (Hunter 2004) needed
// 67,774 iterations on 20,000 triads where one option lost only once, and
// stopped at its cap of 10,000 short of the maximum without saying so.
//
// The regulariser alpha adds to ℓ, per option, alpha pseudo-wins and alpha
// pseudo-losses against a virtual opponent of worth 1 (θ = 0):
// alpha·θ_i − 2·alpha·log(1 + e^θ_i). It is a weak prior that keeps the fit
// finite and unique whatever the data. With alpha = 0, ℓ does not change when
// every θ_i moves by the same amount; the fit is then centred and the
// covariance is that of the centred θ (the pseudo-inverse of I).

// Fit is a fitted choice model.
type Fit struct {
	// Theta are the log-worths, centred to mean 0.
	Theta []float64
	// Cov is the covariance of Theta: the inverse of the observed (penalised)
	// information at Theta, in the metric of centred θ. Under the model it
	// treats the picks as independent; see Choices for when the tallies hold
	// only pair counts.
	Cov [][]float64
	// Converged is set when the largest |∂ℓ/∂θ_i| fell below GradientTol;
	// Gradient is that largest value at Theta, Iterations the Newton steps taken.
	Converged  bool
	Gradient   float64
	Iterations int
}

// GradientTol is the convergence criterion of the fit: every component of the
// gradient of the log-likelihood (in picks) below it.
const GradientTol = 1e-8

// newtonMaxIter bounds the Newton steps. A concave likelihood of this kind
// converges in tens of steps; the bound only stops a fit that cannot (the
// maximum lies at infinity), which is then reported as not converged.
const newtonMaxIter = 200

// Choices are aggregated top-1 choices among N options: how often each option
// was picked, how often each distinct set of options was answered, and which
// option beat which (for the connectivity of the comparison graph).
type Choices struct {
	N    int
	Wins []float64
	// sets are the members of each distinct choice set, counts how often each
	// was answered.
	sets   [][]int
	counts []float64
	// beat[i] lists the options i was picked over at least once.
	beat [][]int
	// Pairwise is set when the choices came from pair counters only (tallies
	// recorded before the triads were counted as sets): each pick of a triad
	// is then two pairs, and Fit inflates the covariance (see FitPairs).
	Pairwise bool
}

// ChoicesFromPicks aggregates picks among n options.
func ChoicesFromPicks(n int, picks []Pick) (*Choices, error) {
	if n < 0 {
		return nil, fmt.Errorf("stats: invalid n %d", n)
	}
	c := &Choices{N: n, Wins: make([]float64, n), beat: make([][]int, n)}
	index := map[string]int{}
	var key []byte
	set := make([]int, 0, 4)
	edges := map[[2]int]bool{}
	for _, p := range picks {
		if err := checkPick(n, p); err != nil {
			return nil, err
		}
		c.Wins[p.Winner]++
		set = append(set[:0], p.Winner)
		set = append(set, p.Losers...)
		slices.Sort(set)
		key = key[:0]
		for _, m := range set {
			key = strconv.AppendInt(key, int64(m), 10)
			key = append(key, ',')
		}
		if k, ok := index[string(key)]; ok {
			c.counts[k]++
		} else {
			index[string(key)] = len(c.counts)
			c.sets = append(c.sets, slices.Clone(set))
			c.counts = append(c.counts, 1)
		}
		for _, l := range p.Losers {
			if e := [2]int{p.Winner, l}; !edges[e] {
				edges[e] = true
				c.beat[p.Winner] = append(c.beat[p.Winner], l)
			}
		}
	}
	return c, nil
}

// ChoicesFromTallies reads one wie-van-de-drie question's counters (the
// "q:<qid>:" prefix cut off, see surveys.TallyFields) for the options ids:
// "w:<id>" picks, "t:<a>:<b>:<c>" answered sets (members sorted) and
// "p:<win>:<lose>" pairs. Counters naming an option not in ids, or not
// positive, are left out, and so is a set with such an option in it. A round
// recorded (in part) before the sets were counted, whose sets do not add up to
// its picks, is read from its pairs alone (Pairwise).
func ChoicesFromTallies(ids []string, counts map[string]int64) *Choices {
	return fromTallies(ids, counts, false)
}

// PairChoices reads only the pair counters "p:<win>:<lose>" of one question
// (as ChoicesFromTallies does), each pair a comparison of its own: the
// Bradley–Terry data that BradleyTerryFromPairs and the adaptive draw fit.
func PairChoices(ids []string, counts map[string]int64) *Choices {
	return fromTallies(ids, counts, true)
}

func fromTallies(ids []string, counts map[string]int64, pairsOnly bool) *Choices {
	n := len(ids)
	index := make(map[string]int, n)
	for i, id := range ids {
		index[id] = i
	}
	c := &Choices{N: n, Wins: make([]float64, n), beat: make([][]int, n)}
	pairs := map[[2]int]float64{}
	sets := map[uint64]float64{}
	for k, v := range counts {
		if v <= 0 || len(k) < 2 || k[1] != ':' {
			continue
		}
		switch rest := k[2:]; k[0] {
		case 'w':
			if i, ok := index[rest]; ok {
				c.Wins[i] += float64(v)
			}
		case 't':
			if key, ok := setKey(rest, index); ok && !pairsOnly {
				sets[key] += float64(v)
			}
		case 'p':
			w, l, ok := strings.Cut(rest, ":")
			i, ok1 := index[w]
			j, ok2 := index[l]
			if ok && ok1 && ok2 && i != j {
				pairs[[2]int{i, j}] += float64(v)
			}
		}
	}
	for e := range pairs {
		c.beat[e[0]] = append(c.beat[e[0]], e[1])
	}
	for i := range c.beat {
		slices.Sort(c.beat[i])
	}
	// The sets in the order of their keys, so that the same tallies give the
	// same floating-point sums whatever order the map gave them in.
	keys := slices.Sorted(maps.Keys(sets))
	for _, key := range keys {
		c.sets = append(c.sets, unpackSet(key))
		c.counts = append(c.counts, sets[key])
	}
	// Every pick adds one win and one set. Fewer sets than wins means picks
	// recorded before the sets were counted (a round open during the
	// upgrade): the sets then do not hold all the data, the pairs do.
	var wins, answered float64
	for _, w := range c.Wins {
		wins += w
	}
	for _, v := range c.counts {
		answered += v
	}
	if answered != wins && len(pairs) > 0 {
		c.sets, c.counts = nil, nil
	}
	if len(c.sets) == 0 && len(pairs) > 0 {
		c.Pairwise = !pairsOnly
		clear(c.Wins)
		for i := range n {
			for j := i + 1; j < n; j++ {
				a, b := pairs[[2]int{i, j}], pairs[[2]int{j, i}]
				if a+b > 0 {
					c.Wins[i] += a
					c.Wins[j] += b
					c.sets = append(c.sets, []int{i, j})
					c.counts = append(c.counts, a+b)
				}
			}
		}
	}
	return c
}

// setKey packs the members of a set "a:b:c" (two or three option ids) into
// one number: the count of members in the top bits, then each index, sorted,
// in 20 bits. False for an unknown or repeated id, or another size.
func setKey(s string, index map[string]int) (uint64, bool) {
	var m [3]int
	k := 0
	for s != "" {
		id, rest, _ := strings.Cut(s, ":")
		i, ok := index[id]
		if !ok || k == 3 || i >= 1<<20 {
			return 0, false
		}
		m[k] = i
		k++
		s = rest
	}
	if k < 2 {
		return 0, false
	}
	slices.Sort(m[:k])
	key := uint64(k) << 60
	for a := range k {
		if a > 0 && m[a] == m[a-1] {
			return 0, false
		}
		key |= uint64(m[a]) << (40 - 20*a)
	}
	return key, true
}

func unpackSet(key uint64) []int {
	k := int(key >> 60)
	out := make([]int, k)
	for a := range k {
		out[a] = int(key>>(40-20*a)) & (1<<20 - 1)
	}
	return out
}

// Picks is the number of answered choices: the sum of the set counts.
func (c *Choices) Picks() float64 {
	var s float64
	for _, v := range c.counts {
		s += v
	}
	return s
}

// Connected reports whether every option can be reached from every other along
// edges winner → loser: the condition for the unregularised maximum likelihood
// estimate to exist (Hunter 2004, assumption 1).
func (c *Choices) Connected() bool { return stronglyConnected(c.N, c.beat) }

// Separated marks the options whose worth the data cannot pin, even though they
// were compared: those outside the largest strongly connected part of the
// comparison graph among the options in shown (an option that always won, or
// always lost, against the rest, or a group of them). Their maximum likelihood
// worth lies at infinity, so only the regulariser gives them a number. Options
// not in shown are not marked. With several largest parts, the one with the
// most wins is the main one; when the largest part is a single option, every
// option is marked.
func (c *Choices) Separated(shown []bool) []bool {
	comp := components(c.N, c.beat)
	size := map[int]int{}
	wins := map[int]float64{}
	for i, k := range comp {
		if shown[i] {
			size[k]++
			wins[k] += c.Wins[i]
		}
	}
	main, best := -1, -1
	for k, s := range size {
		if s > best || s == best && (wins[k] > wins[main] || wins[k] == wins[main] && k < main) {
			main, best = k, s
		}
	}
	out := make([]bool, c.N)
	for i, k := range comp {
		// A main part of one option among several compared is no part: every
		// option then won or lost all its comparisons with the others.
		out[i] = shown[i] && (k != main || best == 1 && len(size) > 1)
	}
	return out
}

// components labels the strongly connected components of the graph (Tarjan).
func components(n int, adj [][]int) []int {
	index, low := make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	comp := make([]int, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, label := 0, 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range adj[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = label
				if w == v {
					break
				}
			}
			label++
		}
	}
	for v := range n {
		if index[v] < 0 {
			visit(v)
		}
	}
	return comp
}

// Fit maximises the (regularised, alpha >= 0) log-likelihood by Newton's
// method from θ = 0 and returns the fit with its covariance. With alpha = 0 it
// returns ErrNoMLE when the comparison graph is not strongly connected. A fit
// that does not reach GradientTol within its step bound is returned with
// Converged false, not as an error: the caller says so to its readers.
//
// For Pairwise choices the likelihood is a composite one (each pick of a triad
// counted as two pair comparisons, which are not independent): the estimate is
// still consistent, but its information is too high, and the covariance is
// doubled, as if each pick had taught one pair comparison, not two.
func (c *Choices) Fit(alpha float64) (Fit, error) { return c.fit(alpha, true) }

// Estimate is Fit without the covariance (Cov nil): the worths alone, for a
// caller that only steers by them (the adaptive draw), which saves the
// inversion, O(n³) for n options.
func (c *Choices) Estimate(alpha float64) (Fit, error) { return c.fit(alpha, false) }

func (c *Choices) fit(alpha float64, withCov bool) (Fit, error) {
	if alpha < 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return Fit{}, fmt.Errorf("stats: invalid alpha %v", alpha)
	}
	n := c.N
	if n == 0 {
		return Fit{Theta: []float64{}, Cov: [][]float64{}, Converged: true}, nil
	}
	if alpha == 0 && !c.Connected() {
		return Fit{}, ErrNoMLE
	}
	theta := make([]float64, n)
	f := Fit{Theta: theta}
	ev := newEvaluator(c, alpha)
	ll := ev.eval(theta, true)
	trial := make([]float64, n)
	current := true // ev holds the derivatives at theta
	for f.Iterations = 0; ; f.Iterations++ {
		f.Gradient = maxAbs(ev.grad)
		if f.Gradient < GradientTol {
			f.Converged = true
			break
		}
		if f.Iterations == newtonMaxIter {
			break
		}
		step, err := ev.solve(ev.grad)
		if err != nil {
			break // information singular: a part of the options is not compared at all
		}
		// Halve the step until ℓ does not fall; each trial is evaluated with
		// its derivatives, which the next step needs when it is taken.
		t, moved := 1.0, false
		for range 60 {
			for i := range theta {
				trial[i] = theta[i] + t*step[i]
			}
			v := ev.eval(trial, true)
			current = false
			if v >= ll || math.Abs(v-ll) <= 1e-12*math.Abs(ll) {
				moved, current, ll = true, true, v
				break
			}
			t /= 2
		}
		if !moved {
			break // no step improves ℓ: the gradient is at rounding level
		}
		copy(theta, trial)
	}
	// The regularised fit is not centred at its maximum; centring moves every θ
	// by the same amount, which no figure here depends on.
	f.Theta = slices.Clone(theta)
	centre(f.Theta)
	if !withCov {
		return f, nil
	}
	if !current {
		ev.eval(theta, true)
	}
	cov, err := ev.inverse()
	if err != nil {
		return Fit{}, fmt.Errorf("stats: covariance: %w", err)
	}
	if c.Pairwise {
		for i := range cov {
			for j := range cov[i] {
				cov[i][j] *= 2
			}
		}
	}
	f.Cov = centredCov(cov)
	return f, nil
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = max(m, math.Abs(x))
	}
	return m
}

// evaluator computes the log-likelihood, its gradient and the information.
type evaluator struct {
	c     *Choices
	alpha float64
	grad  []float64
	info  []float64 // n×n, row-major
	exp   []float64
}

func newEvaluator(c *Choices, alpha float64) *evaluator {
	n := c.N
	return &evaluator{c: c, alpha: alpha, grad: make([]float64, n), info: make([]float64, n*n), exp: make([]float64, n)}
}

// eval returns ℓ(θ); with derivatives it also fills grad and info. The worths
// are taken relative to the largest θ, so that e^θ cannot overflow.
func (e *evaluator) eval(theta []float64, derivatives bool) float64 {
	c, n := e.c, e.c.N
	top := slices.Max(theta)
	for i, t := range theta {
		e.exp[i] = math.Exp(t - top)
	}
	var ll float64
	if derivatives {
		copy(e.grad, c.Wins)
		clear(e.info)
	}
	for i, w := range c.Wins {
		ll += w * theta[i]
	}
	var p [8]float64
	for k, set := range c.sets {
		cnt := c.counts[k]
		var s float64
		for _, i := range set {
			s += e.exp[i]
		}
		ll -= cnt * (math.Log(s) + top)
		if !derivatives {
			continue
		}
		ps := p[:0]
		if len(set) > len(p) {
			ps = make([]float64, 0, len(set))
		}
		for _, i := range set {
			ps = append(ps, e.exp[i]/s)
		}
		for a, i := range set {
			e.grad[i] -= cnt * ps[a]
			row := e.info[i*n:]
			row[i] += cnt * ps[a]
			for b, j := range set {
				row[j] -= cnt * ps[a] * ps[b]
			}
		}
	}
	if e.alpha > 0 {
		for i, t := range theta {
			// log(1+e^t) without overflow for large t.
			ll += e.alpha*t - 2*e.alpha*softplus(t)
			if derivatives {
				s := sigmoid(t)
				e.grad[i] += e.alpha - 2*e.alpha*s
				e.info[i*n+i] += 2 * e.alpha * s * (1 - s)
			}
		}
	}
	return ll
}

func softplus(t float64) float64 {
	if t > 30 {
		return t + math.Log1p(math.Exp(-t))
	}
	return math.Log1p(math.Exp(t))
}

// regularised is the information as a positive definite matrix: with alpha = 0
// the information has the direction of a common shift as its null space, and
// adding uuᵀ (u = 1/√n·1) makes it invertible without changing the solution
// for a right-hand side orthogonal to u (a gradient always is), nor the
// pseudo-inverse once uuᵀ is taken off again.
func (e *evaluator) regularised() []float64 {
	n := e.c.N
	m := slices.Clone(e.info)
	if e.alpha == 0 {
		for i := range m {
			m[i] += 1 / float64(n)
		}
	}
	return m
}

// solve returns I⁻¹·g by Cholesky.
func (e *evaluator) solve(g []float64) ([]float64, error) {
	l, err := cholesky(e.regularised(), e.c.N)
	if err != nil {
		return nil, err
	}
	return cholSolve(l, e.c.N, g), nil
}

// inverse returns the inverse of the information (the pseudo-inverse with
// alpha = 0).
func (e *evaluator) inverse() ([][]float64, error) {
	n := e.c.N
	l, err := cholesky(e.regularised(), n)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, n)
	unit := make([]float64, n)
	for j := range n {
		clear(unit)
		unit[j] = 1
		col := cholSolve(l, n, unit)
		for i := range n {
			if out[i] == nil {
				out[i] = make([]float64, n)
			}
			out[i][j] = col[i]
			if e.alpha == 0 {
				out[i][j] -= 1 / float64(n)
			}
		}
	}
	return out, nil
}

// errSingular is returned by cholesky for a matrix that is not positive
// definite.
var errSingular = errors.New("information matrix not positive definite (options never compared)")

// cholesky returns the lower triangular L with L·Lᵀ = m (n×n, row-major).
func cholesky(m []float64, n int) ([]float64, error) {
	l := make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			s := m[i*n+j]
			for k := range j {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if s <= 1e-14*math.Abs(m[i*n+i]) || s <= 0 {
					return nil, errSingular
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	return l, nil
}

// cholSolve solves L·Lᵀ·x = b.
func cholSolve(l []float64, n int, b []float64) []float64 {
	y := make([]float64, n)
	for i := range n {
		s := b[i]
		for k := range i {
			s -= l[i*n+k] * y[k]
		}
		y[i] = s / l[i*n+i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	return x
}

// centredCov is the covariance of θ − mean(θ): C·P with P = I − 11ᵀ/n on both
// sides. For the unregularised fit the pseudo-inverse already is centred.
func centredCov(cov [][]float64) [][]float64 {
	n := len(cov)
	rowMean := make([]float64, n)
	var all float64
	for i := range cov {
		for _, v := range cov[i] {
			rowMean[i] += v
		}
		all += rowMean[i]
		rowMean[i] /= float64(n)
	}
	all /= float64(n * n)
	out := make([][]float64, n)
	for i := range cov {
		out[i] = make([]float64, n)
		for j := range cov[i] {
			// cov is symmetric, so the column mean of j is rowMean[j].
			out[i][j] = cov[i][j] - rowMean[i] - rowMean[j] + all
		}
	}
	return out
}
