package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestTrendCommand: two closed rounds of a survey, the second with many more in
// agreement: the trend says "gestegen" for it and "gelijk gebleven" for the mark
// that stayed; CSV is for Dutch Excel; an unknown survey is named with the ones
// there are.
func TestTrendCommand(t *testing.T) {
	h := newHarness(t)
	sv := loadE2E(t)
	st := storage.New(h.redis.Client(t))
	ctx := context.Background()
	var likert, rating surveys.Question
	for _, q := range sv.Questions {
		switch q.Type {
		case surveys.Likert:
			likert = q
		case surveys.Rating:
			rating = q
		}
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for k, agree := range []int{60, 140} {
		rid := fmt.Sprintf("e2e-2026%02d01-0900", 3+6*k)
		opens := at.AddDate(0, 6*k, 0)
		if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "e2e", Slot: opens.Format("2006-01-02T15:04"), OpensAt: opens,
			ClosesAt: opens.Add(time.Hour), Wording: surveys.Wording(sv)}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, rid, storage.Scheduled, storage.Opened, opens); err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			l := "2"
			if i < agree {
				l = "4"
			}
			for _, a := range []struct {
				q surveys.Question
				v string
			}{{likert, l}, {rating, "7"}} {
				q, v := a.q, a.v
				if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: fmt.Sprintf("p%d", i), Field: q.ID,
					Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{v}})}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := st.Transition(ctx, rid, storage.Opened, storage.Closed, opens.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	out := h.cli("trend", "e2e")
	for _, want := range []string{"Trend: Proef IMPOR: alle vraagsoorten (2 rondes)", likert.Text + " — (zeer) mee eens",
		"e2e-20260901-0900: 70% (63,3%–75,9%): gestegen (+40 procentpunten)", rating.Text + " — gemiddeld cijfer",
		"e2e-20260901-0900: 7,0 (7,0–7,0): gelijk gebleven (0,0)"} {
		if !strings.Contains(out, want) {
			t.Errorf("trend: no %q in\n%s", want, out)
		}
	}
	csv := h.cli("trend", "e2e", "--format", "csv")
	if !strings.HasPrefix(csv, "\ufeffvraag;optie;") || !strings.Contains(csv, ";70,00;") {
		t.Errorf("csv: got %q", csv[:min(200, len(csv))])
	}
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"trend", "burgerpeilng"}, h.getenv, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), `er is geen vragenlijst "burgerpeilng"`) {
		t.Errorf("unknown survey: exit %d, %q", code, stderr.String())
	}
}

// TestValidateReworded: with REDIS_URL, validate warns about a question that the
// survey's last round asked in other words; the file is valid all the same.
func TestValidateReworded(t *testing.T) {
	h := newHarness(t)
	sv := loadE2E(t)
	st := storage.New(h.redis.Client(t))
	opens := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(context.Background(), &storage.Round{ID: "e2e-20260301-0900", Survey: "e2e", Slot: "2026-03-01T09:00",
		OpensAt: opens, ClosesAt: opens.Add(time.Hour), Wording: surveys.Wording(sv)}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "e2e.yaml")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(data), "De gemeente luistert voldoende naar de mening van de inwoners",
		"De gemeente luistert goed naar de inwoners", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"validate", changed, "testdata/e2e.yaml"}, h.getenv, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	want := changed + `: waarschuwing: de vraag "luistert" is anders gesteld dan in ronde e2e-20260301-0900`
	if !strings.Contains(errb.String(), want) || strings.Count(errb.String(), "anders gesteld") != 1 {
		t.Errorf("stderr: got\n%s\nwant one warning %q", errb.String(), want)
	}
}
