package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

var (
	ageLabels = []string{"16 – 24 jaar", "25 – 44 jaar", "45 – 64 jaar", "65 jaar of ouder"}
	ageIDs    = []string{"16-24", "25-44", "45-64", "65+"}
	kernen    = []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum"}
	posities  = []string{"Aan de voorkant", "In de ontwerpfase", "Bij de uitvoering", "Geen rol"}
	kansen    = []string{"Koppelkansen", "Wijkgericht werken", "Korte lijnen"}
	likert    = []string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"}
)

// expect counts what the residents did, independently of the service.
type expect struct {
	mu      sync.Mutex
	counts  map[string]int64 // "<qid>:<label>" -> count
	wins    map[string]int64 // label -> picked
	shown   map[string]int64 // label -> shown in an answered triad
	byKern  map[string]int64
	open    map[string][]string
	skipped map[string]int64
	answers map[int64]map[string]surveys.Answer // per resident, as PersonalSummary takes them
	survey  *surveys.Survey
}

// id finds an option id by its label.
func (e *expect) id(qid, label string) string {
	for _, q := range e.survey.Questions {
		for _, o := range q.Options {
			if q.ID == qid && o.Label == label {
				return o.ID
			}
		}
	}
	panic("no option " + label)
}

func (e *expect) answer(uid int64, field string, a surveys.Answer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.answers[uid] == nil {
		e.answers[uid] = map[string]surveys.Answer{}
	}
	e.answers[uid][field] = a
}

func newExpect(sv *surveys.Survey) *expect {
	return &expect{counts: map[string]int64{}, wins: map[string]int64{}, shown: map[string]int64{},
		open: map[string][]string{}, skipped: map[string]int64{},
		answers: map[int64]map[string]surveys.Answer{}, survey: sv}
}

func loadE2E(t *testing.T) *surveys.Survey {
	t.Helper()
	sv, err := surveys.LoadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// results reads a round's results the way an organiser does: the CLI's JSON.
func (h *harness) results(rid string) *results.Results {
	h.t.Helper()
	var res results.Results
	if err := json.Unmarshal([]byte(h.cli("results", rid, "--format", "json")), &res); err != nil {
		h.t.Fatal(err)
	}
	return &res
}

func (e *expect) add(qid, label string) {
	e.mu.Lock()
	e.counts[qid+":"+label]++
	e.mu.Unlock()
}

// plan is what resident i answers.
func plan(i int) (pos int, ks []int, lik, cijfer int, skipBeter bool) {
	for k := range kansen {
		if i>>k&1 == 1 {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		ks = []int{0}
	}
	return i % 4, ks, i % 5, i%10 + 1, i%2 == 0
}

// answerRound takes resident i from the invitation through all seven questions.
// progress, when not nil, counts residents past question 3.
func answerRound(r *resident, i int, exp *expect, progress *atomic.Int64) error {
	if _, err := r.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
		return err
	}
	pos, ks, lik, cijfer, skipBeter := plan(i)
	if _, err := r.step("Vraag 1 van 7", posities[pos]); err != nil {
		return err
	}
	m, err := r.await("Vraag 2 van 7")
	if err != nil {
		return err
	}
	for _, k := range ks {
		if err := r.press(m, "☐ "+kansen[k]); err != nil {
			return err
		}
	}
	if err := r.press(m, "Klaar"); err != nil {
		return err
	}
	if _, err := r.step("Vraag 3 van 7", likert[lik]); err != nil {
		return err
	}
	if progress != nil {
		progress.Add(1)
	}
	if _, err := r.step("Vraag 4 van 7", fmt.Sprint(cijfer)); err != nil {
		return err
	}
	if _, err := r.await("Vraag 5 van 7"); err != nil {
		return err
	}
	goed := fmt.Sprintf("Korte lijnen met de gemeente 👍 (inwoner %d)", i)
	r.h.tg.SendText(r.uid, goed)
	for t := 1; t <= 2; t++ {
		m, err := r.await(fmt.Sprintf("Vraag 6 van 7 · keuze %d van 2", t))
		if err != nil {
			return err
		}
		if len(m.Keyboard) < 3 {
			return fmt.Errorf("triad keyboard %v", m.Keyboard)
		}
		pick := m.Keyboard[i%3][0].Text
		if err := r.press(m, pick); err != nil {
			return err
		}
		a := surveys.Answer{Winner: exp.id("waarden", pick)}
		exp.mu.Lock()
		exp.wins[pick]++
		for _, row := range m.Keyboard[:3] {
			exp.shown[row[0].Text]++
			if row[0].Text != pick {
				a.Losers = append(a.Losers, exp.id("waarden", row[0].Text))
			}
		}
		exp.mu.Unlock()
		exp.answer(r.uid, fmt.Sprintf("waarden#%d", t-1), a)
	}
	m, err = r.await("Vraag 7 van 7")
	if err != nil {
		return err
	}
	beter := fmt.Sprintf("Meer terugkoppeling over besluiten (inwoner %d)", i)
	if skipBeter {
		err = r.press(m, "Overslaan")
	} else {
		r.h.tg.SendText(r.uid, beter)
	}
	if err != nil {
		return err
	}
	if _, err := r.await("Klaar, bedankt!"); err != nil {
		return err
	}
	exp.add("positie", posities[pos])
	exp.answer(r.uid, "positie", surveys.Answer{Options: []string{exp.id("positie", posities[pos])}})
	var kansIDs []string
	for _, k := range ks {
		exp.add("kansen", kansen[k])
		kansIDs = append(kansIDs, exp.id("kansen", kansen[k]))
	}
	exp.answer(r.uid, "kansen", surveys.Answer{Options: kansIDs})
	exp.answer(r.uid, "luistert", surveys.Answer{Options: []string{fmt.Sprint(lik + 1)}})
	exp.answer(r.uid, "cijfer", surveys.Answer{Options: []string{fmt.Sprint(cijfer)}})
	exp.answer(r.uid, "goed", surveys.Answer{Text: goed})
	if skipBeter {
		exp.answer(r.uid, "beter", surveys.Answer{Skipped: true})
	} else {
		exp.answer(r.uid, "beter", surveys.Answer{Text: beter})
	}
	exp.add("luistert", likert[lik])
	exp.add("cijfer", fmt.Sprint(cijfer))
	exp.mu.Lock()
	defer exp.mu.Unlock()
	exp.open["goed"] = append(exp.open["goed"], goed)
	if skipBeter {
		exp.skipped["beter"]++
	} else {
		exp.open["beter"] = append(exp.open["beter"], beter)
	}
	return nil
}

func TestEndToEndRoundOnTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.serve()
	const n = 50
	sv := loadE2E(t)
	exp := newExpect(sv)
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(1000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})

	// Resident 49 blocks the bot before the round opens.
	blocked := residents[n-1]
	before := len(callsTo(h, "", blocked.uid, 0))
	h.tg.Block(blocked.uid)

	out := h.cli("rounds", "open", "e2e")
	if !strings.Contains(out, "is open tot") {
		t.Fatalf("rounds open: got %q", out)
	}
	rid := strings.Fields(out)[1]

	parallel(t, n-1, func(i int) error {
		return answerRound(residents[i], i, exp, nil)
	})

	// Resident 3 changes the first answer after finishing; resident 5 taps twice.
	r3 := residents[3]
	if _, err := r3.step("Klaar, bedankt!", "Antwoorden wijzigen"); err != nil {
		t.Fatal(err)
	}
	if _, err := r3.step("Welk antwoord wilt u wijzigen?", "Vraag 1"); err != nil {
		t.Fatal(err)
	}
	old, _, _, _, _ := plan(3)
	newPos := (old + 1) % 4
	if _, err := r3.step("Vraag 1 van 7", posities[newPos]); err != nil {
		t.Fatal(err)
	}
	// back to the end, with the answers as they are now
	if _, err := r3.await("1. Wat is uw positie in het huidige proces? – " + posities[newPos]); err != nil {
		t.Fatal(err)
	}
	exp.counts["positie:"+posities[old]]--
	exp.counts["positie:"+posities[newPos]]++
	exp.answer(r3.uid, "positie", surveys.Answer{Options: []string{exp.id("positie", posities[newPos])}})

	// The blocked resident was tried once and then marked inactive, not retried forever.
	h.tg.WaitFor(t, 10*time.Second, "the invitation to the blocked resident", func() bool {
		return len(callsTo(h, "sendMessage", blocked.uid, 403)) == 1
	})

	// A decision before the results are out is refused with a clear message.
	besluit := filepath.Join(t.TempDir(), "besluit.txt")
	if err := os.WriteFile(besluit, []byte("De raad besloot …"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	if code := run(context.Background(), []string{"decide", rid, "--text", besluit}, h.getenv, io.Discard, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "de uitslag is nog niet verstuurd") {
		t.Errorf("decide before close: got exit %d %q, want 1 and a clear message", code, stderr.String())
	}

	h.cli("rounds", "close", rid)
	for i := 0; i < n-1; i++ {
		if _, err := residents[i].await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	h.tg.WaitFor(t, 10*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") == 1 })

	res := h.results(rid)
	checkResults(t, res, exp, n-1, n)
	kernOf := map[int64]string{}
	for i, r := range residents {
		kernOf[r.uid] = kernen[i%6]
	}
	checkRawExports(t, h, rid, exp, kernOf)
	checkDigestCommand(t, h, sv, exp)

	// Every participant's results message is exactly the personal summary of the
	// answers the test gave, beside the totals checked above.
	res.Survey = sv
	wantCharts := resultCharts(t, res)
	defer func() {
		// Each chart is uploaded about once; the other sends reuse its file_id.
		uploads, sends := 0, 0
		for i := 0; i < n-1; i++ {
			for _, m := range h.tg.Chat(residents[i].uid) {
				if m.Photo != nil {
					sends++
					if m.Photo.Uploaded {
						uploads++
					}
				}
			}
		}
		t.Logf("charts: %d sends, %d uploads", sends, uploads)
		if sends != (n-1)*len(wantCharts) || uploads > sends/4 {
			t.Errorf("charts: %d sends with %d uploads, want %d sends and the file_id reused", sends, uploads, (n-1)*len(wantCharts))
		}
	}()
	for i := 0; i < n-1; i++ {
		uid := residents[i].uid
		h.tg.WaitFor(t, 10*time.Second, "the charts", func() bool { return countPhotos(h.tg.Chat(uid)) >= len(wantCharts) })
		msgs := h.tg.Chat(uid)
		checkCharts(t, msgs, wantCharts)
		got := lastPrefix(msgs, "Bedankt voor uw deelname")
		if want := results.PersonalSummary(lang.Dutch(), res, exp.answers[residents[i].uid], surveys.Profile{Kern: kernen[i%6]}); got != want {
			t.Errorf("resident %d: results message\n%s\nwant\n%s", i, got, want)
		}
		if c := countPrefix(msgs, "Bedankt voor uw deelname"); c != 1 {
			t.Errorf("resident %d: got %d results messages, want 1", i, c)
		}
	}
	if c := countPrefix(h.tg.Chat(blocked.uid), "Bedankt voor uw deelname"); c != 0 {
		t.Errorf("blocked resident got %d results messages, want 0", c)
	}
	if got := len(callsTo(h, "", blocked.uid, 0)) - before; got != 1 {
		t.Errorf("calls to the blocked resident after blocking: got %d, want 1", got)
	}
	if got, want := h.tg.Chat(-100999)[0].Text, results.StuurgroepSummary(res); got != want {
		t.Errorf("stuurgroep summary\n%s\nwant\n%s", got, want)
	}
}

func checkResults(t *testing.T, res *results.Results, exp *expect, n, invited int64) {
	t.Helper()
	if res.Respondents != n || res.Completed != n || res.Invited != invited {
		t.Errorf("respondents/completed/invited: got %d/%d/%d, want %d/%d/%d", res.Respondents, res.Completed, res.Invited, n, n, invited)
	}
	for _, q := range res.Questions {
		switch q.Type {
		case "single", "multiple", "likert", "rating":
			for _, o := range q.Options {
				if want := exp.counts[q.ID+":"+o.Label]; o.Count != want {
					t.Errorf("%s %q: got %d, want %d", q.ID, o.Label, o.Count, want)
				}
			}
			if q.N != n {
				t.Errorf("%s: got n %d, want %d", q.ID, q.N, n)
			}
		case "wievandedrie":
			for _, rk := range q.Ranking {
				if rk.Wins != exp.wins[rk.Label] || rk.Shown != exp.shown[rk.Label] {
					t.Errorf("%s %q: got %d/%d, want %d/%d", q.ID, rk.Label, rk.Wins, rk.Shown, exp.wins[rk.Label], exp.shown[rk.Label])
				}
			}
		case "open":
			if got, want := len(q.Open), len(exp.open[q.ID]); got != want {
				t.Errorf("%s: got %d open answers, want %d", q.ID, got, want)
			}
			if q.Skipped != exp.skipped[q.ID] {
				t.Errorf("%s: got %d skipped, want %d", q.ID, q.Skipped, exp.skipped[q.ID])
			}
		}
	}
}

func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn(i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
