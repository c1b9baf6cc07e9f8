package surveys

import (
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/participatiebot/participatiebot/stats"
	"gopkg.in/yaml.v3"
)

// Population is the municipality's population table for the afspiegeling and for
// weighting: inhabitants per kern and, when the municipality supplies them, per
// leeftijdsgroep.
type Population struct {
	// Source says where the numbers come from; the dashboard shows it.
	Source string
	// Total is the number of inhabitants of the municipality.
	Total int
	// Kernen are the inhabitants per kern, the village and its buitengebied together,
	// keyed by the kern's name as in KERNEN.
	Kernen map[string]int
	// Leeftijd are the inhabitants of 16 and older per leeftijdsgroep id (see
	// Leeftijdsgroepen); empty when the file gives none.
	Leeftijd map[string]int
}

// populationFile is the shape of examples/bevolking/dalfsen-kernen.yaml. A kern is
// either {kern: N, buitengebied: M} or one number; leeftijd maps a leeftijdsgroep
// id ("16-24", "25-44", "45-64", "65+") to its inhabitants.
type populationFile struct {
	Source   string               `yaml:"source"`
	Total    int                  `yaml:"total"`
	Kernen   map[string]yaml.Node `yaml:"kernen"`
	Leeftijd map[string]int       `yaml:"leeftijd"`
}

type kernCount struct {
	Kern         int `yaml:"kern"`
	Buitengebied int `yaml:"buitengebied"`
}

// LoadPopulation reads a population file. The total is the file's total, or the sum
// of the kernen when the file gives none; it may not be smaller than that sum.
func LoadPopulation(path string) (*Population, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load population: %w", err)
	}
	var f populationFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("load population %s: %w", path, err)
	}
	p := &Population{Source: f.Source, Total: f.Total, Kernen: map[string]int{}}
	sum := 0
	for name, node := range f.Kernen {
		n, err := kernInhabitants(&node)
		if err != nil {
			return nil, fmt.Errorf("load population %s: line %d: kern %s: %w", path, node.Line, name, err)
		}
		p.Kernen[name] = n
		sum += n
	}
	if len(p.Kernen) == 0 {
		return nil, fmt.Errorf("load population %s: no kernen", path)
	}
	if p.Total == 0 {
		p.Total = sum
	}
	if p.Total < sum {
		return nil, fmt.Errorf("load population %s: total %d is less than the kernen together (%d)", path, p.Total, sum)
	}
	if len(f.Leeftijd) > 0 {
		p.Leeftijd = map[string]int{}
		known := map[string]bool{}
		for _, g := range Leeftijdsgroepen {
			known[g.ID] = true
		}
		for _, g := range slices.Sorted(maps.Keys(f.Leeftijd)) {
			n := f.Leeftijd[g]
			if !known[g] {
				return nil, fmt.Errorf("load population %s: leeftijd %q is not a leeftijdsgroep (want one of 16-24, 25-44, 45-64, 65+)", path, g)
			}
			if n < 0 {
				return nil, fmt.Errorf("load population %s: leeftijd %s: negative number of inhabitants", path, g)
			}
			p.Leeftijd[g] = n
		}
	}
	return p, nil
}

func kernInhabitants(node *yaml.Node) (int, error) {
	var n int
	if node.Kind == yaml.ScalarNode {
		if err := node.Decode(&n); err != nil {
			return 0, fmt.Errorf("want a number of inhabitants: %w", err)
		}
	} else {
		var k kernCount
		if err := node.Decode(&k); err != nil {
			return 0, fmt.Errorf("want {kern: N, buitengebied: M}: %w", err)
		}
		if k.Kern < 0 || k.Buitengebied < 0 {
			return 0, fmt.Errorf("negative number of inhabitants")
		}
		n = k.Kern + k.Buitengebied
	}
	if n < 0 {
		return 0, fmt.Errorf("negative number of inhabitants")
	}
	return n, nil
}

// Names lists the kernen in alphabetical order.
func (p *Population) Names() []string { return slices.Sorted(maps.Keys(p.Kernen)) }

// Margins are the population shares to weight to: the kernen and, when the table
// has them, the leeftijdsgroepen. Dimension names are "kern" and "leeftijd".
func (p *Population) Margins() []stats.Margin {
	if p == nil {
		return nil
	}
	var out []stats.Margin
	for _, d := range []struct {
		name   string
		counts map[string]int
	}{{DimKern, p.Kernen}, {DimLeeftijd, p.Leeftijd}} {
		total := 0
		for _, n := range d.counts {
			total += n
		}
		if total <= 0 {
			continue
		}
		m := stats.Margin{Dimension: d.name, Shares: map[string]float64{}}
		for g, n := range d.counts {
			m.Shares[g] = float64(n) / float64(total)
		}
		out = append(out, m)
	}
	return out
}

// The profile dimensions of the afspiegeling and of weighting.
const (
	DimKern     = "kern"
	DimLeeftijd = "leeftijd"
)
