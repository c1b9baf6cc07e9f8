package rounds

import (
	"context"
	"fmt"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// Trend is the trend of survey sv over every round ever held of it (the archive):
// each closed round's results as published, the open ones without figures. Its
// cost grows with the rounds held, not with their respondents.
func (s *Service) Trend(ctx context.Context, sv *surveys.Survey) (*trend.Trend, error) {
	return s.TrendUntil(ctx, sv, nil)
}

// TrendUntil is Trend as it stood at round until: over the rounds that opened no
// later than it (all rounds when until is nil), so that a round's page and its
// results say where the indicators stood then, not after later rounds.
func (s *Service) TrendUntil(ctx context.Context, sv *surveys.Survey, until *storage.Round) (*trend.Trend, error) {
	all, err := s.store.ArchivedRounds(ctx)
	if err != nil {
		return nil, fmt.Errorf("trend %s: %w", sv.ID, err)
	}
	var rs []trend.Round
	for _, r := range all {
		if r.Survey != sv.ID || until != nil && r.ID != until.ID && r.OpensAt.After(until.OpensAt) {
			continue
		}
		tr := trend.Round{Round: r}
		if r.State != storage.Scheduled && r.State != storage.Opened {
			if tr.Results, err = s.View(ctx, sv, r); err != nil { // the figures only: open answers bounded
				return nil, fmt.Errorf("trend %s, ronde %s: %w", sv.ID, r.ID, err)
			}
		}
		rs = append(rs, tr)
	}
	return trend.Build(sv, rs), nil
}
