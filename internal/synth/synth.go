// Package synth loads synthetic rounds into Redis for benchmarks: n respondents with
// a mix of profiles and answers to every question of a survey. The counters are
// the ones the answer script keeps (surveys.TallyFields and RespondentFields of
// every generated answer, summed), written with HINCRBY in pipelined batches, and
// the open answers go where the answer script puts them; so the results of a round
// of a million respondents can be measured without recording a million answers one
// by one (rounds.TestResultsEquivalence checks that recorded and summed tallies give
// the same results).
package synth

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Kernen and Ages are the groups respondents come from ("" is unknown; Zwolle
// is outside the Dalfsen population table).
var (
	Kernen = []string{"Dalfsen", "Dalfsen", "Dalfsen", "Nieuwleusen", "Nieuwleusen", "Lemelerveld",
		"Hoonhorst", "Oudleusen", "Ankum", "Zwolle", ""}
	Ages  = []string{"16-24", "25-44", "25-44", "45-64", "45-64", "65+", "65+", "65+", ""}
	texts = []string{"Meer groen in het centrum", "De bus rijdt te weinig", "Betere fietspaden naar school",
		"Meer bankjes voor ouderen", "Het groen onderhouden", "Een speeltuin in de wijk", "fietspaden verbreden"}
)

// Round opens a round of sv at start, loads n synthetic respondents into it and
// closes it; it returns the round as stored.
func Round(ctx context.Context, st *storage.Store, sv *surveys.Survey, n int, seed uint64, start time.Time) (*storage.Round, error) {
	svc := rounds.New(rounds.Config{Location: start.Location()}, st, surveys.NewCatalog([]*surveys.Survey{sv}), nil, nil)
	r, err := svc.Open(ctx, sv, start)
	if err != nil {
		return nil, fmt.Errorf("synthetic round: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	tallies := map[string]int64{}
	rdb := st.Client()
	openKey := func(qid string) string { return "pb:{r:" + r.ID + "}:open:" + qid }
	pipe := rdb.Pipeline()
	flush := func() error {
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("synthetic round %s: %w", r.ID, err)
		}
		return nil
	}
	for i := range n {
		prof := surveys.Profile{Kern: Kernen[rng.IntN(len(Kernen))], Leeftijd: Ages[rng.IntN(len(Ages))]}
		for _, f := range jointOnly(surveys.RespondentFields(prof)) {
			tallies[f]++
		}
		lean := rng.Float64()
		for _, q := range sv.Questions {
			for _, a := range answers(rng, q, lean) {
				for _, f := range jointOnly(surveys.TallyFields(q, a, prof)) {
					tallies[f]++
				}
				if q.Type == surveys.Open && !a.Skipped {
					pipe.HSet(ctx, openKey(q.ID), fmt.Sprintf("p%07d", i), a.Text)
				}
			}
		}
		if rng.IntN(10) != 0 {
			tallies[surveys.FieldCompleted]++
		}
		if pipe.Len() >= 1000 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	for f, v := range tallies {
		pipe.HIncrBy(ctx, "pb:{r:"+r.ID+"}:t", f, v)
		if pipe.Len() >= 1000 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if err := svc.Close(ctx, r.ID, start.Add(time.Hour)); err != nil {
		return nil, fmt.Errorf("synthetic round: %w", err)
	}
	return st.Round(ctx, r.ID)
}

// jointOnly keeps of fields what the answer script keeps in a round made now (its
// meta has "tj"): of a counter that has a kern × leeftijd cell, only that cell, since
// storage.Tallies adds the counter and its kern and leeftijd cells up from it.
func jointOnly(fields []string) []string {
	joint := map[string]bool{}
	for _, f := range fields {
		if c, _, ok := strings.Cut(f, ":j:"); ok {
			joint[c] = true
		}
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		base := f
		if c, _, ok := strings.Cut(f, ":k:"); ok {
			base = c
		} else if c, _, ok := strings.Cut(f, ":a:"); ok {
			base = c
		}
		if strings.Contains(f, ":j:") || !joint[base] {
			out = append(out, f)
		}
	}
	return out
}

// answers is one resident's answer to q (one per triad for wie van de drie).
func answers(rng *rand.Rand, q surveys.Question, lean float64) []surveys.Answer {
	if q.Optional && rng.IntN(12) == 0 {
		return []surveys.Answer{{Skipped: true}}
	}
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	scale := func(n int) string {
		v := int(math.Round(lean*float64(n-1)+rng.NormFloat64())) + 1
		return fmt.Sprint(min(max(v, 1), n))
	}
	switch q.Type {
	case surveys.Likert:
		return []surveys.Answer{{Options: []string{scale(5)}}}
	case surveys.Rating:
		return []surveys.Answer{{Options: []string{scale(10)}}}
	case surveys.Single:
		return []surveys.Answer{{Options: []string{ids[min(int(lean*float64(len(ids))+rng.Float64()), len(ids)-1)]}}}
	case surveys.Multiple:
		perm := rng.Perm(len(ids))[:1+rng.IntN(min(3, len(ids)))]
		var opts []string
		for _, i := range perm {
			opts = append(opts, ids[i])
		}
		return []surveys.Answer{{Options: opts}}
	case surveys.Open:
		return []surveys.Answer{{Text: texts[rng.IntN(len(texts))]}}
	case surveys.WieVanDeDrie:
		var out []surveys.Answer
		for range 4 {
			perm := rng.Perm(len(ids))[:3]
			out = append(out, surveys.Answer{Winner: ids[perm[0]], Losers: []string{ids[perm[1]], ids[perm[2]]}})
		}
		return out
	}
	return nil
}

// Burgerpeiling is the survey and population table the benchmarks load rounds of:
// examples/burgerpeiling.yaml and Dalfsen's kernen, with leeftijd margins added so
// that weighting rakes in two dimensions. root is the path to the repository.
func Burgerpeiling(root string) (*surveys.Survey, *surveys.Population, error) {
	sv, err := surveys.LoadFile(root + "/examples/burgerpeiling.yaml")
	if err != nil {
		return nil, nil, err
	}
	pop, err := surveys.LoadPopulation(root + "/examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		return nil, nil, err
	}
	pop.Leeftijd = map[string]int{"16-24": 2900, "25-44": 6400, "45-64": 8100, "65+": 6900}
	return sv, pop, nil
}
