package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/verslag"
	"github.com/redis/go-redis/v9"
)

// letterCode is a code as a letter prints it.
var letterCode = regexp.MustCompile(`\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b`)

// TestTrajectoryLotteryEndToEnd is the whole trajectory as a municipality runs it,
// through the real commands and channels: a register extract of 2,000 addresses,
// `loting` draws 200 and prints their letters; the codes are read back from the PDF
// (pdftotext), as residents read them; 40 of the drawn join on Telegram with
// /start <code> and 40 in the web chat with ?code=, 50 others join openly; two
// phases of rounds run, the first is decided; then the results compare the panel
// with the self-selected, and `verslag` writes the participatieverslag. The response
// per stratum and the R-indicator are checked against the test's own draw and
// count, and no stratum under the threshold appears in the verslag.
func TestTrajectoryLotteryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found on PATH: install poppler-utils (Debian: apt-get install poppler-utils) or run ./test.sh", tool)
		}
	}
	h := newHarness(t)
	h.addSurveys("testdata/traject", "mv.traject.yaml", "mv-beeld.yaml", "mv-keuze.yaml")
	h.env["TELEGRAM_BOT_USERNAME"] = "GemeenteDalfsenBot"
	h.env["TRUSTED_PROXIES"] = "127.0.0.1/32" // the web residents come from their own addresses (X-Forwarded-For)
	dir := t.TempDir()

	// the register extract, and the test's own copy of the draw
	csv := filepath.Join(dir, "brp.csv")
	var b strings.Builder
	b.WriteString("adres;kern;leeftijd\n")
	kernen := []string{"Dalfsen", "Dalfsen", "Dalfsen", "Nieuwleusen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen"}
	for i := range 2000 {
		fmt.Fprintf(&b, "Straat %d;%s;%d\n", i+1, kernen[i%len(kernen)], (i*37)%96)
	}
	if err := os.WriteFile(csv, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	reg, err := panel.ReadRegister(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	own, err := panel.Draw(reg, panel.DrawOptions{Size: 200, Strata: []string{panel.DimKern, panel.DimLeeftijd}, Seed: 2030})
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "brieven.pdf")
	h.cli("loting", "missie-en-visie", "--steekproef", csv, "--aantal", "200", "--strata", "kern,leeftijd", "--seed", "2030",
		"--brieven", pdf, "--verantwoording", filepath.Join(dir, "loting.md"))

	// the letters as residents read them: one page each, in the order of the draw
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n "), "\f")
	if len(pages) != 200 {
		t.Fatalf("letters: got %d pages, want 200", len(pages))
	}
	codes := make([]string, len(pages))
	invited := map[string]int64{}
	for i, p := range pages {
		d := own.Drawn[i]
		if !strings.Contains(p, d.Address+"\n") && !strings.Contains(p, d.Address+" ") {
			t.Fatalf("letter %d: not to %s (the draw is not the test's own)", i+1, d.Address)
		}
		c := letterCode.FindAllString(p, -1)
		if len(c) == 0 {
			t.Fatalf("letter %d: no code in\n%s", i+1, p)
		}
		codes[i] = c[0]
		invited[results.PanelStratum(d.Kern, d.AgeGroup)]++
	}

	h.serve()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)

	// who joins: letters 1, 6, 11 … on Telegram, 3, 8, 13 … in the web chat
	var tgPanel, webPanel []int
	for i := range 200 {
		switch i % 5 {
		case 1:
			tgPanel = append(tgPanel, i)
		case 3:
			webPanel = append(webPanel, i)
		}
	}
	tgResidents := map[int]*resident{}
	for _, i := range tgPanel {
		tgResidents[i] = h.resident(int64(20000 + i))
	}
	parallel(t, len(tgPanel), func(k int) error {
		i := tgPanel[k]
		r := tgResidents[i]
		h.tg.SendText(r.uid, "/start "+panel.Compact(codes[i]))
		if _, err := r.step("U bent door loting gekozen", "Ja, ik doe mee"); err != nil {
			return err
		}
		_, err := r.await("lid van het inwonerspanel")
		return err
	})
	webResidents := map[int]*webClient{}
	for _, i := range webPanel {
		w := newWebClient(t, h.baseURL())
		w.from = fmt.Sprintf("198.51.100.%d", i)
		w.get("/?code=" + codes[i])
		w.press("Beginnen")
		if !strings.Contains(w.page, "U bent door loting gekozen") {
			t.Fatalf("web chat, letter %d: no panel welcome in\n%s", i+1, w.page)
		}
		w.press("Ja, ik doe mee")
		webResidents[i] = w
	}
	self := make([]*resident, 50)
	ages := []string{"16 – 24 jaar", "25 – 44 jaar", "45 – 64 jaar", "65 jaar of ouder"}
	parallel(t, len(self), func(k int) error {
		self[k] = h.resident(int64(30000 + k))
		return self[k].join(ages[k%4], []string{"Dalfsen", "Nieuwleusen"}[k%2])
	})

	// phase 1: everyone; the panel says "Nee", the self-selected "Ja"
	answerTG := func(r *resident, option string) error {
		if _, err := r.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
			return err
		}
		if _, err := r.step("Vraag 1 van 2", option); err != nil {
			return err
		}
		if _, err := r.step("Vraag 2 van 2", "8"); err != nil {
			return err
		}
		_, err := r.await("Klaar, bedankt!")
		return err
	}
	answerWeb := func(w *webClient, option string) {
		testwait.Poll(30*time.Second, func() bool { return strings.Contains(w.get("/"), "Er staat een nieuwe vragenronde") })
		w.press("Doe mee")
		w.press(option)
		w.press("8")
		if !strings.Contains(w.page, "Klaar, bedankt!") {
			t.Fatalf("web chat: not done after the round:\n%s", w.page)
		}
	}
	beeld := strings.Fields(h.cli("rounds", "open", "mv-beeld"))[1]
	var mu sync.Mutex
	resp := map[string]int64{}
	count := func(i int) {
		mu.Lock()
		resp[results.PanelStratum(own.Drawn[i].Kern, own.Drawn[i].AgeGroup)]++
		mu.Unlock()
	}
	parallel(t, len(tgPanel)+len(self), func(k int) error {
		if k < len(tgPanel) {
			count(tgPanel[k])
			return answerTG(tgResidents[tgPanel[k]], "Nee")
		}
		return answerTG(self[k-len(tgPanel)], "Ja")
	})
	for _, i := range webPanel {
		answerWeb(webResidents[i], "Nee")
		count(i)
	}
	h.cli("rounds", "close", beeld)
	waitState(t, st, beeld, storage.Published)
	decision := filepath.Join(dir, "besluit.txt")
	if err := os.WriteFile(decision, []byte("De raad besloot: de gemeente gaat inwoners vaker vragen wat ze vinden, en laat in elke fase zien wat er met hun inbreng is gedaan."), 0o600); err != nil {
		t.Fatal(err)
	}
	h.cli("decide", beeld, "--text", decision)
	waitState(t, st, beeld, storage.Decided)

	// phase 2: the Telegram panel and 20 of the self-selected
	keuze := strings.Fields(h.cli("rounds", "open", "mv-keuze"))[1]
	parallel(t, len(tgPanel)+20, func(k int) error {
		if k < len(tgPanel) {
			return answerTG(tgResidents[tgPanel[k]], "Meer groen in de kernen")
		}
		return answerTG(self[k-len(tgPanel)], "Veiliger verkeer")
	})
	h.cli("rounds", "close", keuze)
	waitState(t, st, keuze, storage.Published)

	// phase 1's panel against the test's own draw and count
	res := h.results(beeld)
	p := res.Panel
	if p == nil || p.Invited != 200 || p.Respondents != 80 || p.SelfSelected != 50 {
		t.Fatalf("panel of %s: got %+v, want 200 letters, 80 of the panel, 50 self-selected", beeld, p)
	}
	var pop, got []int64
	var mergedInv, mergedN int64
	hidden := map[string]int64{}
	for _, row := range p.Strata {
		if row.Invited != invited[row.Stratum] {
			t.Errorf("%s: %d letters, want %d", row.Stratum, row.Invited, invited[row.Stratum])
		}
		n := resp[row.Stratum]
		if row.Suppressed {
			if n > 0 && n < 10 && row.Label != "<10" {
				t.Errorf("%s: %d respondents hidden with label %q, want <10", row.Stratum, n, row.Label)
			}
			hidden[row.Stratum] = n
			mergedInv += row.Invited
			mergedN += n
			continue
		}
		if n > 0 && n < 10 {
			t.Errorf("%s: %d respondents shown", row.Stratum, n)
		}
		if row.Respondents != n || math.Abs(row.Rate-float64(n)/float64(invited[row.Stratum])) > 1e-9 {
			t.Errorf("%s: got %d (%v), want %d of %d", row.Stratum, row.Respondents, row.Rate, n, invited[row.Stratum])
		}
		pop, got = append(pop, row.Invited), append(got, n)
	}
	if mergedInv > 0 {
		pop, got = append(pop, mergedInv), append(got, mergedN)
	}
	want, err := stats.RIndicator(pop, got, 1.959963984540054)
	if err != nil {
		t.Fatal(err)
	}
	if p.RIndicator == nil || math.Abs(p.RIndicator.R-want.R) > 1e-9 || math.Abs(p.RIndicator.Low-want.Low) > 1e-9 {
		t.Errorf("R-indicator: got %+v, want %+v", p.RIndicator, want)
	}
	// the panel chose "Nee", the self-selected "Ja": the figure is the share of
	// "Nee" (the option most chosen); the procesevaluatie is the same 8 for all
	if len(p.Questions) != 2 || p.Questions[0].Hidden || !p.Questions[0].Meaningful || p.Questions[0].Panel != 100 || p.Questions[0].Self != 0 ||
		p.Questions[1].Meaningful || p.Questions[1].Panel != 8 {
		t.Errorf("comparison: got %+v, want a meaningful difference on luistert and none on the procesevaluatie", p.Questions)
	}

	// the verslag
	vdir := t.TempDir()
	h.cli("verslag", "missie-en-visie", "--out", vdir)
	md, err := os.ReadFile(filepath.Join(vdir, "participatieverslag-missie-en-visie.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, s := range verslag.Sections {
		if !strings.Contains(text, "\n## "+s+"\n") {
			t.Errorf("verslag: no section %q", s)
		}
	}
	for _, w := range []string{"Seed: 2030", reg.SHA256, "De raad besloot: de gemeente gaat inwoners vaker vragen",
		"fase 2 van 2: keuzes maken", "| op tijd |", "nog niet: de beloofde datum komt nog", "200 brieven verstuurd, 80 deden mee (40%)"} {
		if !strings.Contains(text, w) {
			t.Errorf("verslag: no %q", w)
		}
	}
	for st, n := range hidden {
		kern, age, _ := strings.Cut(st, "|")
		row := fmt.Sprintf("| %s | %s | %d | %d |", kern, results.AgeText(age), invited[st], n)
		if n > 0 && strings.Contains(text, row) {
			t.Errorf("verslag shows the hidden stratum %s: %s", st, row)
		}
	}
	checkVerslagPDF(t, filepath.Join(vdir, "participatieverslag-missie-en-visie.pdf"))
}

// waitState waits until a round reaches state (the running serve moves it).
func waitState(t *testing.T, st *storage.Store, rid string, want storage.State) {
	t.Helper()
	var got storage.State
	if !testwait.Poll(120*time.Second, func() bool {
		r, err := st.Round(context.Background(), rid)
		if err == nil {
			got = r.State
		}
		return got == want
	}) {
		t.Fatalf("round %s: state %s, want %s", rid, got, want)
	}
}

// checkVerslagPDF checks the verslag's PDF: A4 pages with the title and the
// sections; with VERSLAG_DOCS set to a directory, its first pages go there as PNG.
func checkVerslagPDF(t *testing.T, path string) {
	t.Helper()
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil || !strings.Contains(string(info), "(A4)") {
		t.Fatalf("pdfinfo: got\n%s, want A4 pages", info)
	}
	if n, _ := strconv.Atoi(string(m[1])); n < 2 {
		t.Errorf("verslag: %d pages", n)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append([]string{"Participatieverslag: Missie en Visie Dalfsen 2040"}, verslag.Sections...) {
		if !strings.Contains(string(out), s) {
			t.Errorf("verslag PDF: no %q", s)
		}
	}
	if to := os.Getenv("VERSLAG_DOCS"); to != "" {
		if out, err := exec.Command("pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "4", path, filepath.Join(to, "participatieverslag")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}
