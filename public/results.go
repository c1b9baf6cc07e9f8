package public

import (
	"context"
	"slices"
	"sync"
	"time"

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
	key := cacheKey{round: rd.ID, state: rd.State, purged: rd.PurgedAt, survey: sv}
	if res, ok := s.cache.get(key); ok {
		return res, nil
	}
	res, err := s.rounds.View(ctx, sv, rd)
	if err != nil {
		return nil, err
	}
	res = withoutOpen(res)
	s.cache.put(key, res)
	return res, nil
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

// resultsCache keeps the results of the last rounds shown.
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

// cacheRounds bounds the cache: memory does not grow with the rounds viewed.
const cacheRounds = 32

func (c *resultsCache) get(k cacheKey) (*results.Results, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, ok := c.entries[k]
	return res, ok
}

func (c *resultsCache) put(k cacheKey, res *results.Results) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[cacheKey]*results.Results{}
	}
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = res
	for len(c.order) > cacheRounds {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
