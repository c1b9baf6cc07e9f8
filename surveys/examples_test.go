package surveys

import (
	"errors"
	"regexp"
	"slices"
	"strings"
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
		for _, w := range s.Warnings {
			t.Errorf("%s: got warning %s, want none in an example", s.ID, w.Text())
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

// exampleIDs are the question and option ids of the shipped examples, as the first
// versions made them: a round's tallies are counted under them, so rewording a text
// must keep them. Likert, rating and the procesevaluatie have the generated ids.
var exampleIDs = map[string]map[string][]string{
	"burgerpeiling": {
		"doet-wat-ze-zegt": nil, "luistert": nil, "flexibel": nil, "betrekken": nil, "initiatieven": nil, "toezicht": nil,
		"vertrouwen": {"zeer-veel", "veel", "neutraal", "weinig", "zeer-weinig"},
		"cijfer":     nil, "verbeteren": nil, ProcesevaluatieID: nil,
	},
	"goed-goan-wie-van-de-drie": {
		"waarden": {"raad-op-pad", "jongerenraad", "subsidie-initiatieven", "denktank", "tweemaandelijks",
			"een-aanspreekpunt-voor", "communiceer-de-besluiten", "gebiedsmakelaars-die", "onafhankelijke",
			"heldere-spelregels-voor", "altijd-terugkoppeling", "een-andere-opzet-voor"},
		"rol-raad": {"de-raad-gaat-zelf-het", "de-raad-stelt-vooraf-het", "het-college-voert-het", "de-raad-besluit-achteraf", "weet-ik-niet"},
		"idee":     nil, ProcesevaluatieID: nil,
	},
	"impor-beeldvorming": {
		"gaat-goed": nil, "kan-beter": nil,
		"positie-huidig":   {"voorkant", "ontwerp", "uitvoering", "beheer", "geen-rol"},
		"positie-toekomst": {"voorkant", "ontwerp", "uitvoering", "beheer", "geen-rol"},
		"afweging": {"gezondheid", "klimaat-en-water", "verkeer", "duurzaamheid-en", "wonen-en-ruimtelijke",
			"spelen", "riolering", "beheer-en-onderhoud", "sociaal-domein"},
		"kansen": nil, "risicos": nil, "succesfactoren": nil, "randvoorwaarden": nil, ProcesevaluatieID: nil,
	},
}

// TestExampleIDsStable checks that the examples keep the ids of their questions and
// options, in order, whatever their texts say.
func TestExampleIDsStable(t *testing.T) {
	all, err := LoadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		want, ok := exampleIDs[s.ID]
		if !ok {
			t.Errorf("survey %s: got an example without ids in exampleIDs, want it listed", s.ID)
			continue
		}
		if len(s.Questions) != len(want) {
			t.Errorf("%s: got %d questions, want %d", s.ID, len(s.Questions), len(want))
		}
		for _, q := range s.Questions {
			opts, ok := want[q.ID]
			if !ok {
				t.Errorf("%s: got question %q, want only the questions of exampleIDs", s.ID, q.ID)
				continue
			}
			if opts == nil {
				continue
			}
			got := make([]string, len(q.Options))
			for i, o := range q.Options {
				got[i] = o.ID
			}
			if !slices.Equal(got, opts) {
				t.Errorf("%s, vraag %s: got option ids %v, want %v", s.ID, q.ID, got, opts)
			}
		}
	}
}

// jargon are words of the municipal organisation that residents do not know; an
// example uses none (B1). (Go's \b is ASCII: worldcafé is matched without it.)
var jargon = regexp.MustCompile(`(?i)\b(MT|DT|B&W|integraal|integrale|kadernota|programmeren|beeldvorming|stakeholders?|burgerparticipatie|overheidsparticipatie|realiseren|kerngericht|procesbegeleiders?|samenspel)\b|(?i)worldcaf`)

// TestExamplesPlainLanguage checks the texts residents read in the examples (title,
// participatiekaart, questions, options) for jargon from the seed documents, and that
// IMPOR is explained where it first appears.
func TestExamplesPlainLanguage(t *testing.T) {
	all, err := LoadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		texts := []string{s.Title, s.Card.Doel, s.Card.WatGebeurtErMee}
		for _, q := range s.Questions {
			texts = append(texts, q.Text)
			for _, o := range q.Options {
				texts = append(texts, o.Label)
			}
		}
		impor := false
		for _, text := range texts {
			if m := jargon.FindString(text); m != "" {
				t.Errorf("%s: got %q in %q, want plain words", s.ID, m, text)
			}
			if i := strings.Index(text, "IMPOR"); i >= 0 && !impor {
				impor = true
				if !strings.Contains(text[:i], "onderhoud van straten, groen en riolering") {
					t.Errorf("%s: got IMPOR first in %q, want it explained before it", s.ID, text)
				}
			}
		}
	}
}
