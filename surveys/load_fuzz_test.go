package surveys

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzLoad parses arbitrary files as surveys: it must never panic, and what it
// returns stays bounded: at most limProblems+1 problems in position order with short
// messages, or a survey within the limits. The seed corpus in testdata/fuzz/FuzzLoad
// holds alias-heavy files; the example surveys are added here.
// go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime=10s ./surveys
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../examples", "testdata", "testdata/dir-ok", "testdata/dir-bad"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.y*ml"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(baseSurvey))
	// Texts per language (the translated example is among the files above).
	f.Add([]byte(strings.Replace(baseSurvey, "title: Test", "title: {nl: Test, en: Test, ar: اختبار}\ntalen: [tr, uk]", 1)))
	f.Add([]byte(strings.Replace(baseSurvey, "[Ja, Nee]", "[{nl: Ja, en: \"Yes\"}, {label: {nl: Nee, en: \"No\"}, kort: {nl: N, EN: \"\"}}]", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err == nil {
			checkSurveyBounded(t, s)
			return
		}
		if s != nil {
			t.Errorf("got survey %q and problems, want one of them", s.ID)
		}
		var probs Problems
		if !errors.As(err, &probs) {
			t.Fatalf("got error %T %v, want Problems", err, err)
		}
		if len(probs) == 0 || len(probs) > limProblems+1 {
			t.Fatalf("got %d problems, want 1 to %d", len(probs), limProblems+1)
		}
		sorted := slices.IsSortedFunc(probs, func(a, b Problem) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		if !sorted {
			t.Errorf("got problems out of position order: %v", probs)
		}
		for _, p := range probs {
			if p.Msg == "" || len(p.Msg) > 2000 {
				t.Errorf("got a message of %d bytes at %d:%d, want 1 to 2000", len(p.Msg), p.Line, p.Col)
			}
			if p.Line < 1 || p.Col < 1 || p.File != "fuzz.yaml" {
				t.Errorf("got problem at %s:%d:%d, want a position in fuzz.yaml", p.File, p.Line, p.Col)
			}
		}
	})
}

// checkSurveyBounded checks that an accepted survey keeps the limits of the format.
func checkSurveyBounded(t *testing.T, s *Survey) {
	t.Helper()
	if s == nil || len(s.Questions) == 0 {
		t.Fatalf("got survey %v without questions and no problems", s)
	}
	// One more than limQuestions: the procesevaluatie is added to the file's.
	if len(s.Questions) > limQuestions+1 {
		t.Errorf("got %d questions, want at most %d", len(s.Questions), limQuestions+1)
	}
	for _, q := range s.Questions {
		if len(q.Options) > limPool {
			t.Errorf("question %q: got %d options, want at most %d", q.ID, len(q.Options), limPool)
		}
		ids := map[string]bool{}
		for _, o := range q.Options {
			if ids[o.ID] || !validKeyID(o.ID) {
				t.Errorf("question %q: got option id %q twice or invalid", q.ID, o.ID)
			}
			ids[o.ID] = true
		}
	}
}
