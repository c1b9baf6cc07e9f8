package results

import (
	"fmt"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestSplitOpenByLanguage: open answers are split by the language they were written
// in, with themes in that language's words indexing the question's answers; a
// language with fewer answers than the threshold shows neither number nor themes;
// a question answered only in Dutch is left as it was.
func TestSplitOpenByLanguage(t *testing.T) {
	s := &surveys.Survey{ID: "s", Questions: []surveys.Question{{ID: "idee", Type: surveys.Open, Text: "Wat wilt u nog kwijt?"}}}
	texts := []string{"Meer bankjes graag", "Bankjes bij de kerk", "More benches please", "The benches are old", "Benches!", "نريد المقاعد"}
	langs := []string{"", "", "en", "en", "en", "ar"}
	open := map[string][]string{"idee": texts}
	r := Compute(s, RoundInfo{ID: "r"}, map[string]int64{surveys.FieldRespondents: 6}, open, 2)
	r.SplitOpenByLanguage(open, map[string][]string{"idee": langs})
	got := r.Questions[0].Languages
	if len(got) != 3 || got[0].Lang != "nl" || got[1].Lang != "en" || got[2].Lang != "ar" {
		t.Fatalf("languages: %+v", got)
	}
	if got[0].N != 2 || got[1].N != 3 || !got[2].Suppressed || got[2].N != 0 || got[2].Themes != nil {
		t.Errorf("counts: %+v", got)
	}
	if len(got[1].Themes) == 0 || got[1].Themes[0].Term != "benches" || fmt.Sprint(got[1].Themes[0].Answers) != "[2 3 4]" {
		t.Errorf("English themes: %+v, want benches in answers 2, 3 and 4", got[1].Themes)
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "In het Engels (3 antwoorden): benches (3)") || !strings.Contains(b.String(), "In het Arabisch: minder antwoorden") {
		t.Errorf("text:\n%s", b.String())
	}
	dutch := Compute(s, RoundInfo{ID: "r"}, map[string]int64{surveys.FieldRespondents: 2}, map[string][]string{"idee": texts[:2]}, 2)
	dutch.SplitOpenByLanguage(map[string][]string{"idee": texts[:2]}, map[string][]string{"idee": {"", ""}})
	if dutch.Questions[0].Languages != nil {
		t.Errorf("a Dutch-only question got languages: %+v", dutch.Questions[0].Languages)
	}
}
