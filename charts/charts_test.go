package charts

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// render renders q and fails the test unless there is a chart.
func render(t *testing.T, q results.QuestionResult) Chart {
	t.Helper()
	c, ok, err := Question(q)
	if err != nil || !ok {
		t.Fatalf("Question(%s): got ok %v, err %v, want a chart", q.ID, ok, err)
	}
	return c
}

func TestQuestionSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture string
		bars    int
		colour  color.RGBA
	}{
		{"two options", "positie", 2, okBlue},
		{"five options", "vertrouwen", 5, okBlue},
		{"rating", "cijfer", 10, okBlue},
		{"ranking", "waarden", 10, okSkyBlue},
	}
	heights := map[string]int{}
	for _, tt := range tests {
		_, img := rendered(t, tt.fixture)
		b := img.Bounds()
		if b.Dx() != width {
			t.Errorf("%s: got width %d, want %d", tt.name, b.Dx(), width)
		}
		// About 90 pixels a bar beside a short label, up to 200 for a bar with a
		// two-line label above it (it was 138 for three-line labels beside the
		// bars, in smaller type), plus title.
		if lo, hi := 200+80*tt.bars, 420+200*tt.bars; b.Dy() < lo || b.Dy() > min(hi, maxHeight) {
			t.Errorf("%s: got height %d, want %d..%d", tt.name, b.Dy(), lo, min(hi, maxHeight))
		}
		heights[tt.name] = b.Dy()
		col := tt.colour
		if got := len(runs(img, col, 0, 2)); got != tt.bars {
			t.Errorf("%s: got %d bars, want %d", tt.name, got, tt.bars)
		}
		// The plot (bars, tracks and figures) keeps at least half the width.
		for _, b := range runs(img, col, 0, 1) {
			if width-b.minX < width/2 {
				t.Errorf("%s: got a bar starting at x %d, want the bars to keep half the width", tt.name, b.minX)
			}
		}
	}
	if !(heights["two options"] < heights["five options"] && heights["five options"] < heights["rating"]) {
		t.Errorf("got heights %v, want them growing with the number of bars", heights)
	}
}

func TestBarsProportional(t *testing.T) {
	t.Parallel()
	c, img := rendered(t, "positie")
	bars := runs(img, okBlue, 0, 2)
	if len(bars) != 2 {
		t.Fatalf("got %d bars, want 2", len(bars))
	}
	got := float64(bars[0].pixels) / float64(bars[1].pixels)
	if want := 62.5 / 37.5; !near(got, want, 0.05) {
		t.Errorf("got bar ratio %.3f, want %.3f ± 5%%", got, want)
	}
	// On a 0–100 track: the 62,5% bar covers 62,5% of its track.
	r := barRow(img, bars[0], okBlue, bars[0].mid())
	if got, want := float64(r.barEnd-r.start), 0.625*float64(r.trackEnd-r.start); !near(got, want, 0.02) {
		t.Errorf("got bar length %.0f px, want %.0f px (62,5%% of the track)", got, want)
	}
	for _, want := range []string{"Staafdiagram: ", "40 antwoorden", "Aan de voorkant (initiatief en visie) 62,5% (25)", "In de ontwerpfase 37,5% (15)"} {
		if !strings.Contains(c.Alt, want) {
			t.Errorf("got alt %q, want it to contain %q", c.Alt, want)
		}
	}
}

// TestLabelsDrawn checks that every bar has its label, above it or (short
// labels) on the left, and its figure on the right.
func TestLabelsDrawn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		colour  color.RGBA
	}{
		{"vertrouwen", okBlue},
		{"cijfer", okBlue},
		{"waarden", okSkyBlue},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			_, img := rendered(t, tt.fixture)
			bars := runs(img, tt.colour, 0, 1)
			if len(bars) == 0 {
				t.Fatal("got no bars, want some")
			}
			for i, b := range bars {
				r := barRow(img, b, tt.colour, b.y0+2)
				if got := labelPixels(img, bars, i, r.start); got < 40 {
					t.Errorf("bar %d: got %d dark pixels above it or in the label column, want a label", i, got)
				}
				right := image.Rect(r.trackEnd+4, b.y0, width, b.y1)
				if got := darkIn(img, right); got < 40 {
					t.Errorf("bar %d: got %d dark pixels right of the track %v, want a figure", i, got, right)
				}
			}
		})
	}
}

func TestLikert(t *testing.T) {
	t.Parallel()
	q := luistert()
	c, img := rendered(t, "luistert")
	if img.Bounds().Dx() != width || img.Bounds().Dy() < 400 || img.Bounds().Dy() > 900 {
		t.Errorf("got size %v, want %d wide and 400..900 high", img.Bounds().Size(), width)
	}
	// The bar is the band of vermillion wider than a legend swatch.
	bar := runs(img, okVermillion, 0, 60)
	if len(bar) != 1 {
		t.Fatalf("got %d vermillion bands wider than a swatch, want the one bar", len(bar))
	}
	y := bar[0].y0 + 4 // above the percentages printed in the bar
	total := 0
	counts := make([]int, len(likertColours))
	for i, col := range likertColours {
		counts[i] = count(img, col, image.Rect(0, y, width, y+1))
		total += counts[i]
	}
	for i, col := range likertColours {
		if counts[i] == 0 {
			t.Errorf("category %d (%v): got no pixels in the bar, want its colour", i+1, col)
			continue
		}
		got, want := 100*float64(counts[i])/float64(total), q.Options[i].Percent
		if got < want-1 || got > want+1 {
			t.Errorf("category %d: got %.1f%% of the bar, want %.1f%% ± 1", i+1, got, want)
		}
		// And its swatch in the legend below the bar.
		if n := count(img, col, image.Rect(margin, bar[0].y1+1, margin+60, img.Bounds().Dy())); n < 200 {
			t.Errorf("category %d: got %d legend pixels, want a swatch", i+1, n)
		}
	}
	// the agreement in the question's own labels, as the results text says it
	// (it was "mee eens of helemaal mee eens")
	for _, want := range []string{"Gestapeld staafdiagram: ", "Helemaal mee oneens 11,7% (21)", "Neutraal 31,7% (57)",
		"Helemaal mee eens 6,7% (12)", "helemaal mee eens of mee eens 30,0%", "gemiddeld 2,9"} {
		if !strings.Contains(c.Alt, want) {
			t.Errorf("got alt %q, want it to contain %q", c.Alt, want)
		}
	}
}

func TestRanking(t *testing.T) {
	t.Parallel()
	short := waarden()
	short.Ranking = short.Ranking[8:] // two scored, one never shown
	tests := []struct {
		name       string
		q          results.QuestionResult
		bars       int
		title      string
		notInAlt   []string
		firstInAlt string
	}{
		{"clipped to top 10", waarden(), 10, "(top 10 van 11)",
			[]string{"Tweemaandelijkse", "Een andere opzet"}, "1–2. Altijd terugkoppeling aan inwoners — kans gekozen uit drie 81%, onzekerheid (90%): 74–87%"},
		{"short", short, 3, "",
			[]string{"top", "Een andere opzet"}, "1–3. Onafhankelijke procesbegeleiders voor initiatieven — kans gekozen uit drie 39%, onzekerheid (90%): 31–47%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := render(t, tt.q)
			img := decode(t, c)
			bars := runs(img, okSkyBlue, 0, 2)
			if len(bars) != tt.bars {
				t.Fatalf("got %d bars, want %d", len(bars), tt.bars)
			}
			for i, b := range bars {
				if i > 0 && b.maxX > bars[i-1].maxX {
					t.Errorf("bar %d: got it longer than the one above, want best first", i)
				}
				// The band reaches beyond the bar's end: dark pixels right of it.
				y := b.mid()
				if got := darkIn(img, image.Rect(b.maxX+3, y-3, b.maxX+80, y+4)); got < 20 {
					t.Errorf("bar %d: got %d dark pixels beyond its end, want the band", i, got)
				}
			}
			if !strings.Contains(c.Alt, tt.title) || !strings.HasPrefix(c.Alt, "Ranglijst: ") {
				t.Errorf("got alt %q, want it to start with Ranglijst and contain %q", c.Alt, tt.title)
			}
			if !strings.Contains(c.Alt, tt.firstInAlt) {
				t.Errorf("got alt %q, want it to contain %q", c.Alt, tt.firstInAlt)
			}
			for _, s := range tt.notInAlt {
				if strings.Contains(c.Alt, s) {
					t.Errorf("got alt %q, want no %q", c.Alt, s)
				}
			}
		})
	}
}

func TestNoChart(t *testing.T) {
	none := waarden()
	for i := range none.Ranking {
		none.Ranking[i].NotShown = true
	}
	empty := vertrouwen()
	empty.N = 0
	tests := []struct {
		name string
		q    results.QuestionResult
	}{
		{"open", results.QuestionResult{ID: "verbeteren", Type: string(surveys.Open), N: 3,
			Text: "Wat moet de gemeente vooral beter doen in het contact met inwoners?", Open: []string{"a", "b", "c"}}},
		{"no answers", empty},
		{"likert without answers", results.QuestionResult{ID: "flexibel", Type: string(surveys.Likert)}},
		{"nothing shown", none},
		{"unknown type", results.QuestionResult{ID: "x", Type: "slider", N: 4}},
		{"no options", results.QuestionResult{ID: "x", Type: string(surveys.Single), N: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, err := Question(tt.q)
			if ok || err != nil || c.PNG != nil {
				t.Errorf("got ok %v, err %v, %d bytes, want no chart and no error", ok, err, len(c.PNG))
			}
		})
	}
}

func TestHardLabels(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Een heel lang antwoord over de inrichting van de openbare ruimte, ", 4)[:200]
	tests := []struct {
		name, label, alt string
	}{
		{"200 characters", long, long},
		{"one long word", strings.Repeat("Verkeersveiligheidsmaatregelen", 7), "Verkeersveiligheidsmaatregelen"},
		{"emoji", "🚲 Fietsen 👍🏽 👨‍👩‍👧 🇳🇱", "🚲 Fietsen 👍🏽 👨‍👩‍👧 🇳🇱"},
		{"only emoji", "👍🏽👍🏽", "👍🏽👍🏽"},
		{"arabic", "نعم، أوافق تماماً", "نعم، أوافق تماماً"},
		{"hebrew with override", "\u202Eשלום עולם", "שלום עולם"},
		{"control characters", "Ja\x00 en\tnee\r\n", "Ja en nee"},
		{"invalid utf-8", "Ge\xffen rol", "Ge\uFFFDen rol"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := positie(25, 15)
			q.Options[0].Label = tt.label
			q.Text = strings.Repeat("Wat vindt u van de plannen voor het centrum? ", 30)
			c := render(t, q)
			img := decode(t, c)
			// the 200 characters wrapped on five lines, no longer cut to three
			if b := img.Bounds(); b.Dx() != width || b.Dy() > 1300 {
				t.Errorf("got size %v, want %d wide and at most 1300 high", b.Size(), width)
			}
			bars := runs(img, okBlue, 0, 1)
			if len(bars) != 2 || width-bars[0].minX < width/2 {
				t.Fatalf("got bars %v, want two that keep half the width", bars)
			}
			if tt.label != "" && labelPixels(img, bars, 0, bars[0].minX) < 40 {
				t.Errorf("got no label above or left of the first bar, want one")
			}
			if !strings.Contains(c.Alt, tt.alt+" 62,5% (25)") {
				t.Errorf("got alt %q, want it to contain %q", c.Alt, tt.alt+" 62,5% (25)")
			}
			if strings.ContainsAny(c.Alt, "\x00\t\n\u202E") {
				t.Errorf("got alt %q, want no control characters", c.Alt)
			}
		})
	}
}

func TestManyOptions(t *testing.T) {
	t.Parallel()
	labels := make([]string, 50)
	counts := make([]int64, 50)
	for i := range labels {
		labels[i] = "Optie " + dutch.Int(int64(i+1)) + " met een toelichting die over twee regels zou lopen als er plaats was"
		counts[i] = int64(i + 20)
	}
	tests := []struct {
		name string
		n    int
		maxH int
	}{
		{"30 options stay under the cap", 30, maxHeight},
		{"50 options get the least height a bar", 50, maxHeight + 20*minSlot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := choice("afweging", surveys.Multiple, "Welke thema's moeten in de afweging van een integraal project terugkomen?",
				labels[:tt.n], counts[:tt.n])
			img := decode(t, render(t, q))
			if got := img.Bounds().Dy(); got > tt.maxH {
				t.Errorf("got height %d, want at most %d", got, tt.maxH)
			}
			if got := len(runs(img, okBlue, 0, 1)); got != tt.n {
				t.Errorf("got %d bars, want %d", got, tt.n)
			}
		})
	}
}

func TestAfspiegeling(t *testing.T) {
	t.Parallel()
	doc := map[string]int64{"Dalfsen": 161, "Nieuwleusen": 118, "Lemelerveld": 47, "Hoonhorst": 24, "Oudleusen": 17, "Ankum": 12}
	small := map[string]int64{"Dalfsen": 161, "Nieuwleusen": 118, "Lemelerveld": 47, "Hoonhorst": 24, "Oudleusen": 17, "Ankum": 6}
	tests := []struct {
		name        string
		respondents map[string]int64
		blue        int
		want        []string
	}{
		{"all shown", doc, 6, []string{"Afspiegeling per kern, R-score 0,64.", "Dalfsen: deelnemers 42,5% (161), inwoners 37,5% (11.144)",
			"Ankum: deelnemers 3,2% (12), inwoners 2,7% (808)"}},
		{"Ankum suppressed", small, -1, []string{"Afspiegeling per kern, R-score niet te berekenen.", "Ankum (<10): inwoners 2,7% (808)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, r := kernen(t, tt.respondents, 10)
			suppressed := 0
			for _, row := range rows {
				if row.Suppressed {
					suppressed++
				}
			}
			if tt.blue < 0 {
				tt.blue = len(rows) - suppressed
				if suppressed == 0 {
					t.Fatalf("got no suppressed rows, want Ankum suppressed")
				}
			}
			c, err := Afspiegeling("kern", rows, r, 10)
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != "afspiegeling-kern.png" {
				t.Errorf("got name %q, want afspiegeling-kern.png", c.Name)
			}
			img := decode(t, c)
			if b := img.Bounds(); b.Dx() != width || b.Dy() < 300+6*80 || b.Dy() > 600+6*160 {
				t.Errorf("got size %v, want %d wide, %d..%d high", b.Size(), width, 300+6*80, 600+6*160)
			}
			// Right of the legend swatches: the bars.
			blue, orange := runs(img, okBlue, 120, 2), runs(img, okOrange, 120, 2)
			if len(blue) != tt.blue || len(orange) != len(rows) {
				t.Fatalf("got %d Deelnemers and %d Inwoners bars, want %d and %d", len(blue), len(orange), tt.blue, len(rows))
			}
			// Dalfsen, on top: its bars in proportion to its shares.
			got := float64(blue[0].pixels) / float64(orange[0].pixels)
			if want := rows[0].Share / rows[0].PopShare; !near(got, want, 0.05) {
				t.Errorf("got Dalfsen bars in ratio %.3f, want %.3f ± 5%%", got, want)
			}
			// The legend: a swatch of each colour left of the bars.
			if count(img, okBlue, image.Rect(0, 0, 120, blue[0].y0)) < 200 || count(img, okOrange, image.Rect(0, 0, 120, blue[0].y0)) < 200 {
				t.Errorf("got no legend swatches above the bars, want Deelnemers and Inwoners")
			}
			for _, want := range tt.want {
				if !strings.Contains(c.Alt, want) {
					t.Errorf("got alt %q, want it to contain %q", c.Alt, want)
				}
			}
		})
	}
}

func TestAfspiegelingDimension(t *testing.T) {
	t.Parallel()
	rows := []results.Representation{
		{Group: "16-24", Respondents: 20, Population: 2900, Share: 0.1, PopShare: 0.12},
		{Group: "25-44", Respondents: 60, Population: 6100, Share: 0.3, PopShare: 0.25},
		{Group: "45-64", Respondents: 80, Population: 8600, Share: 0.4, PopShare: 0.36},
		{Group: "65+", Respondents: 40, Population: 6400, Share: 0.2, PopShare: 0.27},
		{Group: results.UnknownGroup, Suppressed: true},
	}
	c, err := Afspiegeling("leeftijdsgroep", rows, results.RScoreUnavailable, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Afspiegeling per leeftijdsgroep, R-score niet te berekenen.", "65+: deelnemers 20,0% (40), inwoners 27,0% (6.400)",
		"onbekend (<5): geen cijfers"} {
		if !strings.Contains(c.Alt, want) {
			t.Errorf("got alt %q, want it to contain %q", c.Alt, want)
		}
	}
	if c.Name != "afspiegeling-leeftijdsgroep.png" {
		t.Errorf("got name %q, want afspiegeling-leeftijdsgroep.png", c.Name)
	}
	_, err = Afspiegeling("kern", nil, 0.5, 10)
	if err == nil || !strings.Contains(err.Error(), "render chart afspiegeling-kern.png") {
		t.Errorf("got error %v, want one that names the chart", err)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"vertrouwen", "luistert", "waarden"} {
		a, _ := rendered(t, name)
		b := render(t, fixtures[name]())
		if !bytes.Equal(a.PNG, b.PNG) || a.Alt != b.Alt || a.Name != b.Name {
			t.Errorf("%s: got two different charts for the same input, want the same", name)
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"vertrouwen", "vraag-vertrouwen.png"},
		{"Positie nu/3 ü", "vraag-positie-nu-3.png"},
		{"../../etc", "vraag-etc.png"},
		{"", "vraag.png"},
	}
	for _, tt := range tests {
		if got := questionName(tt.id); got != tt.want {
			t.Errorf("id %q: got name %q, want %q", tt.id, got, tt.want)
		}
	}
	if got, _ := rendered(t, "vertrouwen"); got.Name != "vraag-vertrouwen.png" {
		t.Errorf("got chart name %q, want vraag-vertrouwen.png", got.Name)
	}
}

// TestOddNumbers feeds figures outside their range: they are clamped, never
// drawn past the track, never an error.
func TestOddNumbers(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	bars := positie(25, 15)
	bars.Options[0].Percent, bars.Options[1].Percent = 250, nan
	likert := luistert()
	likert.Options[2].Percent, likert.Agree = -10, nan
	rank := waarden()
	rank.Ranking = rank.Ranking[:3]
	rank.Ranking[0].Score, rank.Ranking[0].ScoreLow, rank.Ranking[0].ScoreHigh = 1.5, 0.9, 0.2
	rank.Ranking[1].Score = nan
	tests := []struct {
		name string
		q    results.QuestionResult
		want []string
	}{
		{"percent over 100 and NaN", bars, []string{"100,0% (25)", "0,0% (15)"}},
		{"likert", likert, []string{"Neutraal 0,0% (57)"}},
		// held to the scale, a reversed band put in order, but never widened to hold its figure
		{"ranking", rank, []string{"1–3. Altijd terugkoppeling aan inwoners — kans gekozen uit drie 100%, onzekerheid (90%): 20–90%",
			"1–3. Heldere spelregels voor proces, financiering en samenspel — kans gekozen uit drie 66%", // NaN last
			"; 1–3. Communiceer de besluiten van de raad — kans gekozen uit drie 0%, onzekerheid (90%): 64–79%."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := render(t, tt.q)
			for _, want := range tt.want {
				if !strings.Contains(c.Alt, want) {
					t.Errorf("got alt %q, want it to contain %q", c.Alt, want)
				}
			}
		})
	}
	rows := []results.Representation{{Group: "Dalfsen", Respondents: 3, Population: 10, Share: nan, PopShare: 2}}
	c, err := Afspiegeling("kern", rows, nan, 10)
	if err != nil || !strings.Contains(c.Alt, "R-score niet te berekenen") {
		t.Errorf("got alt %q, err %v, want R-score niet te berekenen", c.Alt, err)
	}
}
