package panel

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The stratum dimensions DrawOptions.Strata may name.
const (
	DimKern     = "kern"
	DimLeeftijd = "leeftijd"
)

// keySep joins the values of a stratum key: "Nieuwleusen|25-44".
const keySep = "|"

// AgeGroup is one age group, Min and Max inclusive, in years.
type AgeGroup struct {
	Label string `json:"label"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// DefaultAgeGroups are the age groups of the population file and the participant
// profile (surveys.Leeftijdsgroepen: 16-24, 25-44, 45-64, 65+), so that a panel
// can be set against the same afspiegeling as every round. Residents under 16 are not
// drawn: they cannot consent alone.
var DefaultAgeGroups = []AgeGroup{
	{Label: "16-24", Min: 16, Max: 24},
	{Label: "25-44", Min: 25, Max: 44},
	{Label: "45-64", Min: 45, Max: 64},
	{Label: "65+", Min: 65, Max: MaxAge},
}

// validateAgeGroups checks that groups are ordered, do not overlap and have distinct
// labels that can stand in a stratum key. Gaps are allowed: an age in a gap is not
// drawable, like one under the youngest group.
func validateAgeGroups(groups []AgeGroup) error {
	if len(groups) == 0 {
		return errors.New("geen leeftijdsgroepen")
	}
	labels := map[string]bool{}
	for i, g := range groups {
		switch {
		case strings.TrimSpace(g.Label) == "":
			return fmt.Errorf("leeftijdsgroep %d heeft geen naam", i+1)
		case strings.Contains(g.Label, keySep):
			return fmt.Errorf("leeftijdsgroep %q bevat een %q", g.Label, keySep)
		case labels[g.Label]:
			return fmt.Errorf("leeftijdsgroep %q staat er twee keer in", g.Label)
		case g.Min < 0 || g.Max > MaxAge || g.Min > g.Max:
			return fmt.Errorf("leeftijdsgroep %q: %d tot en met %d is geen leeftijd tussen 0 en %d", g.Label, g.Min, g.Max, MaxAge)
		case i > 0 && g.Min <= groups[i-1].Max:
			return fmt.Errorf("leeftijdsgroep %q begint niet na %q (jongste eerst, zonder overlap)", g.Label, groups[i-1].Label)
		}
		labels[g.Label] = true
	}
	return nil
}

// ageGroupOf is the group an age falls in, or false when it falls in none.
func ageGroupOf(groups []AgeGroup, age int) (string, bool) {
	for _, g := range groups {
		if age >= g.Min && age <= g.Max {
			return g.Label, true
		}
	}
	return "", false
}

// normaliseStrata checks the dimensions and puts them in the key order: kern first.
func normaliseStrata(dims []string) ([]string, error) {
	var out []string
	for _, d := range dims {
		d = strings.ToLower(strings.TrimSpace(d))
		if d != DimKern && d != DimLeeftijd {
			return nil, fmt.Errorf("stratum %q bestaat niet: kies %q en/of %q", d, DimKern, DimLeeftijd)
		}
		if slices.Contains(out, d) {
			return nil, fmt.Errorf("stratum %q staat er twee keer in", d)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(a, b) }) // "kern" < "leeftijd"
	return out, nil
}

// StratumKey is the key of the stratum of a resident in kern and age group for the
// dimensions dims, kern always first whatever the order of dims: "Nieuwleusen|25-44"
// for both, "Nieuwleusen" for kern alone, "25-44" for leeftijd alone and "" for none
// (then the whole drawable population is one stratum).
func StratumKey(dims []string, kern, ageGroup string) string {
	parts := make([]string, 0, 2)
	if slices.Contains(dims, DimKern) {
		parts = append(parts, kern)
	}
	if slices.Contains(dims, DimLeeftijd) {
		parts = append(parts, ageGroup)
	}
	return strings.Join(parts, keySep)
}
