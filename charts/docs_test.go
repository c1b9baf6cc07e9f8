package charts

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteDocs writes the example charts of docs/charts. It runs only with
// CHARTS_WRITE_DOCS=1: go test ./charts -run WriteDocs with that set.
func TestWriteDocs(t *testing.T) {
	if os.Getenv("CHARTS_WRITE_DOCS") != "1" {
		t.Skip("set CHARTS_WRITE_DOCS=1 to write docs/charts")
	}
	dir := filepath.Join("..", "docs", "charts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(file string, c Chart) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, file), c.PNG, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", file, c.Alt)
	}
	questions := map[string]func() (Chart, bool, error){
		"bar.png":     func() (Chart, bool, error) { return Question(vertrouwen()) },
		"likert.png":  func() (Chart, bool, error) { return Question(luistert()) },
		"ranking.png": func() (Chart, bool, error) { return Question(waarden()) },
		"rating.png":  func() (Chart, bool, error) { return Question(cijfer()) },
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
}
