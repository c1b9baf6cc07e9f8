package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Indicator is a figure of a recurring survey that the municipality follows
// against a target ("≥ 50% veel vertrouwen in 2027"), with who owns it. The figure
// is the question's headline: the share (zeer) mee eens of a likert question, the
// mean mark of a rating, the share of one or more options (Options, taken
// together: "(zeer) veel vertrouwen") of a choice question.
type Indicator struct {
	Question string
	Options  []string
	// AtLeast is true for a target from below ("≥ 50"), false for one from above
	// ("≤ 20"); Target is in percent for shares, in marks for a mean.
	AtLeast bool
	Target  float64
	Year    int
	Owner   string
}

// Reference is a value to set the municipality's own figure beside: a benchmark
// the organiser copies from a report (a national average of a burgerpeiling item),
// with its source and year. Nothing is fetched from outside.
type Reference struct {
	Question string
	Options  []string
	Value    float64
	Source   string
	Year     int
}

// Rule says in one sentence how an indicator's status follows from its figure.
func (i Indicator) Rule() string {
	side, other := "boven", "onder"
	if !i.AtLeast {
		side, other = "onder", "boven"
	}
	return fmt.Sprintf("Op koers als de hele 95%%-marge van het laatste cijfer %s het doel ligt en het niet duidelijk de verkeerde kant op ging; "+
		"niet op koers als de hele marge %s het doel ligt; anders aandacht.", side, other)
}

// Goal is the target as written: "≥ 50%", "≤ 6,5".
func (i Indicator) Goal(percent bool) string {
	op := "≥"
	if !i.AtLeast {
		op = "≤"
	}
	v := strings.TrimSuffix(strings.Replace(strconv.FormatFloat(i.Target, 'f', 1, 64), ".", ",", 1), ",0")
	if percent {
		v += "%"
	}
	return op + " " + v
}

var yamlIndicatorKeys = []string{"vraag", "optie", "doel", "jaar", "eigenaar"}
var yamlReferenceKeys = []string{"vraag", "optie", "waarde", "bron", "jaar"}

var (
	indicatorSection = &section{keys: yamlIndicatorKeys,
		shape: `- {vraag: vertrouwen, optie: veel, doel: ">= 50", jaar: 2027, eigenaar: "wethouder dienstverlening"}`,
		fields: map[string]field{
			"vraag":    {"het id van de vraag", "vraag: luistert"},
			"optie":    {"bij een keuzevraag: het id van de antwoordoptie", "optie: veel"},
			"doel":     {"het doel: >= of <= en een getal (een percentage, of een cijfer bij een rapportcijfer)", `doel: ">= 50"`},
			"jaar":     {"het jaar waarin het doel bereikt moet zijn", "jaar: 2027"},
			"eigenaar": {"wie het doel bewaakt", `eigenaar: "wethouder dienstverlening"`},
		}}
	referenceSection = &section{keys: yamlReferenceKeys,
		shape: `- {vraag: luistert, waarde: 52, bron: "waarstaatjegemeente.nl, burgerpeiling 2025", jaar: 2025}`,
		fields: map[string]field{
			"vraag":  {"het id van de vraag", "vraag: luistert"},
			"optie":  {"bij een keuzevraag: het id van de antwoordoptie", "optie: veel"},
			"waarde": {"het vergelijkingscijfer (een percentage, of een cijfer bij een rapportcijfer)", "waarde: 52"},
			"bron":   {"waar het cijfer vandaan komt", `bron: "waarstaatjegemeente.nl, burgerpeiling 2025"`},
			"jaar":   {"het jaar van het cijfer", "jaar: 2025"},
		}}
)

var goalPattern = regexp.MustCompile(`^(>=|<=|≥|≤)\s*([0-9]+(?:[.,][0-9]+)?)\s*%?$`)

// indicators reads the survey's indicatoren.
func (d *surveyDecoder) indicators(f *yamlFields, s *Survey) {
	items, _ := d.sequence(f, "indicatoren")
	for i, n := range items {
		ctx := fmt.Sprintf("indicator %d: ", i+1)
		g := d.mapping(n, ctx, indicatorSection)
		if g == nil {
			continue
		}
		ind := Indicator{Question: d.text(g, "vraag", true, 0), Options: d.optionIDs(g, ctx)}
		goal := d.text(g, "doel", true, 0)
		if goal != "" {
			m := goalPattern.FindStringSubmatch(strings.TrimSpace(goal))
			if m == nil {
				d.errorf(g.val["doel"], `Schrijf >= of <= en een getal, bijvoorbeeld: doel: ">= 50" (50% of meer) of doel: "<= 20".`,
					"%shet doel %q klopt niet", ctx, goal)
			} else {
				ind.AtLeast = m[1] == ">=" || m[1] == "≥"
				ind.Target, _ = strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
			}
		}
		ind.Year, _ = d.integer(g, "jaar")
		ind.Owner = d.text(g, "eigenaar", true, limLabel)
		if d.figureOf(g, ctx, s, ind.Question, ind.Options, ind.Target, goal != "") {
			s.Indicators = append(s.Indicators, ind)
		}
	}
}

// references reads the survey's referenties.
func (d *surveyDecoder) references(f *yamlFields, s *Survey) {
	items, _ := d.sequence(f, "referenties")
	for i, n := range items {
		ctx := fmt.Sprintf("referentie %d: ", i+1)
		g := d.mapping(n, ctx, referenceSection)
		if g == nil {
			continue
		}
		ref := Reference{Question: d.text(g, "vraag", true, 0), Options: d.optionIDs(g, ctx)}
		if v := g.val["waarde"]; v == nil {
			d.required(g, "waarde")
		} else if x, err := strconv.ParseFloat(strings.Replace(v.Value, ",", ".", 1), 64); v.Kind != yaml.ScalarNode || err != nil {
			d.errorf(v, "Schrijf het cijfer zonder %-teken, bijvoorbeeld: waarde: 52", "%sde waarde %q is geen getal", ctx, v.Value)
		} else {
			ref.Value = x
		}
		ref.Source = d.text(g, "bron", true, limCardText)
		ref.Year, _ = d.integer(g, "jaar")
		if d.figureOf(g, ctx, s, ref.Question, ref.Options, ref.Value, g.val["waarde"] != nil) {
			s.References = append(s.References, ref)
		}
	}
}

// optionIDs reads optie: one option id, or a list of them.
func (d *surveyDecoder) optionIDs(g *yamlFields, ctx string) []string {
	n := g.val["optie"]
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode && n.Value != "":
		return []string{n.Value}
	}
	items, ok := d.sequence(g, "optie")
	if !ok {
		return nil
	}
	var ids []string
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || it.Value == "" {
			d.errorf(it, "Schrijf de ids van de antwoorden, bijvoorbeeld: optie: [zeer-veel, veel]", "%soptie: hier hoort het id van een antwoord, maar %s", ctx, nodeDesc(it))
			continue
		}
		ids = append(ids, it.Value)
	}
	return ids
}

// figureOf checks that question qid (with the options oids) has a headline figure,
// and that value lies on its scale; it reports whether all is well.
func (d *surveyDecoder) figureOf(g *yamlFields, ctx string, s *Survey, qid string, oids []string, value float64, hasValue bool) bool {
	if qid == "" {
		return false
	}
	i := slices.IndexFunc(s.Questions, func(q Question) bool { return q.ID == qid })
	if i < 0 {
		var ids []string
		for _, q := range s.Questions {
			ids = append(ids, q.ID)
		}
		d.errorf(g.val["vraag"], suggestHint(qid, ids)+"Gebruik het id van een vraag van deze vragenlijst.", "%ser is geen vraag %q", ctx, clipValue(qid))
		return false
	}
	q := s.Questions[i]
	lo, hi := 0.0, 100.0
	switch q.Type {
	case Likert:
	case Rating:
		lo, hi = 1, float64(len(q.Options))
	case Single:
		if len(oids) == 0 {
			d.errorf(g.val["vraag"], "Zet erbij welke antwoorden tellen, bijvoorbeeld: optie: ["+q.Options[0].ID+"]", "%sbij de keuzevraag %q hoort een optie", ctx, qid)
			return false
		}
		var ids []string
		for _, o := range q.Options {
			ids = append(ids, o.ID)
		}
		for _, oid := range oids {
			if !slices.Contains(ids, oid) {
				d.errorf(g.val["optie"], suggestHint(oid, ids)+"Gebruik het id van een antwoord van de vraag.", "%sde vraag %q heeft geen optie %q", ctx, qid, clipValue(oid))
				return false
			}
		}
	default:
		d.errorf(g.val["vraag"], "Een indicator of referentie volgt een eens-oneens-vraag, een rapportcijfer of antwoorden van een keuzevraag met één antwoord.",
			"%sde vraag %q (%s) heeft geen cijfer om te volgen", ctx, qid, q.Type)
		return false
	}
	if len(oids) > 0 && q.Type != Single {
		d.errorf(g.val["optie"], "Laat optie weg: die hoort alleen bij een keuzevraag.", "%sde vraag %q is geen keuzevraag", ctx, qid)
		return false
	}
	if hasValue && (value < lo || value > hi) {
		d.errorf(g.node, fmt.Sprintf("Bij deze vraag ligt het cijfer tussen %g en %g.", lo, hi), "%shet getal %g past niet bij de vraag %q", ctx, value, qid)
		return false
	}
	return true
}
