package digest

import (
	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// procesevaluatie is the round's answer to the closing question "Hoe
// tevreden bent u over hoe deze ronde verliep?" (a mark 1–10); ok is false
// when the round did not ask it or nobody answered.
func procesevaluatie(r *results.Results) (q results.QuestionResult, ok bool) {
	for _, q := range r.Questions {
		if q.ID == surveys.ProcesevaluatieID && q.Type == string(surveys.Rating) {
			return q, q.N > 0
		}
	}
	return results.QuestionResult{}, false
}

// newProcesView is the procesevaluatie of each closed round and its mean
// over the period, each round weighted by its number of answers. Open rounds
// are left out: their results come after they close; so are rounds with fewer
// respondents than the threshold, which show no numbers.
func newProcesView(rounds []Round) procesView {
	var pv procesView
	var sum float64
	var n int64
	for _, r := range rounds {
		if r.State == StateOpen || r.Results.TooFew || r.Results.Live {
			continue
		}
		q, ok := procesevaluatie(r.Results)
		if !ok {
			continue
		}
		name := roundTitle(r.Results)
		if id := oneLine(r.Results.Round.ID, 80); id != "" {
			name += " (" + id + ")"
		}
		pv.Rows = append(pv.Rows, procesRow{Round: name, Mean: dutch.Decimal(q.Mean, 1), N: dutch.Int(q.N)})
		sum += q.Mean * float64(q.N)
		n += q.N
	}
	if n > 0 {
		pv.Overall = dutch.Decimal(sum/float64(n), 1) + " (" + dutch.Plural(n, "antwoord", "antwoorden") +
			" in " + dutch.Plural(int64(len(pv.Rows)), "ronde", "rondes") + ")"
	}
	return pv
}
