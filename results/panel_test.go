package results

import (
	"math"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// panelSurvey has a likert, a rating and a single-choice question.
func panelSurvey() *surveys.Survey {
	var likert, rating []surveys.Option
	for i := 1; i <= 5; i++ {
		likert = append(likert, surveys.Option{ID: string(rune('0' + i)), Label: []string{"", "Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"}[i]})
	}
	for i := 1; i <= 10; i++ {
		rating = append(rating, surveys.Option{ID: itoa(i), Label: itoa(i)})
	}
	return &surveys.Survey{ID: "peiling", Title: "Burgerpeiling", Questions: []surveys.Question{
		{ID: "luistert", Type: surveys.Likert, Text: "De gemeente luistert voldoende naar de mening van de inwoners.", Options: likert},
		{ID: "cijfer", Type: surveys.Rating, Text: "Welk cijfer geeft u de gemeente?", Options: rating},
		{ID: "positie", Type: surveys.Single, Text: "Wat is uw positie?", Options: []surveys.Option{{ID: "bewoner", Label: "Bewoner"}, {ID: "ondernemer", Label: "Ondernemer"}}},
	}}
}

func itoa(i int) string {
	if i == 10 {
		return "10"
	}
	return string(rune('0' + i))
}

// group is n respondents of one profile; agree of them (the first) agree, every
// one gives cijfer, and ondernemers of them are ondernemer.
type group struct {
	p                surveys.Profile
	n, agree, cijfer int
	ondernemers      int
}

func panelTallies(s *surveys.Survey, groups []group) map[string]int64 {
	t := map[string]int64{}
	for _, g := range groups {
		for i := range g.n {
			fields := surveys.RespondentFields(g.p)
			l := "2"
			if i < g.agree {
				l = "4"
			}
			pos := "bewoner"
			if i < g.ondernemers {
				pos = "ondernemer"
			}
			fields = append(fields, surveys.TallyFields(s.Questions[0], surveys.Answer{Options: []string{l}}, g.p)...)
			fields = append(fields, surveys.TallyFields(s.Questions[1], surveys.Answer{Options: []string{itoa(g.cijfer)}}, g.p)...)
			fields = append(fields, surveys.TallyFields(s.Questions[2], surveys.Answer{Options: []string{pos}}, g.p)...)
			for _, f := range fields {
				t[f]++
			}
		}
	}
	return t
}

func pm(kern, age string) surveys.Profile {
	return surveys.Profile{Kern: kern, Leeftijd: age, Panel: true}
}
func ss(kern, age string) surveys.Profile { return surveys.Profile{Kern: kern, Leeftijd: age} }

func TestComputePanel(t *testing.T) {
	s := panelSurvey()
	invited := map[string]int64{"Dalfsen|25-44": 60, "Dalfsen|65+": 40, "Nieuwleusen|25-44": 50, "Nieuwleusen|65+": 30,
		"Hoonhorst|45-64": 20, "Oudleusen|45-64": 20}
	groups := []group{
		{p: pm("Dalfsen", "25-44"), n: 30, agree: 9, cijfer: 6},
		{p: pm("Dalfsen", "65+"), n: 30, agree: 15, cijfer: 7},
		{p: pm("Nieuwleusen", "25-44"), n: 15, agree: 3, cijfer: 6},
		{p: pm("Nieuwleusen", "65+"), n: 12, agree: 6, cijfer: 7},
		{p: pm("Hoonhorst", "45-64"), n: 4, agree: 2, cijfer: 6},
		{p: pm("Oudleusen", "45-64"), n: 7, agree: 3, cijfer: 6},
		// the self-selected: many more agree; as many give a 6 and a 7
		{p: ss("Dalfsen", "25-44"), n: 60, agree: 50, cijfer: 6, ondernemers: 20},
		{p: ss("Dalfsen", "45-64"), n: 40, agree: 32, cijfer: 7, ondernemers: 10},
		{p: ss("Hoonhorst", "45-64"), n: 30, agree: 25, cijfer: 6},
	}
	tallies := panelTallies(s, groups)
	r := Compute(s, RoundInfo{ID: "peiling-2027-03"}, tallies, nil, 10)
	p := ComputePanel(r, tallies, "goed-goan", invited)
	if p == nil || p.Hidden {
		t.Fatalf("panel: got %+v, want it shown", p)
	}
	if p.Invited != 220 || p.Respondents != 98 || p.SelfSelected != 130 || math.Abs(p.Rate-98.0/220) > 1e-12 {
		t.Fatalf("panel: got invited %d respondents %d self %d rate %v", p.Invited, p.Respondents, p.SelfSelected, p.Rate)
	}
	resp := map[string]int64{"Dalfsen|25-44": 30, "Dalfsen|65+": 30, "Nieuwleusen|25-44": 15, "Nieuwleusen|65+": 12,
		"Hoonhorst|45-64": 4, "Oudleusen|45-64": 7}
	for _, row := range p.Strata {
		small := resp[row.Stratum] < 10
		if row.Suppressed != small {
			t.Errorf("%s: suppressed %v, want %v", row.Stratum, row.Suppressed, small)
		}
		if small {
			if row.Respondents != 0 || row.Rate != 0 || row.Weight != 0 || row.Label != "<10" {
				t.Errorf("%s hidden: got %+v, want no figures and <10", row.Stratum, row)
			}
			continue
		}
		wantRate := float64(resp[row.Stratum]) / float64(invited[row.Stratum])
		wantW := (float64(invited[row.Stratum]) / 220) / (float64(resp[row.Stratum]) / 98)
		if row.Respondents != resp[row.Stratum] || math.Abs(row.Rate-wantRate) > 1e-12 || math.Abs(row.Weight-wantW) > 1e-12 {
			t.Errorf("%s: got %+v, want rate %v weight %v", row.Stratum, row, wantRate, wantW)
		}
	}
	// the R-indicator over the strata against the invited, the two hidden ones together
	want, err := stats.RIndicator([]int64{60, 40, 50, 30, 40}, []int64{30, 30, 15, 12, 11}, z95)
	if err != nil {
		t.Fatal(err)
	}
	if p.RIndicator == nil || math.Abs(p.RIndicator.R-want.R) > 1e-12 || math.Abs(p.RIndicator.Low-want.Low) > 1e-12 ||
		strings.Join(p.RIndicator.Merged, ",") != "Hoonhorst|45-64,Oudleusen|45-64" {
		t.Fatalf("R-indicator: got %+v, want %+v merged Hoonhorst and Oudleusen", p.RIndicator, want)
	}

	// the comparison: the panel weighted by design weights, computed here by hand
	w := map[string]float64{}
	for st, n := range resp {
		w[st] = (float64(invited[st]) / 220) / (float64(n) / 98)
	}
	var num, den float64
	for _, g := range groups[:6] {
		st := g.p.Kern + "|" + g.p.Leeftijd
		num += w[st] * float64(g.agree)
		den += w[st] * float64(g.n)
	}
	if len(p.Questions) != 3 {
		t.Fatalf("questions: got %d, want 3", len(p.Questions))
	}
	agree := p.Questions[0]
	if agree.Hidden || agree.Measure != "(zeer) mee eens" || math.Abs(agree.Panel-100*num/den) > 1e-9 ||
		math.Abs(agree.Self-100*107.0/130) > 1e-9 || agree.SelfN != 130 {
		t.Errorf("agree: got %+v, want panel %.2f self %.2f", agree, 100*num/den, 100*107.0/130)
	}
	if !agree.Meaningful || agree.Difference < 30 {
		t.Errorf("agree: a difference of %.1f points got meaningful %v, want true", agree.Difference, agree.Meaningful)
	}
	cijfer := p.Questions[1]
	if cijfer.Hidden || cijfer.Percent || cijfer.Meaningful {
		t.Errorf("cijfer: got %+v, want a mean with no meaningful difference", cijfer)
	}
	if cijfer.PanelLow >= cijfer.Panel || cijfer.PanelHigh <= cijfer.Panel || cijfer.PanelN <= 0 || cijfer.PanelN > 98 {
		t.Errorf("cijfer: interval %v–%v around %v at n %v", cijfer.PanelLow, cijfer.PanelHigh, cijfer.Panel, cijfer.PanelN)
	}
	// 30 self-selected ondernemers, no panel member: the share of the option most chosen (bewoner)
	if pos := p.Questions[2]; pos.Measure != "koos ‘Bewoner’" || pos.Hidden {
		t.Errorf("positie: got %+v", pos)
	}
}

// TestComputePanelSuppression: when the self-selected residents are fewer than
// the threshold, the panel's number would give them away (respondents minus the
// panel): neither is shown, nor any comparison.
func TestComputePanelSuppression(t *testing.T) {
	s := panelSurvey()
	invited := map[string]int64{"Dalfsen|25-44": 100, "Nieuwleusen|25-44": 100}
	groups := []group{
		{p: pm("Dalfsen", "25-44"), n: 40, agree: 20, cijfer: 6},
		{p: pm("Nieuwleusen", "25-44"), n: 40, agree: 10, cijfer: 7},
		{p: ss("Dalfsen", "25-44"), n: 4, agree: 4, cijfer: 9},
	}
	tallies := panelTallies(s, groups)
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	p := ComputePanel(r, tallies, "t", invited)
	if p == nil || !p.Hidden || p.Respondents != 0 || p.SelfSelected != 0 {
		t.Fatalf("panel: got %+v, want its respondents hidden", p)
	}
	for _, q := range p.Questions {
		if !q.Hidden || q.Self != 0 || q.Panel != 0 {
			t.Errorf("%s: got %+v, want hidden", q.QuestionID, q)
		}
	}
	// the strata may show (Nieuwleusen's 40 is the whole kern, but so it is without
	// the panel); Dalfsen's 40 with the kern's 44 shown would give the 4 back
	for _, row := range p.Strata {
		if row.Stratum == "Dalfsen|25-44" && !row.Suppressed {
			t.Errorf("Dalfsen|25-44 shown (%d) beside the kern's %d respondents: the 4 self-selected follow", row.Respondents, 44)
		}
	}
}

// TestComputePanelKernMargins: the round shows its respondents per kern; a
// stratum of the panel shown beside them must not give the self-selected of that
// kern back when they are fewer than the threshold.
func TestComputePanelKernMargins(t *testing.T) {
	s := panelSurvey()
	invited := map[string]int64{"Dalfsen|25-44": 100, "Nieuwleusen|25-44": 100}
	groups := []group{
		{p: pm("Dalfsen", "25-44"), n: 40, agree: 20, cijfer: 6},
		{p: pm("Nieuwleusen", "25-44"), n: 40, agree: 10, cijfer: 7},
		{p: ss("Dalfsen", "25-44"), n: 4, agree: 4, cijfer: 9},
		{p: ss("Nieuwleusen", "25-44"), n: 30, agree: 4, cijfer: 9},
	}
	tallies := panelTallies(s, groups)
	// without the questions, so that only the respondents per kern tie the
	// panel's strata to the round
	r := Compute(&surveys.Survey{ID: s.ID, Title: s.Title}, RoundInfo{ID: "r"}, tallies, nil, 10)
	if r.ByKern[0].Group != "Dalfsen" || r.ByKern[0].Suppressed || r.ByKern[0].Count != 44 {
		t.Fatalf("the round's Dalfsen: got %+v, want 44 shown", r.ByKern[0])
	}
	p := ComputePanel(r, tallies, "t", invited)
	if p == nil {
		t.Fatal("no panel")
	}
	for _, row := range p.Strata {
		if !row.Suppressed {
			t.Errorf("%s shown (%d): with Dalfsen's 44 and the panel's 80 it gives Dalfsen's 4 self-selected back", row.Stratum, row.Respondents)
		}
	}
}

// TestPanelInTheTexts: the full text and the stuurgroep's message name the panel,
// and where it differs from the self-selected residents.
func TestPanelInTheTexts(t *testing.T) {
	s := panelSurvey()
	invited := map[string]int64{"Dalfsen|25-44": 60, "Nieuwleusen|25-44": 50}
	tallies := panelTallies(s, []group{
		{p: pm("Dalfsen", "25-44"), n: 30, agree: 6, cijfer: 6},
		{p: pm("Nieuwleusen", "25-44"), n: 25, agree: 5, cijfer: 6},
		{p: ss("Dalfsen", "45-64"), n: 60, agree: 50, cijfer: 6},
	})
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	r.Panel = ComputePanel(r, tallies, "t", invited)
	sum := StuurgroepSummary(r)
	for _, want := range []string{"Loting: 110 brieven verstuurd, 55 deden mee (50%); 60 inwoners meldden zich zelf; R-indicator van de loting",
		"antwoordde duidelijk anders dan de loting bij: De gemeente luistert voldoende"} {
		if !strings.Contains(sum, want) {
			t.Errorf("stuurgroep: no %q in\n%s", want, sum)
		}
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Loting (inwonerspanel):", "Respons per groep: Dalfsen 25–44 jaar 30 van 60 (50%, weging"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text: no %q in\n%s", want, b.String())
		}
	}
}
