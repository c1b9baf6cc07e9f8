package rounds_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/verslag"
)

// verslagRegister is a synthetic register extract: n addresses over the kernen
// of Dalfsen in about their proportions, ages 0 to 95.
func verslagRegister(t *testing.T, n int) *panel.Register {
	t.Helper()
	kernen := []struct {
		name string
		w    int
	}{{"Dalfsen", 37}, {"Nieuwleusen", 32}, {"Lemelerveld", 16}, {"Hoonhorst", 6}, {"Oudleusen", 6}, {"Ankum", 3}}
	var b strings.Builder
	b.WriteString("adres;kern;leeftijd\n")
	for i := range n {
		k, acc := "", i%100
		for _, kern := range kernen {
			if acc < kern.w {
				k = kern.name
				break
			}
			acc -= kern.w
		}
		fmt.Fprintf(&b, "Straat %d;%s;%d\n", i, k, (i*37)%96)
	}
	reg, err := panel.ReadRegister(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestVerslag runs a trajectory of two phases with a drawn panel of 200 (a known
// subset joins) and 50 self-selected residents, then makes the verslag: the
// response per stratum and the R-indicator are the test's own, every section is
// there, no group under the threshold shows, and it renders to Markdown, HTML and
// PDF.
func TestVerslag(t *testing.T) {
	loc := amsterdam(t)
	start := time.Date(2027, time.February, 1, 9, 0, 0, 0, loc) // a Monday
	beeld := survey("beeld", "0 9 1 2 *", 7*24*time.Hour)
	keuze := survey("keuze", "0 9 1 3 *", 7*24*time.Hour)
	beeld.Title, keuze.Title = "Beeldvorming Missie en Visie", "Keuzes Missie en Visie"
	for _, sv := range []*surveys.Survey{beeld, keuze} {
		sv.Card = surveys.Card{Doel: "We willen weten wat u vindt.", WieBeslist: "gemeenteraad", Trede: surveys.Raadplegen,
			WatGebeurtErMee: "De raad neemt het mee.", Terugkoppeling: time.Date(2027, 3, 1, 0, 0, 0, 0, loc)}
	}
	keuze.Card.Terugkoppeling = time.Date(2027, 3, 20, 0, 0, 0, 0, loc)
	e := newEnv(t, nil, start, []*surveys.Survey{beeld, keuze})
	tr, err := surveys.ParseTrajectory("mv.traject.yaml", []byte(`id: missie-en-visie
title: "Missie en Visie Dalfsen 2040"
gemeente: Dalfsen
besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."
wie_beslist: gemeenteraad
belofte: "U hoort in elke fase wat er met uw inbreng is gedaan."
stuurgroep: ["wethouder participatie", "griffier"]
fasen:
  - {id: beeld, naam: het net ophalen, van: 2027-02-01, tot: 2027-02-28, trede: raadplegen, verwachting: "U vertelt wat goed gaat.", rondes: [beeld]}
  - {id: keuzes, naam: keuzes maken, van: 2027-03-01, tot: 2027-03-31, trede: raadplegen, verwachting: "U kiest mee.", rondes: [keuze]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e.catalog.SetTrajectories([]*surveys.Trajectory{tr})

	// the lottery: 200 of 6,000, by kern and leeftijd
	l, err := panel.Draw(verslagRegister(t, 6000), panel.DrawOptions{Size: 200, Strata: []string{panel.DimKern, panel.DimLeeftijd}, Seed: 2027})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := json.Marshal(l.Audit)
	if err != nil {
		t.Fatal(err)
	}
	invited := map[string]int64{}
	codes := map[string]string{}
	for i, d := range l.Drawn {
		st := d.Kern + "|" + d.AgeGroup
		invited[st]++
		codes[fmt.Sprintf("h%03d", i)] = st
	}
	if _, err := e.store.SavePanel(e.ctx, storage.PanelDraw{Traject: tr.ID, ID: "2027", Codes: codes, Expires: time.Now().Add(time.Hour), Audit: audit}); err != nil {
		t.Fatal(err)
	}

	// phase 1: the drawn residents whose number is not a multiple of 3 take part, and 50 others
	q := roundstest.Question()
	answer := func(rid, pid string, p surveys.Profile, yes bool) {
		v := "nee"
		if yes {
			v = "ja"
		}
		if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
			Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{v}}), Kern: p.Kern, Leeftijd: p.Leeftijd, Panel: p.Panel}); err != nil {
			t.Fatal(err)
		}
	}
	resp := map[string]int64{}
	run := func(rid string) {
		for i, d := range l.Drawn {
			if i%3 != 0 {
				answer(rid, fmt.Sprintf("panel-%d", i), surveys.Profile{Kern: d.Kern, Leeftijd: d.AgeGroup, Panel: true}, i%4 == 0)
				if rid == "" {
					continue
				}
			}
		}
		for i := range 50 {
			answer(rid, fmt.Sprintf("zelf-%d", i), surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}, true)
		}
	}
	for i, d := range l.Drawn {
		if i%3 != 0 {
			resp[d.Kern+"|"+d.AgeGroup]++
		}
	}
	e.reconcileAt(t, start)
	beeldID := e.roundIDs(t)[0]
	run(beeldID)
	e.reconcileAt(t, start.Add(8*24*time.Hour)) // closed and published
	if err := e.svc.Decide(e.ctx, beeldID, "De raad besloot de vijf kansen mee te nemen in de Missie en Visie.", start.Add(9*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.reconcileAt(t, start.Add(10*24*time.Hour)) // decided, on time (1 maart)
	march := time.Date(2027, time.March, 1, 9, 0, 0, 0, loc)
	e.reconcileAt(t, march)
	var keuzeID string
	for _, id := range e.roundIDs(t) {
		if strings.HasPrefix(id, "keuze") {
			keuzeID = id
		}
	}
	run(keuzeID)
	e.reconcileAt(t, march.Add(8*24*time.Hour)) // published; its decision is late by 25 maart
	now := time.Date(2027, time.March, 25, 12, 0, 0, 0, loc)

	rep, err := e.svc.Verslag(e.ctx, tr, now)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, s := range verslag.Sections {
		if !strings.Contains(text, "\n## "+s+"\n") {
			t.Errorf("verslag: no section %q", s)
		}
	}
	for _, want := range []string{"U hoort in elke fase wat er met uw inbreng is gedaan.", "fase 2 van 2: keuzes maken",
		"De raad besloot de vijf kansen", "| op tijd |", "te laat: nog niet teruggekoppeld, 5 dagen over de beloofde datum",
		"Seed: 2027", l.Audit.RegisterSHA256, "200 brieven verstuurd", "Loting: respons per groep", "wethouder participatie en griffier"} {
		if !strings.Contains(text, want) {
			t.Errorf("verslag: no %q in\n%s", want, text)
		}
	}

	// the panel of each round: the response per stratum and the R-indicator, computed here
	r, err := e.store.Round(e.ctx, keuzeID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.Results(e.ctx, keuze, r)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Panel
	if p == nil || p.Invited != 200 || p.Respondents != int64(len(l.Drawn)-67) || p.SelfSelected != 50 {
		t.Fatalf("panel: got %+v, want 200 letters, %d of the panel and 50 self-selected", p, len(l.Drawn)-67)
	}
	var pop, got []int64
	var mergedInv, mergedN int64
	for _, row := range p.Strata {
		if row.Invited != invited[row.Stratum] {
			t.Errorf("%s: invited %d, want %d", row.Stratum, row.Invited, invited[row.Stratum])
		}
		n := resp[row.Stratum]
		if row.Suppressed {
			if n >= 10 && row.Label != "≥10" || n > 0 && n < 10 && row.Label != "<10" {
				t.Errorf("%s: hidden with %d respondents and label %q", row.Stratum, n, row.Label)
			}
			if line := fmt.Sprintf("%d van %d", n, row.Invited); n > 0 && strings.Contains(text, results0(row.Kern, row.Leeftijd)+" "+line) {
				t.Errorf("verslag shows the hidden stratum %s: %q", row.Stratum, line)
			}
			mergedInv += row.Invited
			mergedN += n
			continue
		}
		if n > 0 && n < 10 || row.Respondents != n || math.Abs(row.Rate-float64(n)/float64(invited[row.Stratum])) > 1e-12 {
			t.Errorf("%s: got %d (%.4f), want %d of %d", row.Stratum, row.Respondents, row.Rate, n, invited[row.Stratum])
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
	if p.RIndicator == nil || math.Abs(p.RIndicator.R-want.R) > 1e-12 || math.Abs(p.RIndicator.High-want.High) > 1e-12 {
		t.Errorf("R-indicator: got %+v, want %+v", p.RIndicator, want)
	}

	var html, pdf bytes.Buffer
	if err := rep.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), `<html lang="nl">`) || strings.Count(html.String(), "<h1>") != 1 || !strings.Contains(html.String(), "<caption>") {
		t.Errorf("HTML: no lang, one h1 and table captions")
	}
	if err := rep.WritePDF(&pdf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("PDF: got %q…", pdf.Bytes()[:min(20, pdf.Len())])
	}
	checkPDF(t, pdf.Bytes(), "Participatieverslag: Missie en Visie Dalfsen 2040", "Verantwoording van de loting", "op tijd")
}

// results0 is how the verslag names a stratum.
func results0(kern, age string) string {
	if strings.HasSuffix(age, "+") {
		return kern + " " + strings.TrimSuffix(age, "+") + " jaar of ouder"
	}
	return kern + " " + strings.Replace(age, "-", "–", 1) + " jaar"
}

// checkPDF reads the PDF's text with pdftotext (poppler-utils) and, with
// VERSLAG_PAGES set to a directory, renders its first pages there as PNG.
func checkPDF(t *testing.T, data []byte, wants ...string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if testing.Short() {
			t.Skip("pdftotext not installed; skipped in short mode")
		}
		t.Fatalf("pdftotext not found on PATH: install poppler-utils (Debian: apt-get install poppler-utils) or run ./test.sh")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "verslag.pdf")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, w := range wants {
		if !strings.Contains(string(out), w) {
			t.Errorf("PDF text: no %q in\n%s", w, out)
		}
	}
	if to := os.Getenv("VERSLAG_PAGES"); to != "" {
		if out, err := exec.Command("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "3", f, filepath.Join(to, "verslag")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}
