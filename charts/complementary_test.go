package charts

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// A row hidden only to protect a small one is labelled "(≥10)", not "(<10)".
func TestAfspiegelingComplementaryLabel(t *testing.T) {
	rows, r := surveys.Afspiegeling(map[string]int64{"Dalfsen": 40, "Oudleusen": 17, "Ankum": 4},
		map[string]int{"Dalfsen": 11144, "Oudleusen": 1783, "Ankum": 808}, 10)
	c, err := Afspiegeling("kern", rows, r, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ankum (<10)", "Oudleusen (≥10)"} {
		if !strings.Contains(c.Alt, want) {
			t.Errorf("alt text: no %q in %s", want, c.Alt)
		}
	}
	if strings.Contains(c.Alt, "Oudleusen (<10)") {
		t.Errorf("alt text calls Oudleusen small: %s", c.Alt)
	}
}
