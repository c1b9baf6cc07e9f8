package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestDigestOutWritesFolderAndCharts: `digest --out DIR` makes DIR when it is
// missing and writes, beside the .md and .html, every PNG chart the .md links
// to.
func TestDigestOutWritesFolderAndCharts(t *testing.T) {
	h := newHarness(t)
	sv, err := surveys.LoadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h.cli("rounds", "open", "e2e")
	st := storage.New(h.redis.Client(t))
	rounds, err := st.Rounds(t.Context())
	if err != nil || len(rounds) != 1 {
		t.Fatalf("rounds: got %d, %v", len(rounds), err)
	}
	rid := rounds[0].ID
	for i := range 12 {
		for _, q := range sv.Questions[:4] { // single, multiple, likert, rating
			a := surveys.Answer{Options: []string{q.Options[i%len(q.Options)].ID}}
			w := storage.AnswerWrite{Round: rid, Participant: fmt.Sprintf("p%02d", i), Field: q.ID,
				Value: surveys.EncodeAnswer(q, a), Kern: []string{"Dalfsen", "Nieuwleusen"}[i%2]}
			if _, err := st.RecordAnswer(t.Context(), w); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.cli("rounds", "close", rid)

	dir := filepath.Join(t.TempDir(), "verslagen", "2026") // two levels that do not exist
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	out := h.cli("digest", "--maand", time.Now().In(loc).Format("2006-01"), "--out", dir)
	if !strings.Contains(out, "grafieken (PNG)") {
		t.Errorf("output: got\n%s\nwant it to name the charts", out)
	}
	mds, err := filepath.Glob(filepath.Join(dir, "participatie-digest-*.md"))
	if err != nil || len(mds) != 1 {
		t.Fatalf("markdown: got %v, %v", mds, err)
	}
	md, err := os.ReadFile(mds[0])
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`!\[[^\n]*?\]\(([^)\s]+\.png)\)`).FindAllSubmatch(md, -1)
	if len(links) < 4 {
		t.Fatalf("markdown: got %d chart links, want one per closed question at least", len(links))
	}
	for _, l := range links {
		b, err := os.ReadFile(filepath.Join(dir, string(l[1])))
		if err != nil {
			t.Errorf("chart %s: %v", l[1], err)
			continue
		}
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			t.Errorf("chart %s: not a PNG: %v", l[1], err)
		}
	}
}
