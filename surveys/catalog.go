package surveys

import (
	"slices"
	"strings"
	"sync"
)

// Catalog is the set of loaded surveys. It is safe for concurrent use: the dashboard
// adds surveys while the engine and the scheduler read them.
type Catalog struct {
	mu   sync.RWMutex
	byID map[string]*Survey
}

// NewCatalog indexes surveys (ids are unique after LoadDir).
func NewCatalog(list []*Survey) *Catalog {
	c := &Catalog{byID: make(map[string]*Survey, len(list))}
	for _, s := range list {
		c.byID[s.ID] = s
	}
	return c
}

// Survey returns the survey with the given id.
func (c *Catalog) Survey(id string) (*Survey, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.byID[id]
	return s, ok
}

// All lists the surveys in id order.
func (c *Catalog) All() []*Survey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*Survey, 0, len(c.byID))
	for _, s := range c.byID {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Survey) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Put adds a survey or replaces the one with the same id. Rounds already running keep
// their tallies; a replaced survey should keep its question and option ids.
func (c *Catalog) Put(s *Survey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID[s.ID] = s
}
