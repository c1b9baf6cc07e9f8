package rounds_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestResultsOpenLimit: a view reads at most OpenLimit answers to an open
// question, themes those and says so; the counts stay those of every answer.
func TestResultsOpenLimit(t *testing.T) {
	srv := redistest.Start(t)
	st := storage.New(srv.Client(t))
	ctx := context.Background()
	sv, err := surveys.LoadFile(filepath.Join("../examples", "impor-beeldvorming.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := generateRound(t, ctx, st, sv, equivalenceCase{name: "openlimit", respondents: 120, threshold: 5, seed: 9})
	all, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: 5})
	if err != nil {
		t.Fatal(err)
	}
	view, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: 5, OpenLimit: 25})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, q := range view.Questions {
		full := all.Questions[i]
		if q.N != full.N {
			t.Errorf("%s: n %d in the view, %d in the export", q.ID, q.N, full.N)
		}
		if q.Type != string(surveys.Open) || full.N <= 25 {
			continue
		}
		checked++
		if len(q.Open) != 25 || q.OpenRead != 25 || full.OpenRead != 0 || len(full.Open) != int(full.N) {
			t.Errorf("%s: view read %d (open_read %d), export %d of %d (open_read %d)",
				q.ID, len(q.Open), q.OpenRead, len(full.Open), full.N, full.OpenRead)
		}
	}
	if checked == 0 {
		t.Fatal("no open question with more answers than the limit")
	}
	var text bytes.Buffer
	if err := results.WriteText(&text, view); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Thema's (uit 25 van de ") {
		t.Errorf("the text does not say the themes are of the answers read:\n%s", text.String())
	}
}

// TestResultsOpenAnswersByLanguage: when residents read the round in other
// languages, the results split the open answers by the language they were written
// in, read with the answers; a Dutch-only round does not.
func TestResultsOpenAnswersByLanguage(t *testing.T) {
	srv := redistest.Start(t)
	st := storage.New(srv.Client(t))
	ctx := context.Background()
	loc := time.UTC
	sv := &surveys.Survey{ID: "plein", Title: "Het plein", Questions: []surveys.Question{{ID: "idee", Type: surveys.Open, Text: "Wat wilt u nog kwijt?"}}}
	svc := rounds.New(rounds.Config{Location: loc}, st, surveys.NewCatalog([]*surveys.Survey{sv}), nil, nil)
	r, err := svc.Open(ctx, sv, time.Date(2026, 12, 1, 9, 0, 0, 0, loc))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct{ lang, text string }{
		{"", "Meer bankjes"}, {"", "Bankjes bij de kerk"}, {"en", "More benches"}, {"en", "Old benches"}, {"ar", "المقاعد قديمة"},
	} {
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: r.ID, Participant: fmt.Sprint("p", i), Field: "idee",
			Value: "t" + a.text, Kern: "Dalfsen", Lang: a.lang}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range res.Questions[0].Languages {
		got = append(got, fmt.Sprintf("%s:%d:%v", l.Lang, l.N, l.Suppressed))
	}
	if strings.Join(got, " ") != "nl:2:false en:2:false ar:0:true" {
		t.Errorf("open answers by language: %v", got)
	}
	if res.ByTaal == nil { // given, though with 1 of 5 in Arabic the breakdown hides every group
		t.Errorf("no respondents by language")
	}
}
