package rounds

import (
	"context"
	"fmt"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Summary is a round with its counts, from its tallies: what every list of rounds
// (the CLI, the organiser's chat command, the dashboard) shows.
type Summary struct {
	*storage.Round
	Respondents, Completed, Invited int64
}

// ResponseRate is respondents per invitation; 0 while nobody was invited.
func (s Summary) ResponseRate() float64 {
	if s.Invited <= 0 {
		return 0
	}
	return float64(s.Respondents) / float64(s.Invited)
}

// Summarize reads one round's counts.
func Summarize(ctx context.Context, st *storage.Store, r *storage.Round) (Summary, error) {
	t, err := st.Tallies(ctx, r.ID)
	if err != nil {
		return Summary{}, fmt.Errorf("count round %s: %w", r.ID, err)
	}
	return Summary{Round: r, Respondents: t[surveys.FieldRespondents], Completed: t[surveys.FieldCompleted],
		Invited: t[surveys.FieldInvited]}, nil
}

// List is every round with its counts, oldest opening first.
func List(ctx context.Context, st *storage.Store) ([]Summary, error) {
	all, err := st.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(all))
	for _, r := range all {
		s, err := Summarize(ctx, st, r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
