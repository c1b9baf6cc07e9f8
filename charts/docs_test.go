package charts

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
)

// TestDocsCharts is a golden-image test: the example charts of docs/charts must be
// exactly what the code renders now. After a deliberate change to the charts,
// write them anew with CHARTS_WRITE_DOCS=1 go test ./charts -run DocsCharts, and
// look at them before committing.
func TestDocsCharts(t *testing.T) {
	update := os.Getenv("CHARTS_WRITE_DOCS") == "1"
	dir := filepath.Join("..", "docs", "charts")
	write := func(file string, c Chart) {
		t.Helper()
		path := filepath.Join(dir, file)
		if update {
			if err := os.WriteFile(path, c.PNG, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", file, c.Alt)
			return
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if !bytes.Equal(golden, c.PNG) {
			t.Errorf("%s differs from what the code renders now (%d bytes, golden %d): "+
				"if the change is meant, write the examples anew (CHARTS_WRITE_DOCS=1) and look at them", file, len(c.PNG), len(golden))
		}
	}
	questions := map[string]func() (Chart, bool, error){
		"bar.png":     func() (Chart, bool, error) { return Question(vertrouwen()) },
		"likert.png":  func() (Chart, bool, error) { return Question(luistert()) },
		"ranking.png": func() (Chart, bool, error) { return Question(waarden()) },
		"rating.png":  func() (Chart, bool, error) { return Question(cijfer()) },
		// entirely in Arabic: the question and options translated, the chart's
		// own words from lang/locales/chart.ar.yaml; right to left, shaped
		// (shape.go) and right-aligned
		"woonomgeving-ar.png": func() (Chart, bool, error) {
			return QuestionIn(lang.For(lang.AR, false), woonomgevingArabisch())
		},
	}
	for file, render := range questions {
		c, ok, err := render()
		if err != nil || !ok {
			t.Fatalf("%s: got ok %v, err %v", file, ok, err)
		}
		write(file, c)
	}
	rows, r := kernen(t, map[string]int64{
		"Dalfsen": 161, "Nieuwleusen": 118, "Lemelerveld": 47, "Hoonhorst": 24, "Oudleusen": 17, "Ankum": 12,
	}, 10)
	c, err := Afspiegeling("kern", rows, r, 10)
	if err != nil {
		t.Fatal(err)
	}
	write("afspiegeling.png", c)
	c, err = Trend(burgerpeilingTrend())
	if err != nil {
		t.Fatal(err)
	}
	write("trend-burgerpeiling-luistert.png", c)
}
