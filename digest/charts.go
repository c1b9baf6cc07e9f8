package digest

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
)

// chartNames keeps the file names of a digest unique: charts name a file by
// question id ("vraag-vertrouwen.png"), and rounds of one survey share them.
type chartNames struct {
	prefixes, files map[string]bool
}

func newChartNames() *chartNames {
	return &chartNames{prefixes: map[string]bool{}, files: map[string]bool{}}
}

// prefix is the round's part of its chart names, "burgerpeiling-2026-11",
// made unique within the digest.
func (n *chartNames) prefix(r *results.Results) string {
	base := charts.Slug(r.SurveyID + " " + r.Round.ID)
	if base == "" {
		base = "ronde"
	}
	p := base
	for i := 2; n.prefixes[p]; i++ {
		p = base + "-" + strconv.Itoa(i)
	}
	n.prefixes[p] = true
	return p
}

// view names c within the round's prefix and encodes it for the HTML page.
func (n *chartNames) view(c charts.Chart, prefix string) *chartView {
	name := prefix + "-" + c.Name
	for i := 2; n.files[name]; i++ {
		name = prefix + "-" + strconv.Itoa(i) + "-" + c.Name
	}
	n.files[name] = true
	c.Name = name
	return &chartView{Chart: c, Src: "data:image/png;base64," + base64.StdEncoding.EncodeToString(c.PNG)}
}

// questionChart is the chart of a closed question; nil when it has none
// (no answers yet).
func questionChart(q results.QuestionResult, prefix string, names *chartNames) (*chartView, error) {
	c, ok, err := charts.Question(q)
	if err != nil {
		return nil, fmt.Errorf("chart of question %q: %w", q.ID, err)
	}
	if !ok {
		return nil, nil
	}
	return names.view(c, prefix), nil
}

// afspiegelingCharts are the afspiegeling per kern and, when the population
// table has it, per leeftijdsgroep.
func afspiegelingCharts(r *results.Results, prefix string, names *chartNames) ([]chartView, error) {
	cs, err := charts.AfspiegelingOf(r)
	if err != nil {
		return nil, fmt.Errorf("afspiegeling charts: %w", err)
	}
	var out []chartView
	for _, c := range cs {
		out = append(out, *names.view(c, prefix))
	}
	return out, nil
}
