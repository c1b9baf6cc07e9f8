package surveys

import (
	"slices"
	"strings"
	"sync"
)

// Catalog is the set of loaded surveys and the trajectories they belong to. It is
// safe for concurrent use: the dashboard adds surveys while the engine and the
// scheduler read them.
type Catalog struct {
	mu           sync.RWMutex
	byID         map[string]*Survey
	trajectories []*Trajectory
	ofSurvey     map[string]*Trajectory // survey id -> its trajectory
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

// SetTrajectories replaces the trajectories (as LoadTrajectories checked them: a
// survey is in one trajectory at most).
func (c *Catalog) SetTrajectories(ts []*Trajectory) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trajectories = slices.Clone(ts)
	c.ofSurvey = map[string]*Trajectory{}
	for _, t := range ts {
		for _, p := range t.Phases {
			for _, id := range p.Surveys {
				c.ofSurvey[id] = t
			}
		}
	}
}

// Trajectories lists the trajectories in id order.
func (c *Catalog) Trajectories() []*Trajectory {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := slices.Clone(c.trajectories)
	slices.SortFunc(out, func(a, b *Trajectory) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Trajectory returns the trajectory with the given id.
func (c *Catalog) Trajectory(id string) (*Trajectory, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, t := range c.trajectories {
		if t.ID == id {
			return t, true
		}
	}
	return nil, false
}

// TrajectoryOf is the trajectory a survey's rounds belong to and the index of its
// phase; ok is false for a survey outside every trajectory.
func (c *Catalog) TrajectoryOf(surveyID string) (t *Trajectory, phase int, ok bool) {
	c.mu.RLock()
	t = c.ofSurvey[surveyID]
	c.mu.RUnlock()
	if t == nil {
		return nil, 0, false
	}
	phase, _, ok = t.PhaseOf(surveyID)
	return t, phase, ok
}
