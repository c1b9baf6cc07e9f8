package charts

import (
	"image"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// The test data uses the wording of the example surveys in examples/.

// positie is a single-choice result, from examples/impor-beeldvorming.yaml.
func positie(counts ...int64) results.QuestionResult {
	labels := []string{
		"Aan de voorkant (initiatief en visie)", "In de ontwerpfase", "Bij de uitvoering",
		"Pas na de uitvoering (beheer)", "Geen rol",
	}
	return choice("positie-nu", surveys.Single,
		"Wat is nu uw positie in het proces van een project in de openbare ruimte?", labels[:len(counts)], counts)
}

// vertrouwen is the single-choice question of examples/burgerpeiling.yaml.
func vertrouwen() results.QuestionResult {
	return choice("vertrouwen", surveys.Single,
		"Hoeveel vertrouwen heeft u in de manier waarop de gemeente bestuurd wordt?",
		[]string{"Zeer veel vertrouwen", "Veel vertrouwen", "Niet veel, niet weinig vertrouwen",
			"Weinig vertrouwen", "Zeer weinig vertrouwen"},
		[]int64{9, 41, 73, 38, 16})
}

// choice is a single or multiple choice result with the percentages of n,
// n being the sum of the counts.
func choice(id string, t surveys.QuestionType, text string, labels []string, counts []int64) results.QuestionResult {
	var n int64
	for _, c := range counts {
		n += c
	}
	q := results.QuestionResult{ID: id, Type: string(t), Text: text, N: n}
	for i, l := range labels {
		q.Options = append(q.Options, results.OptionResult{
			ID: l, Label: l, Count: counts[i], Percent: 100 * float64(counts[i]) / float64(n),
		})
	}
	return q
}

// luistert is a Likert statement of examples/burgerpeiling.yaml.
func luistert() results.QuestionResult {
	labels := []string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"}
	q := choice("luistert", surveys.Likert, "De gemeente luistert voldoende naar de mening van de inwoners.",
		labels, []int64{21, 48, 57, 42, 12})
	for i := range q.Options {
		q.Options[i].ID = string(rune('1' + i))
	}
	q.Agree = 100 * 54.0 / 180
	q.Mean = (21*1 + 48*2 + 57*3 + 42*4 + 12*5) / 180.0
	return q
}

// cijfer is the rating question of examples/burgerpeiling.yaml.
func cijfer() results.QuestionResult {
	var labels []string
	for i := 1; i <= 10; i++ {
		labels = append(labels, string(rune('0'+i%10)))
	}
	labels[9] = "10"
	q := choice("cijfer", surveys.Rating,
		"Welk rapportcijfer geeft u de gemeente voor hoe zij met inwoners samenwerkt?",
		labels, []int64{2, 3, 6, 11, 24, 41, 52, 30, 8, 3})
	q.Mean, q.Median = 6.4, 7
	return q
}

// waarden is the wie-van-de-drie pool of examples/goed-goan-wie-van-de-drie.yaml
// with scores as a round might give them, best first, the last one never shown.
func waarden() results.QuestionResult {
	pool := []struct {
		label         string
		score, lo, hi float64
	}{
		{"Altijd terugkoppeling aan inwoners", .81, .74, .87},
		{"Communiceer de besluiten van de raad", .72, .64, .79},
		{"Heldere spelregels voor proces, financiering en samenspel", .66, .58, .73},
		{"De raad op pad (zoals in Raalte)", .61, .52, .69},
		{"Eén aanspreekpunt voor en bij maatschappelijke initiatieven", .57, .49, .65},
		{"Gebiedsmakelaars die kerngericht werken", .52, .44, .60},
		{"Een jongerenraad (zoals in De Wolden)", .48, .40, .57},
		{"Subsidie voor initiatieven uit de samenleving (zoals in De Wolden)", .44, .36, .52},
		{"Onafhankelijke procesbegeleiders voor initiatieven", .39, .31, .47},
		{"Een denktank van inwoners en raad (zoals in Woerden)", .33, .25, .41},
		{"Tweemaandelijkse bijeenkomsten met raad, college en MT (zoals in Bronckhorst)", .27, .20, .35},
		{"Een andere opzet voor avonden van plaatselijk belang", 0, 0, 0},
	}
	q := results.QuestionResult{ID: "waarden", Type: string(surveys.WieVanDeDrie),
		Text: "Welke van deze drie past het best bij Dalfsen?", N: 905}
	for i, p := range pool {
		q.Ranking = append(q.Ranking, results.RankResult{
			ID: p.label, Label: p.label, Score: p.score, ScoreLow: p.lo, ScoreHigh: p.hi,
			Rank: i + 1, Shown: 240, NotShown: p.score == 0,
		})
	}
	q.Ranking[len(q.Ranking)-1].Rank = 0
	return q
}

// dalfsen is the population per kern of examples/bevolking/dalfsen-kernen.yaml,
// the village and its buitengebied together.
func dalfsen(t *testing.T) map[string]int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "examples", "bevolking", "dalfsen-kernen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Kernen map[string]struct{ Kern, Buitengebied int } `yaml:"kernen"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	pop := map[string]int{}
	for k, v := range f.Kernen {
		pop[k] = v.Kern + v.Buitengebied
	}
	if len(pop) != 6 {
		t.Fatalf("got %d kernen in dalfsen-kernen.yaml, want 6", len(pop))
	}
	return pop
}

// kernen is an afspiegeling of Dalfsen with the respondents given, computed as
// the bot does.
func kernen(t *testing.T, respondents map[string]int64, threshold int) ([]results.Representation, float64) {
	t.Helper()
	rows, r := results.Afspiegeling(respondents, dalfsen(t), threshold)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Population > rows[j].Population })
	return rows, r
}

// fixtures are the unmodified test questions by name, for rendered.
var fixtures = map[string]func() results.QuestionResult{
	"positie":    func() results.QuestionResult { return positie(25, 15) },
	"vertrouwen": vertrouwen,
	"luistert":   luistert,
	"cijfer":     cijfer,
	"waarden":    waarden,
}

// renders keeps the chart and pixels of each fixture: rendering is slow under
// the race detector, and several tests look at the same charts.
var renders sync.Map // fixture name → renderedChart

type renderedChart struct {
	Chart
	img *image.RGBA
}

// rendered is the chart of fixture name and its pixels, which the caller
// must not change.
func rendered(t *testing.T, name string) (Chart, *image.RGBA) {
	t.Helper()
	if r, ok := renders.Load(name); ok {
		return r.(renderedChart).Chart, r.(renderedChart).img
	}
	c := render(t, fixtures[name]())
	img := decode(t, c)
	renders.Store(name, renderedChart{c, img})
	return c, img
}

// woonomgevingArabisch is the burgerpeiling question "Hoe tevreden bent u
// over uw woonomgeving?" of a survey translated into Arabic: question and
// options right to left, the figures in Latin digits.
func woonomgevingArabisch() results.QuestionResult {
	return choice("woonomgeving", surveys.Single, "ما مدى رضاك عن محيط سكنك؟",
		[]string{"راضٍ جداً", "راضٍ", "لا راضٍ ولا غير راضٍ", "غير راضٍ", "غير راضٍ جداً", "لا أعرف"},
		[]int64{41, 97, 38, 14, 6, 4})
}
