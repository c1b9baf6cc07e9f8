package rounds_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// updateEquivalence rewrites the golden results. They were written once by the
// version that computed weighted figures from every respondent's answers (before
// issue 10); the results computed from tallies alone must keep matching them.
// The figures of issue 14 (effective n per question, the weighted intervals,
// the R-indicator) were added to them later, every earlier value kept as it was.
var updateEquivalence = flag.Bool("update-equivalence", false, "rewrite testdata/equivalence/*.json")

// equivalenceCase is one generated round: a survey from examples/, a number of
// respondents with a mix of profiles (unknown kern or leeftijd, a kern outside the
// population, small groups that weighting merges), answers changed now and then,
// and a threshold.
type equivalenceCase struct {
	name        string
	survey      string
	respondents int
	threshold   int
	seed        uint64
	// ages gives the population a leeftijd margin (two-dimensional raking).
	ages bool
}

var equivalenceCases = []equivalenceCase{
	{name: "burgerpeiling-10k", survey: "burgerpeiling.yaml", respondents: 10000, threshold: 10, seed: 1, ages: true},
	{name: "burgerpeiling-1k-kern", survey: "burgerpeiling.yaml", respondents: 1000, threshold: 10, seed: 2},
	{name: "burgerpeiling-60", survey: "burgerpeiling.yaml", respondents: 60, threshold: 10, seed: 3, ages: true},
	{name: "goed-goan-500", survey: "goed-goan-wie-van-de-drie.yaml", respondents: 500, threshold: 10, seed: 4, ages: true},
	{name: "impor-300", survey: "impor-beeldvorming.yaml", respondents: 300, threshold: 5, seed: 5, ages: true},
	{name: "impor-8", survey: "impor-beeldvorming.yaml", respondents: 8, threshold: 10, seed: 6},
}

// TestResultsEquivalence records generated rounds through the storage code the
// engine uses and compares every figure of the results JSON (the CLI's
// `results --format json`) with the golden files: exact for counts and texts,
// within 1e-9 for computed fractions (raking over weighting classes adds the
// same weights in another order).
func TestResultsEquivalence(t *testing.T) {
	if testing.Short() {
		t.Skip("generates rounds of up to 10,000 respondents")
	}
	srv := redistest.Start(t)
	st := storage.New(srv.Client(t))
	ctx := context.Background()
	pop, err := surveys.LoadPopulation("../examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range equivalenceCases {
		t.Run(c.name, func(t *testing.T) {
			sv, err := surveys.LoadFile(filepath.Join("../examples", c.survey))
			if err != nil {
				t.Fatal(err)
			}
			p := *pop
			if c.ages {
				p.Leeftijd = map[string]int{"16-24": 2900, "25-44": 6400, "45-64": 8100, "65+": 6900}
			}
			r := generateRound(t, ctx, st, sv, c)
			res, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: c.threshold, Population: &p})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := results.WriteJSON(&got, res); err != nil {
				t.Fatal(err)
			}
			if !*updateEquivalence {
				// A round recorded before the joint counters existed is weighed
				// from its answers, to the same figures.
				legacy := withoutJointTallies(t, ctx, st, r.ID)
				lres, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: c.threshold, Population: &p})
				if err != nil {
					t.Fatal(err)
				}
				restoreTallies(t, ctx, st, r.ID, legacy)
				var lgot bytes.Buffer
				if err := results.WriteJSON(&lgot, lres); err != nil {
					t.Fatal(err)
				}
				var a, b any
				if err := json.Unmarshal(got.Bytes(), &a); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(lgot.Bytes(), &b); err != nil {
					t.Fatal(err)
				}
				canonicalOpen(a)
				canonicalOpen(b)
				var diffs []string
				compareJSON("$", a, b, &diffs)
				if len(diffs) > 0 {
					t.Errorf("weighted from the answers (no joint counters) differs from the tallies:\n%s", strings.Join(diffs[:min(len(diffs), 30)], "\n"))
				}
			}
			path := filepath.Join("testdata", "equivalence", c.name+".json")
			if *updateEquivalence {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-equivalence to write it)", err)
			}
			var g, w any
			if err := json.Unmarshal(got.Bytes(), &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			canonicalOpen(g)
			canonicalOpen(w)
			var diffs []string
			compareJSON("$", w, g, &diffs)
			if len(diffs) > 0 {
				if len(diffs) > 30 {
					diffs = append(diffs[:30], fmt.Sprintf("… and %d more", len(diffs)-30))
				}
				t.Errorf("results differ from %s:\n%s", path, strings.Join(diffs, "\n"))
			}
			if !strings.Contains(got.String(), "weighted_percent") && c.respondents >= 300 {
				t.Errorf("no weighted figure in %s: the case does not test the weighting", c.name)
			}
		})
	}
}

// canonicalOpen puts the open answers of results JSON in sorted order, and a
// theme's answers as the sorted texts they point to: the open answers are read
// from a Redis hash, whose order is not the order given.
func canonicalOpen(v any) {
	doc, _ := v.(map[string]any)
	qs, _ := doc["questions"].([]any)
	for _, q := range qs {
		q, _ := q.(map[string]any)
		open, _ := q["open"].([]any)
		text := func(i any) any {
			if f, ok := i.(float64); ok && int(f) < len(open) {
				return open[int(f)]
			}
			return i
		}
		themes, _ := q["themes"].([]any)
		for _, th := range themes {
			th, _ := th.(map[string]any)
			answers, _ := th["answers"].([]any)
			for i := range answers {
				answers[i] = text(answers[i])
			}
			sortAny(answers)
		}
		sortAny(open)
	}
}

func sortAny(list []any) {
	sort.Slice(list, func(i, j int) bool { return fmt.Sprint(list[i]) < fmt.Sprint(list[j]) })
}

// withoutJointTallies makes the round look recorded by a version before the joint
// counters: its tallies become what Tallies reads without the kern × leeftijd cells,
// kept in full (as rounds before "tj" keep them). It returns the stored tallies
// for restoreTallies.
func withoutJointTallies(t *testing.T, ctx context.Context, st *storage.Store, rid string) map[string]string {
	t.Helper()
	rdb, key, meta := st.Client(), "pb:{r:"+rid+"}:t", "pb:{r:"+rid+"}:meta"
	stored := rdb.HGetAll(ctx, key).Val()
	tallies, err := st.Tallies(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	var args []any
	joint := 0
	for k, v := range tallies {
		if strings.Contains(k, ":j:") {
			joint++
			continue
		}
		args = append(args, k, v)
	}
	if joint == 0 {
		t.Fatal("no joint counters to delete")
	}
	pipe := rdb.TxPipeline()
	pipe.Del(ctx, key)
	pipe.HSet(ctx, key, args...)
	pipe.HDel(ctx, meta, "tj")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return stored
}

// restoreTallies puts back the tallies withoutJointTallies took.
func restoreTallies(t *testing.T, ctx context.Context, st *storage.Store, rid string, stored map[string]string) {
	t.Helper()
	rdb, key := st.Client(), "pb:{r:"+rid+"}:t"
	pipe := rdb.TxPipeline()
	pipe.Del(ctx, key)
	pipe.HSet(ctx, key, stored)
	pipe.HSet(ctx, "pb:{r:"+rid+"}:meta", "tj", "1")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

// compareJSON lists the differences between want and got: numbers within 1e-9
// (relative to their size), everything else exact.
func compareJSON(path string, want, got any, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: want object, got %T", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !wok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: unexpected %v", path, k, gv))
			case !gok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing (want %v)", path, k, wv))
			default:
				compareJSON(path+"."+k, wv, gv, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %d items, got %v", path, len(w), got))
			return
		}
		for i := range w {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9*max(1, math.Abs(w)) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w, got))
		}
	default:
		if want != got {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
}

// generateRound opens a round of sv and records c.respondents participants'
// answers with storage.RecordAnswer and the tally fields the engine gives it,
// then closes the round.
func generateRound(t *testing.T, ctx context.Context, st *storage.Store, sv *surveys.Survey, c equivalenceCase) *storage.Round {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, loc).Add(time.Duration(c.seed) * time.Hour)
	svc := rounds.New(rounds.Config{Location: loc}, st, surveys.NewCatalog([]*surveys.Survey{sv}), nil, nil)
	r, err := svc.Open(ctx, sv, start)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(c.seed, 42))
	// Kernen roughly as they answer (not as they live), one kern outside the
	// population table and unknowns.
	kernen := []string{"Dalfsen", "Dalfsen", "Dalfsen", "Nieuwleusen", "Nieuwleusen", "Lemelerveld",
		"Hoonhorst", "Oudleusen", "Ankum", "Zwolle", ""}
	ages := []string{"16-24", "25-44", "25-44", "45-64", "45-64", "65+", "65+", "65+", ""}
	texts := []string{"Meer groen in het centrum", "De bus rijdt te weinig", "Betere fietspaden naar school",
		"Meer bankjes voor ouderen", "Het groen onderhouden", "Een speeltuin in de wijk", "fietspaden verbreden"}
	for i := 0; i < c.respondents; i++ {
		pid := fmt.Sprintf("%s-%06d", c.name, i)
		prof := surveys.Profile{Kern: kernen[rng.IntN(len(kernen))], Leeftijd: ages[rng.IntN(len(ages))]}
		lean := rng.Float64() // how positive this resident is
		for _, q := range sv.Questions {
			answers := generateAnswers(rng, q, lean, texts)
			// Now and then an answer is changed: the first one is recorded, then replaced.
			if rng.IntN(20) == 0 {
				answers = append(generateAnswers(rng, q, 1-lean, texts), answers...)
			}
			for _, fa := range answers {
				w := storage.AnswerWrite{Round: r.ID, Participant: pid, Field: fa.field, Value: surveys.EncodeAnswer(q, fa.a),
					Kern: prof.Kern, Leeftijd: prof.Leeftijd}
				if _, err := st.RecordAnswer(ctx, w); err != nil {
					t.Fatal(err)
				}
			}
		}
		if rng.IntN(10) != 0 {
			if _, err := st.Complete(ctx, r.ID, pid); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := svc.Close(ctx, r.ID, start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := st.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

type fieldAnswer struct {
	field string
	a     surveys.Answer
}

// generateAnswers is one resident's answer to q (several fields for wie van de
// drie: one per triad).
func generateAnswers(rng *rand.Rand, q surveys.Question, lean float64, texts []string) []fieldAnswer {
	if q.Optional && rng.IntN(12) == 0 {
		return []fieldAnswer{{q.ID, surveys.Answer{Skipped: true}}}
	}
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	scale := func(n int) string { // leaning residents choose higher values
		v := int(math.Round(lean*float64(n-1)+rng.NormFloat64())) + 1
		return fmt.Sprint(min(max(v, 1), n))
	}
	switch q.Type {
	case surveys.Likert:
		if len(ids) > 5 && rng.IntN(15) == 0 {
			return []fieldAnswer{{q.ID, surveys.Answer{Options: []string{ids[len(ids)-1]}}}} // weet niet
		}
		return []fieldAnswer{{q.ID, surveys.Answer{Options: []string{scale(5)}}}}
	case surveys.Rating:
		return []fieldAnswer{{q.ID, surveys.Answer{Options: []string{scale(10)}}}}
	case surveys.Single:
		i := min(int(lean*float64(len(ids))+rng.Float64()*1.5), len(ids)-1)
		return []fieldAnswer{{q.ID, surveys.Answer{Options: []string{ids[i]}}}}
	case surveys.Multiple:
		n := 1 + rng.IntN(min(3, len(ids)))
		if rng.IntN(15) == 0 {
			n = 0 // "Klaar" with nothing ticked: answered, but no option
		}
		perm := rng.Perm(len(ids))[:n]
		sort.Ints(perm)
		var opts []string
		for _, i := range perm {
			opts = append(opts, ids[i])
		}
		return []fieldAnswer{{q.ID, surveys.Answer{Options: opts}}}
	case surveys.Open:
		return []fieldAnswer{{q.ID, surveys.Answer{Text: texts[rng.IntN(len(texts))]}}}
	case surveys.WieVanDeDrie:
		var out []fieldAnswer
		for i := range 4 {
			perm := rng.Perm(len(ids))[:3]
			sort.Ints(perm) // a lower index is a stronger option: it wins more often
			w := 0
			if rng.Float64() < 0.35 {
				w = 1 + rng.IntN(2)
			}
			var losers []string
			for j, k := range perm {
				if j != w {
					losers = append(losers, ids[k])
				}
			}
			out = append(out, fieldAnswer{fmt.Sprintf("%s#%d", q.ID, i),
				surveys.Answer{Winner: ids[perm[w]], Losers: losers}})
		}
		return out
	}
	return nil
}
