package surveys

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
// of the kernen when the file gives none; it may not be smaller than that sum. Its
// errors are in Dutch, for the organiser who keeps the file, and name the file.
func LoadPopulation(path string) (*Population, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bevolkingsbestand: %w", err)
	}
	var f populationFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("bevolkingsbestand %s: %s", path, populationYAMLError(err))
	}
	p := &Population{Source: f.Source, Total: f.Total, Kernen: map[string]int{}}
	sum := 0
	for name, node := range f.Kernen {
		n, err := kernInhabitants(&node)
		if err != nil {
			return nil, fmt.Errorf("bevolkingsbestand %s: regel %d: kern %s: %w", path, node.Line, name, err)
		}
		p.Kernen[name] = n
		sum += n
	}
	if len(p.Kernen) == 0 {
		return nil, fmt.Errorf("bevolkingsbestand %s: er staan geen kernen in (zet ze onder kernen:, zoals Dalfsen: 9500)", path)
	}
	if p.Total == 0 {
		p.Total = sum
	}
	if p.Total < sum {
		return nil, fmt.Errorf("bevolkingsbestand %s: het totaal %d is kleiner dan de kernen samen (%d)", path, p.Total, sum)
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
				return nil, fmt.Errorf("bevolkingsbestand %s: leeftijd %q is geen leeftijdsgroep (kies 16-24, 25-44, 45-64 of 65+)", path, g)
			}
			if n < 0 {
				return nil, fmt.Errorf("bevolkingsbestand %s: leeftijd %s: %w", path, g, errNegative)
			}
			p.Leeftijd[g] = n
		}
	}
	return p, nil
}

// errNegative is a negative number of inhabitants.
var errNegative = errors.New("een negatief aantal inwoners")

func kernInhabitants(node *yaml.Node) (int, error) {
	var n int
	if node.Kind == yaml.ScalarNode {
		if err := node.Decode(&n); err != nil {
			return 0, errors.New("hier hoort een aantal inwoners, zoals 9500")
		}
	} else {
		var k kernCount
		if err := node.Decode(&k); err != nil {
			return 0, errors.New("hier hoort een aantal inwoners, zoals 9500 of {kern: 9000, buitengebied: 500}")
		}
		if k.Kern < 0 || k.Buitengebied < 0 {
			return 0, errNegative
		}
		n = k.Kern + k.Buitengebied
	}
	if n < 0 {
		return 0, errNegative
	}
	return n, nil
}

var yamlTypeLine = regexp.MustCompile(`line (\d+): cannot unmarshal`)

// populationYAMLError is a YAML error of a population file in Dutch: a syntax error
// as the validator of surveys gives it, a value of the wrong kind as a number that
// is missing.
func populationYAMLError(err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		if isParserProblem(m[2]) {
			line++
		}
		text, _ := syntaxText(m[2])
		return fmt.Sprintf("regel %d: de YAML klopt niet: %s", line, text)
	}
	if m := yamlTypeLine.FindStringSubmatch(err.Error()); m != nil {
		return "regel " + m[1] + ": hier hoort een aantal inwoners (een heel getal), of bij source een tekst"
	}
	text, _ := syntaxText(strings.TrimPrefix(err.Error(), "yaml: "))
	return "de YAML klopt niet: " + text
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
