package public

import (
	"context"
	"slices"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// results are a published round's results as the public pages show and export
// them (withoutOpen), computed once per round: a published round's tallies do
// not change, so a widely shared link costs one computation, not one per view.
// The key holds what would change the figures: the round's state and purge time
// and the survey as loaded.
func (s *server) results(ctx context.Context, sv *surveys.Survey, rd *storage.Round) (*results.Results, error) {
	return s.cache.Get(ctx, sv, rd, func(ctx context.Context, sv *surveys.Survey, rd *storage.Round) (*results.Results, error) {
		res, err := s.rounds.View(ctx, sv, rd)
		if err != nil {
			return nil, err
		}
		return withoutOpen(res), nil
	})
}

// withoutOpen is a copy of res without the open answers, the number of them
// read and the themes drawn from them; every count, and the round's disclosure
// decision, stay as they are. Open answers are typed by residents and may name
// anyone; their themes are counted from two answers on, not under the
// disclosure threshold, so neither is fit for a public page. The number of
// open answers (N) stays: it is a count of the whole round.
func withoutOpen(res *results.Results) *results.Results {
	out := *res
	out.Questions = slices.Clone(res.Questions)
	for i := range out.Questions {
		q := &out.Questions[i]
		q.Open, q.Themes, q.Other, q.OpenRead = nil, nil, 0, 0
	}
	return &out
}
