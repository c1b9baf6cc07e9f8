package results

import (
	"slices"

	"github.com/participatiebot/participatiebot/surveys"
)

// In is a copy of r with the texts of s, the survey of r's round in a resident's
// language (surveys.Survey.In): the title, each question's text and each option's
// label, in the choice counts and in a wie-van-de-drie ranking, matched by question id
// and option id. Every number, the order of the options and of a ranking, the open
// answers and their themes are those of r: the round's answers are counted once,
// whatever language they were given in. A question or option s does not have keeps
// its text. The copy's Survey is s; the rest it shares with r, which is not changed.
// With a nil s, or one of another survey, In is r.
func (r *Results) In(s *surveys.Survey) *Results {
	if r == nil || s == nil || s.ID != r.SurveyID {
		return r
	}
	type texts struct {
		text   string
		labels map[string]string
	}
	byID := make(map[string]texts, len(s.Questions))
	for _, q := range s.Questions {
		t := texts{text: q.Text, labels: make(map[string]string, len(q.Options))}
		for _, o := range q.Options {
			t.labels[o.ID] = o.Label
		}
		byID[q.ID] = t
	}
	cp := *r
	cp.Survey, cp.Title = s, s.Title
	cp.Questions = slices.Clone(r.Questions)
	for i := range cp.Questions {
		q := &cp.Questions[i]
		t, ok := byID[q.ID]
		if !ok {
			continue
		}
		q.Text = t.text
		if len(q.Options) > 0 {
			q.Options = slices.Clone(q.Options)
			for k := range q.Options {
				if l, ok := t.labels[q.Options[k].ID]; ok {
					q.Options[k].Label = l
				}
			}
		}
		if len(q.Ranking) > 0 {
			q.Ranking = slices.Clone(q.Ranking)
			for k := range q.Ranking {
				if l, ok := t.labels[q.Ranking[k].ID]; ok {
					q.Ranking[k].Label = l
				}
			}
		}
	}
	return &cp
}
