package surveys

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestIndicatorsOfExample(t *testing.T) {
	s, err := LoadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Indicators) != 2 || len(s.References) != 1 {
		t.Fatalf("got %d indicators, %d references", len(s.Indicators), len(s.References))
	}
	v := s.Indicators[0]
	if v.Question != "vertrouwen" || !slices.Equal(v.Options, []string{"zeer-veel", "veel"}) || !v.AtLeast || v.Target != 50 || v.Year != 2027 || v.Owner != "burgemeester" {
		t.Errorf("indicator: got %+v", v)
	}
	if got := v.Goal(true); got != "≥ 50%" {
		t.Errorf("goal: got %q", got)
	}
	if r := s.References[0]; r.Value != 51 || r.Year != 2019 || r.Source == "" {
		t.Errorf("reference: got %+v", r)
	}
	if rule := v.Rule(); !strings.Contains(rule, "boven het doel") || !strings.Contains(rule, "anders aandacht") {
		t.Errorf("rule: %q", rule)
	}
}

func TestIndicatorProblems(t *testing.T) {
	base, err := os.ReadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, from, to, want string }{
		{"unknown question", "  - vraag: luistert\n    doel", "  - vraag: luisterd\n    doel", `er is geen vraag "luisterd"`},
		{"bad goal", `doel: ">= 50"`, `doel: "meer dan 50"`, `het doel "meer dan 50" klopt niet`},
		{"unknown option", "optie: [zeer-veel, veel]\n    doel", "optie: [zeer-veel, vel]\n    doel", `heeft geen optie "vel"`},
		{"no option", "  - vraag: vertrouwen\n    optie: [zeer-veel, veel]\n    doel", "  - vraag: vertrouwen\n    doel", "hoort een optie"},
		{"option on likert", "  - vraag: luistert\n    doel", "  - vraag: luistert\n    optie: ja\n    doel", "is geen keuzevraag"},
		{"open question", "  - vraag: luistert\n    doel", "  - vraag: verbeteren\n    doel", "heeft geen cijfer om te volgen"},
		{"out of range", "waarde: 51", "waarde: 151", "het getal 151 past niet"},
		{"not a number", "waarde: 51", "waarde: veel", `de waarde "veel" is geen getal`},
		{"no owner", `    eigenaar: "burgemeester"` + "\n", "", "het veld eigenaar ontbreekt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := string(base)
			if !strings.Contains(src, c.from) {
				t.Fatalf("case text %q not in the example", c.from)
			}
			_, err := Parse("burgerpeiling.yaml", []byte(strings.Replace(src, c.from, c.to, 1)))
			var probs Problems
			if !errors.As(err, &probs) || !strings.Contains(probs.Error(), c.want) {
				t.Fatalf("got %v, want a problem with %q", err, c.want)
			}
			for _, p := range probs {
				if p.Line == 0 || p.Hint == "" {
					t.Errorf("%q: no line or tip", p.Msg)
				}
			}
		})
	}
}
