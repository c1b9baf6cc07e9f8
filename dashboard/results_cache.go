package dashboard

import (
	"context"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// roundResults are the results a round page shows: a closed round's from the
// cache of the last few viewed (rounds.ResultsCache). The returned results are
// shared: callers only read them.
func (s *server) roundResults(ctx context.Context, sv *surveys.Survey, rd *storage.Round) (*results.Results, error) {
	return s.resultsCache.Get(ctx, sv, rd, s.rounds.View)
}
