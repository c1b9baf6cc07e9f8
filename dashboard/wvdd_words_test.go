package dashboard

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// fillTriads opens the round and lets 26 residents answer two triads each of
// the wie-van-de-drie question, resident n the two of picks(n), and returns
// the answers of the first.
func fillTriads(h *harness, picks func(n int) [2]surveys.Answer) map[string]surveys.Answer {
	h.openRound(rid)
	mine := map[string]surveys.Answer{}
	for n := 1; n <= 26; n++ {
		pid := fmt.Sprintf("p%02d", n)
		p := surveys.Profile{Kern: []string{"Dalfsen", "Nieuwleusen"}[n%2], Leeftijd: "25-44"}
		for i, a := range picks(n) {
			h.triad(rid, pid, i, a, p)
			if n == 1 {
				mine[fmt.Sprintf("waarden#%d", i)] = a
			}
		}
	}
	return mine
}

// pick is an answer: winner picked over the two others.
func pick(winner string, others ...string) surveys.Answer {
	return surveys.Answer{Winner: winner, Losers: others}
}

// fillCloseRound: the denktank and the jongerenraad end up close together at
// the top, no clear winner.
func fillCloseRound(h *harness) map[string]surveys.Answer {
	return fillTriads(h, func(n int) [2]surveys.Answer {
		first := pick("denktank", "jongerenraad", "makelaars")
		if n%2 == 1 {
			first = pick("jongerenraad", "denktank", "makelaars")
		}
		second := [][]string{
			{"jongerenraad", "denktank", "raad-op-pad"},
			{"denktank", "jongerenraad", "raad-op-pad"},
			{"raad-op-pad", "denktank", "jongerenraad"},
		}[n%3]
		return [2]surveys.Answer{first, pick(second[0], second[1:]...)}
	})
}

// fillClearRound: the denktank is clearly first. It wins most of its triads,
// but not all, so that every option's worth is pinned by the data.
func fillClearRound(h *harness) map[string]surveys.Answer {
	return fillTriads(h, func(n int) [2]surveys.Answer {
		first := pick("denktank", "jongerenraad", "makelaars")
		switch {
		case n%5 == 0:
			first = pick("jongerenraad", "denktank", "makelaars")
		case n%7 == 0:
			first = pick("makelaars", "denktank", "jongerenraad")
		}
		second := [][]string{
			{"denktank", "raad-op-pad", "makelaars"},
			{"raad-op-pad", "jongerenraad", "makelaars"},
			{"denktank", "jongerenraad", "raad-op-pad"},
			{"makelaars", "raad-op-pad", "jongerenraad"},
		}[n%4]
		return [2]surveys.Answer{first, pick(second[0], second[1:]...)}
	})
}

// triad records a resident's answer to triad i of the wie-van-de-drie
// question, as the engine stores it ("<qid>#<i>").
func (h *harness) triad(rid, pid string, i int, a surveys.Answer, p surveys.Profile) {
	h.t.Helper()
	q := surveys.Question{ID: "waarden", Type: surveys.WieVanDeDrie}
	h.answerField(rid, pid, fmt.Sprintf("waarden#%d", i), answerValue(q, a), p)
}

// wvddSurfaces are the texts of every screen that shows the wie-van-de-drie
// outcome of the round: each cut to the part about that question.
type wvddSurfaces map[string]string

// surfaces renders the text results, the personal summary of p01, the
// stuurgroep summary, the dashboard round page and the chart's alt text of the
// closed round rid, and returns them with the ranking they all show.
func surfaces(t *testing.T, h *harness, mine map[string]surveys.Answer) (wvddSurfaces, results.RankView) {
	t.Helper()
	sv, _ := h.catalog.Survey("peiling")
	rd, err := h.store.Round(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	res, err := roundsFor(h.srv.cfg, h.store, h.catalog).View(t.Context(), sv, rd)
	if err != nil {
		t.Fatal(err)
	}
	var q results.QuestionResult
	for _, x := range res.Questions {
		if x.ID == "waarden" {
			q = x
		}
	}
	var text bytes.Buffer
	if err := results.WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	chart, ok, err := charts.Question(q)
	if err != nil || !ok {
		t.Fatalf("chart: got ok %v, err %v", ok, err)
	}
	w := h.get("/dashboard/rounds/"+rid, h.login("anna", "geheim"))
	if w.Code != http.StatusOK {
		t.Fatalf("round page: got status %d, want %d", w.Code, http.StatusOK)
	}
	page := html.UnescapeString(w.Body.String())
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	rep, err := digest.Build(digest.Input{Title: "Gemeente Dalfsen — participatie", From: from, To: time.Now().AddDate(1, 0, 0),
		Rounds: []digest.Round{{Results: res, State: digest.StateClosed}}})
	if err != nil {
		t.Fatal(err)
	}
	// The HTML digest as text: its tags out, its entities read.
	digestText := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(rep.HTML), ""))
	section := func(name, s, from, to string) string {
		i := strings.Index(s, from)
		if i < 0 {
			t.Fatalf("%s: no %q in\n%s", name, from, s)
		}
		s = s[i:]
		if j := strings.Index(s, to); j >= 0 {
			s = s[:j]
		}
		return s
	}
	return wvddSurfaces{
		"text":       section("text", text.String(), q.Text, " keuzes\n"),
		"personal":   section("personal", results.PersonalSummary(lang.Dutch(), res, mine, surveys.Profile{Kern: "Dalfsen"}), q.Text, "Uw favoriet"),
		"stuurgroep": section("stuurgroep", results.StuurgroepSummary(res), q.Text, "\x00"), // the last question, then the help
		"dashboard":  section("dashboard", page, q.Text+"</span></h3>", "</article>"),
		"chart":      chart.Alt,
		"digest":     digestText, // the help stands once, above the rounds
	}, results.Ranked(q.Ranking)
}

// TestWieVanDeDrieSameEverywhere: every screen that shows a wie-van-de-drie
// outcome gives it the same name and explanation, the same figures, the same
// order and the same places, and none uses the old words. When the first
// place is shared, none numbers a winner.
func TestWieVanDeDrieSameEverywhere(t *testing.T) {
	tests := []struct {
		name  string
		fill  func(h *harness) map[string]surveys.Answer
		clear bool
	}{
		{"clear winner", fillClearRound, true},
		{"no clear winner", fillCloseRound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			mine := tt.fill(h)
			closeRound(h)
			all, view := surfaces(t, h, mine)
			shown := view.Shown()
			if len(shown) < 3 {
				t.Fatalf("fixture: got %d options shown, want at least 3", len(shown))
			}
			if got := view.Verdict == ""; got != tt.clear {
				t.Fatalf("fixture: got clear %v (rows %+v), want %v", got, shown, tt.clear)
			}
			for name, s := range all {
				t.Run(name, func(t *testing.T) {
					checkSurface(t, name, s, view, tt.clear)
				})
			}
		})
	}
}

// checkSurface checks one screen against the ranking it must show.
func checkSurface(t *testing.T, name, s string, view results.RankView, clear bool) {
	lower := strings.ReplaceAll(strings.ToLower(s), "r-score", "") // the afspiegeling's figure, not an old ranking word
	for _, old := range []string{"winstpercentage", "kans om te winnen", "90%-band", "(kans ", "score ", "voorkeur "} {
		if strings.Contains(lower, old) {
			t.Errorf("got %q in\n%s", old, s)
		}
	}
	if !strings.Contains(s, results.RankHelp) {
		t.Errorf("got no %q in\n%s", results.RankHelp, s)
	}

	if strings.Count(lower, "winnaar") != strings.Count(s, "Geen duidelijke winnaar") {
		t.Errorf("got a winner named other than \"Geen duidelijke winnaar\" in\n%s", s)
	}
	rows := view.Shown()
	if name == "personal" || name == "stuurgroep" || name == "digest" {
		rows = rows[:min(3, len(rows))]
	}
	// what the rows listed need explained, and only that
	for _, h := range results.Help(rows) {
		if name != "chart" && !strings.Contains(s, h) {
			t.Errorf("got no %q in\n%s", h, s)
		}
	}
	// the same figures and places
	for _, r := range rows {
		want := r.Line(r.Label, false)
		if name == "dashboard" {
			want = strings.Join([]string{r.Place(), r.ValueText(), r.BandText()}, " | ")
			if r.TooFew {
				want = strings.Join([]string{r.Place(), results.TooFewText, "–"}, " | ")
			}
			if got := strings.Join(rankCells(t, s, r.Label), " | "); got != want {
				t.Errorf("row %s: got %s, want %s", r.Label, got, want)
			}
			continue
		}
		if !strings.Contains(s, want) {
			t.Errorf("got no %q in\n%s", want, s)
		}
	}
	// the same order (of the lines as shown: a label may also stand in a note)
	at := -1
	for _, r := range rows {
		i := strings.Index(s, r.Line(r.Label, false))
		if name == "dashboard" || i < 0 {
			i = strings.Index(s, r.Label)
		}
		if i < at {
			t.Errorf("got %s before the option above it, want the order %v", r.Label, labels(rows))
		}
		at = i
	}
	// a winner only when it is clear
	top := rows[0]
	switch {
	case clear:
		if strings.Contains(s, "Geen duidelijke winnaar") {
			t.Errorf("got \"Geen duidelijke winnaar\" for a clear winner in\n%s", s)
		}
		if name != "dashboard" && !strings.Contains(s, "1. "+top.Label) {
			t.Errorf("got no \"1. %s\" in\n%s", top.Label, s)
		}
	default:
		if !strings.Contains(s, view.Verdict) || !strings.HasPrefix(view.Verdict, "Geen duidelijke winnaar: ") {
			t.Errorf("got no verdict %q in\n%s", view.Verdict, s)
		}
		for _, r := range rows {
			if regexp.MustCompile(`(^|[^0-9–])1\. ` + regexp.QuoteMeta(r.Label)).MatchString(s) {
				t.Errorf("got %s numbered 1. in\n%s", r.Label, s)
			}
		}
		if name == "dashboard" && rankCells(t, s, top.Label)[0] == "1" {
			t.Errorf("got place 1 for %s, want a shared place", top.Label)
		}
		if top.Place() == "1" || !top.Shared() {
			t.Errorf("got place %s for the first, want a shared one", top.Place())
		}
	}
}

// rankCells are the place, the figure and its band in the dashboard's
// ranking row of label.
func rankCells(t *testing.T, page, label string) []string {
	t.Helper()
	re := regexp.MustCompile(`<td class="num">([^<]*)</td>\s*<th scope="row" class="text">` + regexp.QuoteMeta(label) +
		`</th>\s*<td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no ranking row %q in\n%s", label, page)
	}
	return m[1:]
}

func labels(rows []results.RankRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Label
	}
	return out
}
