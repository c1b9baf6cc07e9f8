package dashboard

import (
	"context"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// resultsCache keeps the results of the last few closed rounds viewed. A closed
// round's tallies do not change (an erasure leaves the published figures of a
// closed round as they are), so its page is computed once, not on every view; an
// open round is computed each time. The key holds what would change the figures:
// the round's state and purge time and the survey as loaded (an upload replaces it).
type resultsCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*results.Results
	order   []cacheKey // oldest first
}

type cacheKey struct {
	round  string
	state  storage.State
	purged time.Time
	survey *surveys.Survey
}

// resultsCacheRounds bounds the cache: memory does not grow with the rounds viewed.
const resultsCacheRounds = 16

// roundResults are the results a round page shows. The returned results are
// shared: callers only read them.
func (s *server) roundResults(ctx context.Context, sv *surveys.Survey, rd *storage.Round) (*results.Results, error) {
	if rd.State == storage.Opened || rd.State == storage.Scheduled {
		return s.rounds.View(ctx, sv, rd)
	}
	key := cacheKey{round: rd.ID, state: rd.State, purged: rd.PurgedAt, survey: sv}
	c := &s.resultsCache
	c.mu.Lock()
	res, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return res, nil
	}
	res, err := s.rounds.View(ctx, sv, rd)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[cacheKey]*results.Results{}
	}
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = res
	for len(c.order) > resultsCacheRounds {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return res, nil
}
