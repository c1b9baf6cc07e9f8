package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
)

// liveExports are every export an organiser can take of an open round, by name.
func liveExports(t *testing.T, h *harness) map[string]string {
	t.Helper()
	rid := openRoundID(t, h)
	out := map[string]string{}
	for _, f := range []string{"text", "json", "csv", "csv-intl"} {
		out[f] = h.cli("results", rid, "--format", f)
	}
	dir := t.TempDir()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	h.cli("digest", "--maand", time.Now().In(loc).Format("2006-01"), "--out", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out["digest "+filepath.Ext(f)] = string(b)
	}
	return out
}

func openRoundID(t *testing.T, h *harness) string {
	t.Helper()
	for _, l := range strings.Split(h.cli("rounds", "list"), "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "e2e-") {
			return f[0]
		}
	}
	t.Fatal("no e2e round")
	return ""
}

// changedLines are the lines of b that are not in a.
func changedLines(a, b string) []string {
	have := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		have[l]++
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if have[l] > 0 {
			have[l]--
			continue
		}
		out = append(out, l)
	}
	return out
}

// TestLiveExportsAroundOneResponse: two exports of an open round taken around
// one new response differ at most in the banded number of respondents, even
// when that response moves the count across a band, and never show the new
// respondent's answer, kern or leeftijdsgroep. A response that moves no band
// changes nothing at all.
func TestLiveExportsAroundOneResponse(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h, st, sv, rid, people := reidentRound(t)
	var dalfsen, rest []person
	for _, p := range people {
		if p.kern == "Dalfsen" {
			dalfsen = append(dalfsen, p)
		} else {
			rest = append(rest, p)
		}
	}
	recordPeople(t, st, sv, rid, dalfsen[:19], 0)
	before := liveExports(t, h)

	// The one 65+ resident of Nieuwleusen, with the only "Geen rol": the 20th.
	var newcomer person
	for _, p := range rest {
		if p.kern == "Nieuwleusen" && p.age == "65+" {
			newcomer = p
		}
	}
	geenRol := optionIDs(question(sv, "positie"))[3]
	if newcomer.answers["positie"].Options[0] != geenRol {
		t.Fatalf("test round: the newcomer's positie is %v, want Geen rol", newcomer.answers["positie"])
	}
	recordPeople(t, st, sv, rid, []person{newcomer}, 100)
	after := liveExports(t, h)

	secrets := []string{"Nieuwleusen", "65+", "Geen rol", geenRol, "65 jaar"}
	for name, b := range after {
		a := before[name]
		for _, l := range changedLines(a, b) {
			for _, s := range secrets {
				if strings.Contains(l, s) {
					t.Errorf("%s: the difference %q names %q, the new respondent's", name, l, s)
				}
			}
		}
		if strings.HasPrefix(name, "csv") && a != b {
			t.Errorf("%s: the tussenstand changed with one response:\n%s", name, strings.Join(changedLines(a, b), "\n"))
		}
	}
	// JSON: only the banded counts may move.
	var ja, jb map[string]any
	if err := json.Unmarshal([]byte(before["json"]), &ja); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(after["json"]), &jb); err != nil {
		t.Fatal(err)
	}
	if ja["respondents"] != float64(10) || jb["respondents"] != float64(20) || jb["live"] != true {
		t.Errorf("json: respondents %v then %v (live %v), want the bands 10 then 20", ja["respondents"], jb["respondents"], jb["live"])
	}
	for k := range jb {
		switch k {
		case "respondents", "completed", "response_rate":
			continue
		}
		if !reflect.DeepEqual(ja[k], jb[k]) {
			t.Errorf("json: %s changed with one response: %v → %v", k, ja[k], jb[k])
		}
	}
	for _, q := range jb["questions"].([]any) {
		qm := q.(map[string]any)
		for _, f := range []string{"options", "by_kern", "open", "ranking", "themes", "mean"} {
			if _, ok := qm[f]; ok {
				t.Errorf("json: question %v has %s in a tussenstand", qm["id"], f)
			}
		}
	}

	// A 21st response moves no band: the exports stay the same.
	recordPeople(t, st, sv, rid, dalfsen[19:20], 101)
	again := liveExports(t, h)
	for name, b := range again {
		if after[name] != b {
			t.Errorf("%s changed with a response that moves no band:\n%s", name, strings.Join(changedLines(after[name], b), "\n"))
		}
	}

	// The organiser's exact figures are there, headed by a warning not to share.
	intern := h.cli("results", rid, "--intern")
	if !strings.Contains(intern, "INTERN — niet delen") || !strings.Contains(intern, "Respons: 21 deelnemers") {
		t.Errorf("results --intern of an open round: got\n%s", intern)
	}
	// The raw answers wait for close.
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"results", rid, "--raw", "--publicatie"}, h.getenv, &out, &errb); code == 0 ||
		!strings.Contains(errb.String(), "beschikbaar zodra de ronde gesloten is") {
		t.Errorf("publication of an open round: exit %d, %q; want a refusal until close", code, errb.String())
	}
}

// TestRoundWithEightParticipants: eight residents take part; when the round
// closes each gets thanks and "te weinig deelnemers" without any count,
// percentage or chart, and so does the stuurgroep; the CLI gives numbers only
// with --intern.
func TestRoundWithEightParticipants(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.serve()
	const n = 8
	exp := newExpect(loadE2E(t))
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(6000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%3])
	})
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	parallel(t, n, func(i int) error { return answerRound(residents[i], i, exp, nil) })
	h.cli("rounds", "close", rid)

	// Numbers a message may still hold: the threshold, and the date of the
	// terugkoppeling (1 maart 2030).
	allowed := map[string]bool{"10": true, "1": true, "2030": true}
	number := regexp.MustCompile(`[0-9]+`)
	check := func(who, text string) {
		t.Helper()
		if !strings.Contains(text, "Te weinig deelnemers om de uitslag te tonen") {
			t.Errorf("%s: got\n%s\nwant the message that there were too few participants", who, text)
		}
		if strings.Contains(text, "%") {
			t.Errorf("%s: holds a percentage:\n%s", who, text)
		}
		for _, m := range number.FindAllString(text, -1) {
			if !allowed[m] {
				t.Errorf("%s: holds the number %s:\n%s", who, m, text)
			}
		}
	}
	for i, r := range residents {
		m, err := r.await("Bedankt voor uw deelname")
		if err != nil {
			t.Fatal(err)
		}
		check("resident "+residents[i].h.t.Name(), m.Text)
		if strings.Contains(m.Text, "terugkoppeling volgt") == false {
			t.Errorf("resident %d: no word that the terugkoppeling follows", i)
		}
	}
	h.tg.WaitFor(t, 10*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") == 1 })
	sg := lastPrefix(h.tg.Chat(-100999), "Stuurgroep")
	// the round line holds the round's dates
	check("stuurgroep", regexp.MustCompile(`(?m)^Ronde .*$`).ReplaceAllString(sg, ""))
	// No charts anywhere: a chart is its numbers drawn. The results went out
	// above, so the outbox has had its chance to send them.
	if got := countPhotos(h.tg.Chat(-100999)); got != 0 {
		t.Errorf("stuurgroep: got %d charts, want none", got)
	}
	for i, r := range residents {
		if got := countPhotos(h.tg.Chat(r.uid)); got != 0 {
			t.Errorf("resident %d: got %d charts, want none", i, got)
		}
	}

	// The CLI: no numbers, unless the organiser asks with --intern.
	for _, f := range []string{"text", "json", "csv", "csv-intl"} {
		out := h.cli("results", rid, "--format", f)
		if strings.Contains(out, "%") || strings.Contains(out, `"count"`) || strings.Contains(out, "8 deelnemers") {
			t.Errorf("results --format %s: holds numbers:\n%s", f, out)
		}
	}
	if out := h.cli("results", rid); !strings.Contains(out, "Te weinig deelnemers om de uitslag te tonen") {
		t.Errorf("results: got\n%s\nwant the too-few message", out)
	}
	intern := h.cli("results", rid, "--intern")
	if !strings.HasPrefix(intern, "INTERN — niet delen") || !strings.Contains(intern, "Respons: 8 deelnemers") {
		t.Errorf("results --intern: got\n%s\nwant the numbers under the warning", intern)
	}
	var res results.Results
	if err := json.Unmarshal([]byte(h.cli("results", rid, "--format", "json", "--intern")), &res); err != nil || res.Respondents != 8 || !res.Internal {
		t.Errorf("results --intern json: got %d respondents, internal %v (%v)", res.Respondents, res.Internal, err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"results", rid, "--raw", "--publicatie"}, h.getenv, &out, &errb); code == 0 ||
		!strings.Contains(errb.String(), "minder dan 10 deelnemers") {
		t.Errorf("publication of 8: exit %d, %q; want a refusal", code, errb.String())
	}
}
