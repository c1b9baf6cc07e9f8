package surveys

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodTrajectory = `id: missie-en-visie
title: "Missie en Visie Dalfsen 2040"
gemeente: Dalfsen
besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."
wie_beslist: gemeenteraad
belofte: "U hoort in elke fase wat er met uw inbreng is gedaan."
stuurgroep: ["wethouder participatie", "griffier"]
fasen:
  - id: beeldvorming
    naam: het net ophalen
    van: 2027-02-01
    tot: 2027-02-28
    trede: adviseren
    verwachting: "U vertelt wat goed gaat en wat beter kan."
    rondes: [goed-goan-wie-van-de-drie]
  - id: keuzes
    naam: keuzes maken
    van: 2027-03-01
    tot: 2027-04-30
    trede: raadplegen
    verwachting: "U kiest mee welke kansen we uitwerken."
    rondes: [impor-beeldvorming]
  - id: besluit
    naam: besluit
    van: 2027-05-01
    tot: 2027-06-30
    trede: informeren
    verwachting: "De raad besluit; u hoort wat er met uw inbreng is gedaan."
`

func exampleSurveys(t *testing.T) []*Survey {
	t.Helper()
	all, err := LoadDir("../examples")
	if err != nil {
		t.Fatalf("LoadDir(../examples): %v", err)
	}
	return all
}

func TestTrajectoryParse(t *testing.T) {
	tr, err := ParseTrajectory("mv.traject.yaml", []byte(goodTrajectory))
	if err != nil {
		t.Fatalf("ParseTrajectory: %v", err)
	}
	if tr.ID != "missie-en-visie" || tr.Gemeente != "Dalfsen" || len(tr.Stuurgroep) != 2 || len(tr.Phases) != 3 {
		t.Fatalf("got %+v", tr)
	}
	i, p, ok := tr.PhaseOf("impor-beeldvorming")
	if !ok || i != 1 || p.ID != "keuzes" {
		t.Fatalf("PhaseOf(impor-beeldvorming): got %d %v %v, want 1 keuzes true", i, p, ok)
	}
	if got, want := tr.PhaseLabel(i), "fase 2 van 3: keuzes maken"; got != want {
		t.Errorf("PhaseLabel: got %q, want %q", got, want)
	}
	if got := tr.Previous(1); len(got) != 1 || got[0] != "goed-goan-wie-van-de-drie" {
		t.Errorf("Previous(1): got %v, want [goed-goan-wie-van-de-drie]", got)
	}
	if got := tr.Previous(0); got != nil {
		t.Errorf("Previous(0): got %v, want none", got)
	}
	if _, _, ok := tr.PhaseOf("burgerpeiling"); ok {
		t.Error("PhaseOf(burgerpeiling): got a phase, want none")
	}
	if probs := CheckTrajectories([]*Trajectory{tr}, exampleSurveys(t)); len(probs) > 0 {
		t.Fatalf("CheckTrajectories: %v", probs)
	}
	// the trede of impor-beeldvorming's card is raadplegen, as is its phase; the
	// goed-goan round opens on the first day of its phase: no warnings
	if len(tr.Warnings) > 0 {
		t.Errorf("got warnings %v, want none", tr.Warnings)
	}
}

func TestTrajectoryProblems(t *testing.T) {
	cases := []struct {
		name, from, to string
		want           string // in the problem's text, with its line
	}{
		{"unknown key", "gemeente: Dalfsen\n", "gemeente: Dalfsen\ngemeenten: Ommen\n", "4:"},
		{"missing besluit", `besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."` + "\n", "", "besluit"},
		{"bad wie_beslist", "wie_beslist: gemeenteraad", "wie_beslist: wethouder", "wethouder"},
		{"bad trede", "trede: adviseren", "trede: meedenken", "meedenken"},
		{"bad date", "van: 2027-03-01", "van: 2027-13-01", "2027-13-01"},
		{"tot before van", "tot: 2027-02-28", "tot: 2027-01-28", "vóór van"},
		{"overlapping phases", "van: 2027-03-01", "van: 2027-02-15", "vóór het einde van fase"},
		{"duplicate phase", "id: keuzes", "id: beeldvorming", "twee keer"},
		{"survey in two phases", "rondes: [impor-beeldvorming]", "rondes: [goed-goan-wie-van-de-drie]", "staat ook in fase"},
		{"bad phase id", "id: keuzes", "id: Keuzes Maken", "niet toegestaan"},
		{"no phases", goodTrajectory[strings.Index(goodTrajectory, "fasen:"):], "fasen: []\n", "geen fase"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := goodTrajectory
			if c.from != "" {
				if !strings.Contains(src, c.from) {
					t.Fatalf("case text %q not in the trajectory", c.from)
				}
				src = strings.Replace(src, c.from, c.to, 1)
			}
			_, err := ParseTrajectory("mv.traject.yaml", []byte(src))
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("got %v, want problems", err)
			}
			if !strings.Contains(probs.Error(), c.want) {
				t.Fatalf("got\n%s\nwant a problem with %q", probs.Error(), c.want)
			}
			for _, p := range probs {
				if p.Line == 0 || p.File != "mv.traject.yaml" || p.Hint == "" {
					t.Errorf("problem %q: got file %q line %d hint %q, want a file, a line and a tip", p.Msg, p.File, p.Line, p.Hint)
				}
			}
		})
	}
}

func TestTrajectoryAgainstSurveys(t *testing.T) {
	all := exampleSurveys(t)
	t.Run("unknown survey", func(t *testing.T) {
		src := strings.Replace(goodTrajectory, "rondes: [impor-beeldvorming]", "rondes: [impor-beeldvoming]", 1)
		tr, err := ParseTrajectory("mv.traject.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		probs := CheckTrajectories([]*Trajectory{tr}, all)
		if len(probs) != 1 || probs[0].Line != 22 || !strings.Contains(probs[0].Msg, `"impor-beeldvoming"`) ||
			!strings.Contains(probs[0].Hint, "impor-beeldvorming") {
			t.Fatalf("got %v, want one problem on line 22 naming the id and suggesting impor-beeldvorming", probs)
		}
	})
	t.Run("survey in two trajectories", func(t *testing.T) {
		a, _ := ParseTrajectory("a.traject.yaml", []byte(goodTrajectory))
		b, _ := ParseTrajectory("b.traject.yaml", []byte(strings.Replace(goodTrajectory, "id: missie-en-visie", "id: ander-traject", 1)))
		probs := CheckTrajectories([]*Trajectory{a, b}, all)
		if len(probs) != 2 || !strings.Contains(probs[0].Msg, `hoort al bij het traject "missie-en-visie"`) || probs[0].File != "b.traject.yaml" {
			t.Fatalf("got %v, want two problems in b.traject.yaml, one per survey", probs)
		}
	})
	t.Run("warnings", func(t *testing.T) {
		src := strings.Replace(goodTrajectory, "trede: raadplegen", "trede: coproduceren", 1) // impor's card says raadplegen
		src = strings.Replace(src, "van: 2027-02-01", "van: 2027-02-02", 1)                   // goed-goan opens 2027-02-01
		tr, err := ParseTrajectory("mv.traject.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if probs := CheckTrajectories([]*Trajectory{tr}, all); len(probs) > 0 {
			t.Fatalf("got problems %v, want warnings only", probs)
		}
		text := tr.Warnings.Error()
		for _, want := range []string{"trede coproduceren", "opent op 2027-02-01, buiten fase"} {
			if !strings.Contains(text, want) {
				t.Errorf("warnings\n%s\nwant one with %q", text, want)
			}
		}
		for _, w := range tr.Warnings {
			if !w.Warning {
				t.Errorf("%v: got an error, want a warning", w)
			}
		}
	})
}

// TestLoadTrajectories loads the example trajectory beside the example surveys, and
// checks that LoadDir leaves trajectory files alone.
func TestLoadTrajectories(t *testing.T) {
	all := exampleSurveys(t)
	for _, s := range all {
		if IsTrajectoryFile(s.File) {
			t.Errorf("LoadDir loaded the trajectory file %s as a survey", s.File)
		}
	}
	ts, err := LoadTrajectories(all, "../examples")
	if err != nil {
		t.Fatalf("LoadTrajectories: %v", err)
	}
	if len(ts) != 1 || ts[0].ID != "goed-goan" || len(ts[0].Warnings) > 0 {
		t.Fatalf("got %v, want the goed-goan trajectory without warnings", ts)
	}
	c := NewCatalog(all)
	c.SetTrajectories(ts)
	tr, phase, ok := c.TrajectoryOf("goed-goan-wie-van-de-drie")
	if !ok || tr.ID != "goed-goan" || phase != 0 || tr.PhaseLabel(phase) != "fase 1 van 3: kiezen wat bij Dalfsen past" {
		t.Fatalf("TrajectoryOf: got %v %d %v", tr, phase, ok)
	}
	if _, _, ok := c.TrajectoryOf("burgerpeiling"); ok {
		t.Error("TrajectoryOf(burgerpeiling): got a trajectory, want none")
	}

	// a broken trajectory file is reported with its position, a later directory's
	// trajectory replaces the earlier one of its id
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kapot.traject.yaml"), []byte("id: kapot\nfasen: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadTrajectories(all, "../examples", dir)
	var probs Problems
	if !errors.As(err, &probs) || !strings.Contains(probs.Error(), "kapot.traject.yaml:") {
		t.Fatalf("got %v, want problems in kapot.traject.yaml", err)
	}
}

// TestPanelTallies: a panel member's counters have a "panel:" copy; the panel's and
// the self-selected residents' tallies split them apart and add up to everyone's.
func TestPanelTallies(t *testing.T) {
	q := Question{ID: "luistert", Type: Likert, Options: []Option{{ID: "1"}, {ID: "2"}}}
	all := map[string]int64{}
	add := func(a Answer, p Profile) {
		for _, f := range append(RespondentFields(p), TallyFields(q, a, p)...) {
			all[f]++
		}
	}
	add(Answer{Options: []string{"1"}}, Profile{Kern: "Dalfsen", Leeftijd: "25-44", Panel: true})
	add(Answer{Options: []string{"2"}}, Profile{Kern: "Dalfsen", Leeftijd: "25-44", Panel: true})
	add(Answer{Options: []string{"2"}}, Profile{Kern: "Dalfsen", Leeftijd: "25-44"})
	add(Answer{Skipped: true}, Profile{Kern: "Hoonhorst", Panel: true})
	all[FieldInvited] = 40
	panel, self := PanelTallies(all), SelfSelectedTallies(all)
	for field, want := range map[string][2]int64{
		FieldRespondents:                 {3, 1},
		"respondents:k:Dalfsen":          {2, 1},
		"respondents:k:Hoonhorst":        {1, 0},
		"q:luistert:o:1":                 {1, 0},
		"q:luistert:o:2":                 {1, 1},
		"q:luistert:o:2:j:Dalfsen:25-44": {1, 1},
		"q:luistert:skip":                {1, 0},
		FieldInvited:                     {0, 0},
	} {
		if panel[field] != want[0] || self[field] != want[1] {
			t.Errorf("%s: got panel %d self-selected %d, want %d and %d", field, panel[field], self[field], want[0], want[1])
		}
		if field != FieldInvited && panel[field]+self[field] != all[field] {
			t.Errorf("%s: panel %d + self-selected %d is not everyone's %d", field, panel[field], self[field], all[field])
		}
	}
	for f := range self {
		if strings.HasPrefix(f, PanelPrefix) {
			t.Errorf("self-selected tallies hold %s", f)
		}
	}
}
