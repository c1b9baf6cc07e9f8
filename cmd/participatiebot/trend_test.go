package main

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
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
	likert, rating := trendRounds(t, h, sv)
	ctx := context.Background()
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

// trendRounds makes two closed rounds of sv six months apart, 200 answers each:
// the Likert statement with 60, then 140 in agreement, the mark 7 in both.
func trendRounds(t *testing.T, h *harness, sv *surveys.Survey) (likert, rating surveys.Question) {
	t.Helper()
	st := storage.New(h.redis.Client(t))
	ctx := context.Background()
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
	return likert, rating
}

// TestTrendCharts: --format png writes a line chart per figure with rounds (the
// statement and the mark; the questions nobody answered have none) into the
// folder, each a PNG of the charts' width, printed with its alt text; the
// statement's indicator target is drawn in its colour, and the mark, without
// an indicator, has none; --format png needs --out.
func TestTrendCharts(t *testing.T) {
	h := newHarness(t)
	sv := loadE2E(t)
	trendRounds(t, h, sv)
	yaml := filepath.Join(h.env["SURVEYS_DIR"], "e2e.yaml")
	data, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte(`
indicatoren:
  - vraag: luistert
    doel: ">= 50"
    jaar: 2027
    eigenaar: "wethouder participatie"
referenties:
  - vraag: luistert
    waarde: 55
    bron: "landelijke burgerpeiling"
    jaar: 2026
`)...)
	if err := os.WriteFile(yaml, data, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "trend")
	out := h.cli("trend", "e2e", "--format", "png", "--out", dir)
	for _, want := range []string{filepath.Join(dir, "trend-e2e-luistert.png") + "\n  Lijndiagram: De gemeente luistert",
		"Van 30% in maart 2026 naar 70% in september 2026: gestegen.", "Doel ≥ 50% in 2027 (wethouder participatie).",
		"Vergelijking 55% (landelijke burgerpeiling, 2026).", filepath.Join(dir, "trend-e2e-cijfer.png") + "\n  Lijndiagram:",
		"Van 7,0 in maart 2026 naar 7,0 in september 2026: gelijk gebleven."} {
		if !strings.Contains(out, want) {
			t.Errorf("trend png: no %q in\n%s", want, out)
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Errorf("got %d files %v, want 2", len(files), files)
	}
	vermillion := color.RGBA{R: 0xD5, G: 0x5E, A: 0xFF}
	for _, tt := range []struct {
		file   string
		target bool
	}{{"trend-e2e-luistert.png", true}, {"trend-e2e-cijfer.png", false}} {
		f, err := os.Open(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if b := img.Bounds(); b.Dx() != 1080 || b.Dy() < 800 || b.Dy() > 2400 {
			t.Errorf("%s: got %v, want 1080 wide and 800 to 2400 high", tt.file, b)
		}
		n := 0
		for y := range img.Bounds().Dy() {
			for x := range img.Bounds().Dx() {
				if color.RGBAModel.Convert(img.At(x, y)) == vermillion {
					n++
				}
			}
		}
		if got := n > 500; got != tt.target {
			t.Errorf("%s: got %d pixels of the target's colour, want a target line %v", tt.file, n, tt.target)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"trend", "e2e", "--format", "png"}, h.getenv, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), "--out MAP") {
		t.Errorf("png without --out: exit %d, %q", code, stderr.String())
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
