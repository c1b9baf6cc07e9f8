package results

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// resSurveyEN is resSurvey in English, but without the question "goed" and the
// option "bus": their texts must stay as they are.
func resSurveyEN() *surveys.Survey {
	s := resSurvey()
	s.Title = "Residents' survey Dalfsen"
	en := map[string]string{"luistert": "The municipality listens enough", "cijfer": "What mark do you give?",
		"vervoer": "How do you get to the centre?", "thema": "Which themes matter to you?", "waarden": "Which of the three fits best?"}
	labels := map[string]string{"1": "Strongly disagree", "5": "Strongly agree", "fiets": "Bike", "auto": "Car",
		"groen": "Green", "a": "Green", "b": "Safe", "c": "Together", "d": "Affordable", "e": "Sporty"}
	var qs []surveys.Question
	for _, q := range s.Questions {
		if q.ID == "goed" {
			continue
		}
		q.Text = en[q.ID]
		var opts []surveys.Option
		for _, o := range q.Options {
			if o.ID == "bus" {
				continue
			}
			if l, ok := labels[o.ID]; ok {
				o.Label = l
			}
			opts = append(opts, o)
		}
		q.Options = opts
		qs = append(qs, q)
	}
	s.Questions = qs
	return s
}

// untranslated is t with the texts of r put back, to compare everything else.
func untranslated(t, r *Results) *Results {
	cp := *t
	cp.Survey, cp.Title = r.Survey, r.Title
	cp.Questions = append([]QuestionResult(nil), t.Questions...)
	for i := range cp.Questions {
		q, o := &cp.Questions[i], r.Questions[i]
		q.Text = o.Text
		q.Options = append([]OptionResult(nil), q.Options...)
		for k := range q.Options {
			q.Options[k].Label = o.Options[k].Label
		}
		q.Ranking = append([]RankResult(nil), q.Ranking...)
		for k := range q.Ranking {
			q.Ranking[k].Label = o.Ranking[k].Label
		}
	}
	return &cp
}

func TestResultsIn(t *testing.T) {
	r := resResults()
	before, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	en := resSurveyEN()
	got := r.In(en)
	if got == r {
		t.Fatal("got the results themselves, want a copy")
	}
	q := map[string]QuestionResult{}
	for _, x := range got.Questions {
		q[x.ID] = x
	}
	label := func(qid, oid string) string {
		for _, o := range q[qid].Options {
			if o.ID == oid {
				return o.Label
			}
		}
		for _, o := range q[qid].Ranking {
			if o.ID == oid {
				return o.Label
			}
		}
		return "(none)"
	}
	tests := []struct{ name, got, want string }{
		{"title", got.Title, "Residents' survey Dalfsen"},
		{"question text", q["vervoer"].Text, "How do you get to the centre?"},
		{"option label", label("vervoer", "fiets"), "Bike"},
		{"likert label", label("luistert", "5"), "Strongly agree"},
		{"ranking label", label("waarden", "b"), "Safe"},
		{"unknown question keeps its text", q["goed"].Text, "Wat gaat goed?"},
		{"unknown option keeps its label", label("vervoer", "bus"), "Bus"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if got.Survey != en {
		t.Errorf("Survey: got %p, want the translated survey %p", got.Survey, en)
	}
	// Everything but the texts is the same: every number, the order, the open answers.
	if back := untranslated(got, r); !reflect.DeepEqual(back, r) {
		t.Errorf("with the texts put back: got\n%+v\nwant\n%+v", back, r)
	}
	after, _ := json.Marshal(r)
	if string(after) != string(before) {
		t.Error("In changed the results it was called on")
	}
}

func TestResultsInNoSurvey(t *testing.T) {
	r := resResults()
	if got := r.In(nil); got != r {
		t.Error("In(nil): got a copy, want the results themselves")
	}
	other := resSurveyEN()
	other.ID = "iets-anders"
	if got := r.In(other); got != r {
		t.Error("In(another survey): got a copy, want the results themselves")
	}
	var none *Results
	if got := none.In(resSurveyEN()); got != nil {
		t.Error("nil results: got results, want nil")
	}
}

// TestResultsInExample computes results of the translated example survey and reads
// them in each of its languages: the texts are those of the survey in that language,
// the numbers those of the Dutch results.
func TestResultsInExample(t *testing.T) {
	s, err := surveys.LoadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tallies := map[string]int64{"respondents": 30, "completed": 28,
		"q:luistert:n": 30, "q:luistert:o:1": 3, "q:luistert:o:4": 15, "q:luistert:o:5": 12,
		"q:vertrouwen:n": 30, "q:vertrouwen:o:veel": 20, "q:vertrouwen:o:weinig": 10}
	r := Compute(s, resRound, tallies, nil, 10)
	for _, c := range s.Languages() {
		sc := s.In(c)
		got := r.In(sc)
		if got.Title != sc.Title {
			t.Errorf("%s: title got %q, want %q", c, got.Title, sc.Title)
		}
		for i, q := range got.Questions {
			if q.Text != sc.Questions[i].Text {
				t.Errorf("%s, %s: text got %q, want %q", c, q.ID, q.Text, sc.Questions[i].Text)
			}
			for k, o := range q.Options {
				if o.Label != sc.Questions[i].Options[k].Label {
					t.Errorf("%s, %s: label %s got %q, want %q", c, q.ID, o.ID, o.Label, sc.Questions[i].Options[k].Label)
				}
			}
		}
		if back := untranslated(got, r); !reflect.DeepEqual(back.Questions, r.Questions) {
			t.Errorf("%s: got other figures than the Dutch results", c)
		}
	}
	ar := r.In(s.In(lang.AR))
	if got, want := ar.Questions[1].Options[4].Label, "أوافق بشدة"; got != want {
		t.Errorf("Arabic likert point 5: got %q, want %q", got, want)
	}
	if got, want := ar.Questions[6].Options[1].Label, "ثقة كبيرة"; got != want {
		t.Errorf("Arabic option veel: got %q, want %q", got, want)
	}
}
