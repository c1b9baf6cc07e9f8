package rounds

import (
	"context"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// ResultsCache keeps the results of the last few closed rounds a view showed. A
// closed round's tallies do not change (an erasure leaves the published figures of
// a closed round as they are), so a page of it is computed once, not on every view;
// a scheduled or open round is computed each time. The key holds what would change
// the figures: the round's state and purge time and the survey as loaded (an upload
// replaces it). Its zero value keeps DefaultCacheRounds rounds; it is safe for
// concurrent use.
type ResultsCache struct {
	// Rounds bounds the rounds kept (DefaultCacheRounds when 0): memory does not
	// grow with the rounds viewed.
	Rounds int

	mu      sync.Mutex
	entries map[cacheKey]*results.Results
	order   []cacheKey // oldest first
}

// DefaultCacheRounds is how many rounds a ResultsCache keeps by default.
const DefaultCacheRounds = 16

type cacheKey struct {
	round  string
	state  storage.State
	purged time.Time
	survey *surveys.Survey
}

// Get returns the results of round rd of survey sv, computed by compute (and
// then kept, for a closed round) or as kept. The results returned are shared:
// callers only read them.
func (c *ResultsCache) Get(ctx context.Context, sv *surveys.Survey, rd *storage.Round,
	compute func(context.Context, *surveys.Survey, *storage.Round) (*results.Results, error)) (*results.Results, error) {
	if rd.State == storage.Opened || rd.State == storage.Scheduled {
		return compute(ctx, sv, rd)
	}
	key := cacheKey{round: rd.ID, state: rd.State, purged: rd.PurgedAt, survey: sv}
	c.mu.Lock()
	res, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return res, nil
	}
	res, err := compute(ctx, sv, rd)
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
	limit := c.Rounds
	if limit <= 0 {
		limit = DefaultCacheRounds
	}
	for len(c.order) > limit {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return res, nil
}
