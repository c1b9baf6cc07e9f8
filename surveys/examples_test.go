package surveys

import (
	"errors"
	"testing"
)

// TestExamples loads every example survey shipped in ../examples: they must have no
// problems, together use every question type, and each ends with the procesevaluatie.
func TestExamples(t *testing.T) {
	all, err := LoadDir("../examples")
	if err != nil {
		var probs Problems
		if errors.As(err, &probs) {
			for _, p := range probs {
				t.Error(p)
			}
		}
		t.Fatalf("LoadDir: got %v, want no problems", err)
	}
	if len(all) < 3 {
		t.Fatalf("got %d example surveys, want at least 3", len(all))
	}
	used := map[QuestionType]bool{}
	for _, s := range all {
		for _, q := range s.Questions {
			used[q.Type] = true
		}
		last := s.Questions[len(s.Questions)-1]
		if last.ID != ProcesevaluatieID {
			t.Errorf("%s: last question got %q, want %q", s.ID, last.ID, ProcesevaluatieID)
		}
	}
	for _, typ := range []QuestionType{Single, Multiple, Likert, Rating, Open, WieVanDeDrie} {
		if !used[typ] {
			t.Errorf("question type %s: got unused, want used by some example", typ)
		}
	}
}
