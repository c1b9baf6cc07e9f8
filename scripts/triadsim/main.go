// Command triadsim measures what adaptive triads save over uniform balanced triads
// in a wie-van-de-drie question, on the production path: each simulated resident draws
// their triads one at a time with surveys.AdaptiveNext or surveys.UniformNext from the
// round's counters (as surveys.TallyFields adds them) and picks by the top-1 (Luce)
// model; the ranking is fitted with stats.PlackettLuceTop1 and compared with the true
// worths by Kendall's τ.
//
// For each pool size, worth spread (θ ~ N(0, sd²)) and target τ it prints the median
// picks each design needs and the median and quartiles over seeds of the saving,
// 1 − adaptive/uniform, paired by seed (the same true worths for both). "Picks to
// reach τ" is the first checkpoint (every -step picks) from which τ stays at or
// above the target to the end of the round; a round ends at -max picks, or once every
// target has held for as many picks again as it took (at least -hold). A seed that
// does not reach a target by -max counts as -max and is listed as censored.
//
//	go run ./scripts/triadsim -seeds 64
//
// The full run takes a while (the adaptive draw fits the worths at every triad); the
// test of this package runs a small version.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

func main() {
	seeds := flag.Int("seeds", 64, "seeds (simulated rounds) per cell")
	first := flag.Uint64("first", 1, "first seed")
	options := flag.String("options", "12,30", "pool sizes, comma-separated")
	spreads := flag.String("sd", "0.5,1,1.5", "standard deviations of the true log-worths, comma-separated")
	targets := flag.String("tau", "0.85,0.90", "target Kendall τ, comma-separated")
	triads := flag.Int("triads", 10, "triads per resident")
	step := flag.Int("step", 50, "picks between fits")
	hold := flag.Int("hold", 500, "picks a reached τ must hold at least")
	maxPicks := flag.Int("max", 30000, "picks at most per round")
	workers := flag.Int("workers", runtime.NumCPU(), "rounds simulated at once")
	flag.Parse()
	r := run{step: *step, hold: *hold, maxPicks: *maxPicks}
	var err error
	if r.targets, err = floats(*targets); err != nil {
		fail(err)
	}
	sds, err := floats(*spreads)
	if err != nil {
		fail(err)
	}
	ns, err := floats(*options)
	if err != nil {
		fail(err)
	}
	var cells []setup
	for _, n := range ns {
		for _, sd := range sds {
			cells = append(cells, setup{options: int(n), sd: sd, triads: *triads})
		}
	}
	fmt.Printf("# triadsim -seeds %d -first %d -triads %d -step %d -hold %d -max %d; %d cores\n",
		*seeds, *first, *triads, *step, *hold, *maxPicks, runtime.NumCPU())
	start := time.Now()
	res := simulate(cells, r, *first, *seeds, *workers, os.Stderr)
	table(os.Stdout, cells, r, res)
	fmt.Printf("# %s\n", time.Since(start).Round(time.Second))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "triadsim:", err)
	os.Exit(2)
}

func floats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("read %q: %w", s, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// outcome is one seed of one cell: picks to each target per design.
type outcome struct {
	uni, ada     []int
	uniOK, adaOK []bool
}

// simulate runs every seed of every cell with both designs, workers at a time.
// Seeds done (of the last cell) go to progress, when it is not nil.
func simulate(cells []setup, r run, first uint64, seeds, workers int, progress io.Writer) [][]outcome {
	res := make([][]outcome, len(cells))
	type job struct{ cell, seed int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				seed := first + uint64(j.seed)
				var o outcome
				o.uni, o.uniOK = picksToTau(cells[j.cell], r, seed, surveys.UniformNext)
				o.ada, o.adaOK = picksToTau(cells[j.cell], r, seed, surveys.AdaptiveNext)
				res[j.cell][j.seed] = o
				if j.cell == len(cells)-1 && progress != nil {
					fmt.Fprintf(progress, "# seed %d of %d\n", j.seed+1, seeds)
				}
			}
		}()
	}
	for c := range cells {
		res[c] = make([]outcome, seeds)
	}
	for s := range seeds { // seeds outermost, so a slow cell does not finish alone
		for c := range cells {
			jobs <- job{c, s}
		}
	}
	close(jobs)
	wg.Wait()
	return res
}

// summary is one row of the table.
type summary struct {
	uni, ada    float64 // median picks
	q1, med, q3 float64 // saving, 1 − ada/uni per seed
	positive    int     // seeds with a saving > 0
	censored    int     // seed-designs that did not reach the target
}

func summarise(os []outcome, ti int) summary {
	var uni, ada, sav []float64
	var s summary
	for _, o := range os {
		uni = append(uni, float64(o.uni[ti]))
		ada = append(ada, float64(o.ada[ti]))
		sv := 1 - float64(o.ada[ti])/float64(o.uni[ti])
		sav = append(sav, sv)
		if sv > 0 {
			s.positive++
		}
		if !o.uniOK[ti] {
			s.censored++
		}
		if !o.adaOK[ti] {
			s.censored++
		}
	}
	s.uni, s.ada = quantile(uni, 0.5), quantile(ada, 0.5)
	s.q1, s.med, s.q3 = quantile(sav, 0.25), quantile(sav, 0.5), quantile(sav, 0.75)
	return s
}

// quantile is the p-quantile of v by linear interpolation (type 7).
func quantile(v []float64, p float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s) == 0 {
		return 0
	}
	h := p * float64(len(s)-1)
	i := int(h)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

func table(w io.Writer, cells []setup, r run, res [][]outcome) {
	fmt.Fprintf(w, "%7s %4s %5s %8s %8s %8s %8s %8s %7s %5s\n",
		"options", "sd", "tau", "uniform", "adaptive", "saving", "q1", "q3", "ada won", "cens")
	for c, cell := range cells {
		for ti, tg := range r.targets {
			s := summarise(res[c], ti)
			fmt.Fprintf(w, "%7d %4.1f %5.2f %8.0f %8.0f %7.0f%% %7.0f%% %7.0f%% %3d/%-3d %5d\n",
				cell.options, cell.sd, tg, s.uni, s.ada, 100*s.med, 100*s.q1, 100*s.q3, s.positive, len(res[c]), s.censored)
		}
	}
}
