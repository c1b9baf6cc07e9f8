package dashboard

import (
	"fmt"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

// Population is the number of inhabitants per kern, for the afspiegeling.
type Population struct {
	// Source says where the numbers come from; the dashboard shows it.
	Source string
	// Total is the number of inhabitants of the municipality.
	Total int
	// Kernen are the inhabitants per kern, the village and its buitengebied together,
	// keyed by the kern's name as in KERNEN.
	Kernen map[string]int
}

// populationFile is the shape of examples/bevolking/dalfsen-kernen.yaml. A kern is
// either {kern: N, buitengebied: M} or one number.
type populationFile struct {
	Source string               `yaml:"source"`
	Total  int                  `yaml:"total"`
	Kernen map[string]yaml.Node `yaml:"kernen"`
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

// names lists the kernen in alphabetical order.
func (p *Population) names() []string {
	out := make([]string, 0, len(p.Kernen))
	for k := range p.Kernen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
