package surveys

// Catalog is the set of loaded surveys.
type Catalog struct {
	byID map[string]*Survey
	all  []*Survey
}

// NewCatalog indexes surveys (ids are unique after LoadDir).
func NewCatalog(list []*Survey) *Catalog {
	c := &Catalog{byID: make(map[string]*Survey, len(list)), all: list}
	for _, s := range list {
		c.byID[s.ID] = s
	}
	return c
}

// Survey returns the survey with the given id.
func (c *Catalog) Survey(id string) (*Survey, bool) {
	s, ok := c.byID[id]
	return s, ok
}

// All lists the surveys in id order.
func (c *Catalog) All() []*Survey { return c.all }
