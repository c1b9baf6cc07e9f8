package results

import (
	"flag"
	"github.com/participatiebot/participatiebot/lang"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

var update = flag.Bool("update", false, "write the golden files in testdata anew")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./results -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("got\n%s\nwant (%s)\n%s", got, path, want)
	}
}

// loadExample loads a shipped example survey, as organisers write them.
func loadExample(t *testing.T, name string) *surveys.Survey {
	t.Helper()
	s, err := surveys.LoadFile(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// kernTallies adds to tallies the answers to question qid of each kern: counts
// per kern and option, in the order of opts; the question's totals are their sums.
func kernTallies(tallies map[string]int64, qid string, opts []string, perKern map[string][]int64) {
	for kern, counts := range perKern {
		var n int64
		for i, c := range counts {
			tallies["q:"+qid+":o:"+opts[i]] += c
			tallies["q:"+qid+":o:"+opts[i]+":k:"+kern] = c
			n += c
		}
		tallies["q:"+qid+":n"] += n
		tallies["q:"+qid+":n:k:"+kern] = n
	}
}

// burgerpeilingRound is a closed round of the shipped burgerpeiling: 64
// respondents, of whom 8 in Nieuwleusen, too few to show apart.
func burgerpeilingRound(t *testing.T) *Results {
	s := loadExample(t, "burgerpeiling.yaml")
	tallies := map[string]int64{
		"respondents": 64, "completed": 60, "invited": 250,
		"respondents:k:Dalfsen": 34, "respondents:k:Lemelerveld": 22, "respondents:k:Nieuwleusen": 8,
		"respondents:a:25-44": 20, "respondents:a:45-64": 26, "respondents:a:65+": 18,
	}
	likert := []string{"1", "2", "3", "4", "5"}
	// each statement a little different: the kern's counts shifted by the statement's place
	base := map[string][]int64{"Dalfsen": {3, 6, 8, 11, 6}, "Lemelerveld": {2, 4, 5, 7, 4}, "Nieuwleusen": {1, 1, 2, 3, 1}}
	for i, q := range s.Questions[:6] {
		perKern := map[string][]int64{}
		for kern, counts := range base {
			shifted := make([]int64, len(counts))
			for j := range counts {
				shifted[j] = counts[(j+i)%len(counts)]
			}
			perKern[kern] = shifted
		}
		kernTallies(tallies, q.ID, likert, perKern)
	}
	tallies["q:toezicht:skip"] = 3
	kernTallies(tallies, "vertrouwen", []string{"zeer-veel", "veel", "neutraal", "weinig", "zeer-weinig"},
		map[string][]int64{"Dalfsen": {2, 10, 12, 7, 3}, "Lemelerveld": {1, 6, 8, 5, 2}, "Nieuwleusen": {0, 2, 3, 2, 1}})
	marks := []string{"5", "6", "7", "8", "9"}
	kernTallies(tallies, "cijfer", marks,
		map[string][]int64{"Dalfsen": {2, 8, 13, 9, 2}, "Lemelerveld": {1, 4, 9, 6, 2}, "Nieuwleusen": {0, 2, 3, 3, 0}})
	kernTallies(tallies, surveys.ProcesevaluatieID, marks,
		map[string][]int64{"Dalfsen": {1, 5, 12, 12, 4}, "Lemelerveld": {0, 4, 8, 8, 2}, "Nieuwleusen": {0, 1, 3, 3, 1}})
	tallies["q:verbeteren:n"], tallies["q:verbeteren:skip"] = 23, 41
	round := RoundInfo{ID: "burgerpeiling-20270301-0900",
		Opened: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), Closed: time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC)}
	open := map[string][]string{"verbeteren": {"Meer uitleg over besluiten"}}
	return Compute(s, round, tallies, open, 10)
}

// goedGoanRound is a closed round of the shipped wie-van-de-drie survey, whose
// participatiekaart ends "Direct na het sluiten van de ronde ziet u de uitslag."
func goedGoanRound(t *testing.T) *Results {
	s := loadExample(t, "goed-goan-wie-van-de-drie.yaml")
	tallies := map[string]int64{
		"respondents": 83, "completed": 80,
		"respondents:k:Dalfsen": 56, "respondents:k:Hoonhorst": 12, "respondents:k:Lemelerveld": 15,
	}
	rol := s.Questions[1]
	ids := make([]string, len(rol.Options))
	for i, o := range rol.Options {
		ids[i] = o.ID
	}
	kernTallies(tallies, rol.ID, ids, map[string][]int64{"Dalfsen": {20, 14, 12, 5, 5}, "Hoonhorst": {4, 3, 3, 1, 1}, "Lemelerveld": {6, 4, 3, 1, 1}})
	pool := s.Questions[0].Options
	for i, o := range pool[:4] { // the first four options, each shown 30 times
		tallies["q:waarden:s:"+o.ID] = 30
		tallies["q:waarden:w:"+o.ID] = int64(16 - 4*i)
		for j, p := range pool[:4] {
			if i != j {
				tallies["q:waarden:p:"+o.ID+":"+p.ID] = int64(2 * (4 - i))
			}
		}
	}
	// the four triads of those options, answered 10 times each
	for skip := range 4 {
		var set []string
		for i, o := range pool[:4] {
			if i != skip {
				set = append(set, o.ID)
			}
		}
		slices.Sort(set)
		tallies["q:waarden:t:"+strings.Join(set, ":")] = 10
	}
	tallies["q:waarden:n"] = 83
	tallies["q:idee:n"], tallies["q:idee:skip"] = 9, 74
	kernTallies(tallies, surveys.ProcesevaluatieID, []string{"6", "7", "8"},
		map[string][]int64{"Dalfsen": {12, 24, 20}, "Hoonhorst": {2, 6, 4}, "Lemelerveld": {3, 7, 5}})
	return Compute(s, RoundInfo{ID: "goed-goan-20270201-0900"}, tallies, nil, 10)
}

// TestPersonalSummaryGolden is the whole results message residents receive, for
// rounds of the shipped example surveys: the burgerpeiling to a resident of
// Nieuwleusen, where too few took part to show their answers apart, and the
// wie van de drie to a resident of Dalfsen. Run with -update to write them anew.
func TestPersonalSummaryGolden(t *testing.T) {
	goan := goedGoanRound(t)
	tests := []struct {
		name    string
		res     *Results
		answers map[string]surveys.Answer
		kern    string
		// note is the one note on the resident's kern, "" for none
		note string
		// whole are texts of the survey that must be in the message uncut
		whole []string
	}{
		{name: "burgerpeiling-nieuwleusen", res: burgerpeilingRound(t), kern: "Nieuwleusen",
			answers: map[string]surveys.Answer{
				"doet-wat-ze-zegt": {Options: []string{"4"}}, "luistert": {Options: []string{"5"}},
				"flexibel": {Options: []string{"3"}}, "betrekken": {Options: []string{"2"}},
				"initiatieven": {Options: []string{"4"}}, "toezicht": {Skipped: true},
				"vertrouwen": {Options: []string{"veel"}}, "cijfer": {Options: []string{"7"}},
				"verbeteren": {Text: "Meer uitleg over besluiten"}, surveys.ProcesevaluatieID: {Options: []string{"8"}},
			},
			note: "In Nieuwleusen deden te weinig mensen mee om hun antwoorden apart te tonen."},
		{name: "goed-goan-dalfsen", res: goan, kern: "Dalfsen",
			answers: map[string]surveys.Answer{
				"waarden#0": {Winner: "raad-op-pad"}, "waarden#1": {Winner: "jongerenraad"}, "waarden#2": {Winner: "raad-op-pad"},
				"rol-raad": {Options: []string{goan.Survey.Questions[1].Options[0].ID}}, // "De raad gaat zelf het gesprek aan met inwoners"
			},
			whole: []string{"Direct na het sluiten van de ronde ziet u de uitslag."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PersonalSummary(lang.Dutch(), tt.res, tt.answers, surveys.Profile{Kern: tt.kern})
			golden(t, "personal-"+tt.name+".txt", got)

			// one note on the kern, after the questions, never one per question
			if tt.note != "" {
				if n := strings.Count(got, tt.note); n != 1 {
					t.Errorf("got the note %q %d times, want once", tt.note, n)
				}
				if strings.Index(got, tt.note) < strings.LastIndex(got, strconv.Itoa(len(tt.res.Questions))+". ") {
					t.Errorf("got the note before the last question, want it after the questions")
				}
			}
			if n := strings.Count(got, "te weinig mensen mee"); n > 1 {
				t.Errorf("got %d notes on too few in a kern, want at most one", n)
			}
			if strings.Contains(got, "(in "+tt.kern) || strings.Contains(got, "(voor "+tt.kern) {
				t.Errorf("got a note on %s inside a question, want one note at the end", tt.kern)
			}

			// the options by their labels, as on the buttons
			if strings.Contains(got, "(Zeer)") || strings.Contains(got, "(zeer)") {
				t.Errorf("got a \"(zeer)\" wording, want the survey's own labels")
			}
			for _, q := range tt.res.Survey.Questions {
				if q.Type != surveys.Likert {
					continue
				}
				for _, o := range q.Options {
					if !strings.Contains(got, "\n  "+o.Label+": ") {
						t.Errorf("question %s: got no line for the button %q", q.ID, o.Label)
					}
				}
			}
			if likert := countLikert(tt.res.Survey); strings.Count(got, "\n  Helemaal mee eens of mee eens: ") != likert {
				t.Errorf("got %d agreement lines, want one per statement (%d), worded from the labels",
					strings.Count(got, "\n  Helemaal mee eens of mee eens: "), likert)
			}

			// nothing cut: no ellipsis, and the texts of the survey whole
			if strings.Contains(got, "…") {
				t.Errorf("got a cut text (…), want everything whole")
			}
			for _, w := range append(tt.whole, strings.Join(strings.Fields(tt.res.Survey.Card.WatGebeurtErMee), " ")) {
				if !strings.Contains(got, w) {
					t.Errorf("got no %q, want it whole", w)
				}
			}
			if n := chatLen(got); n > chatLimit {
				t.Errorf("length: got %d, want at most %d (one message)", n, chatLimit)
			}
		})
	}
}

func countLikert(s *surveys.Survey) int {
	n := 0
	for _, q := range s.Questions {
		if q.Type == surveys.Likert {
			n++
		}
	}
	return n
}

// TestKernNote: the one note on a resident's kern says why its shares are
// missing, and only where they are.
func TestKernNote(t *testing.T) {
	tests := []struct {
		name   string
		shares kernShares
		want   string
	}{
		{"all shown", kernShares{shown: 7}, ""},
		{"no choices", kernShares{}, ""},
		{"too few everywhere", kernShares{tooFew: 7}, "In Nieuwleusen deden te weinig mensen mee om hun antwoorden apart te tonen."},
		{"withheld", kernShares{tooFew: 2, withheld: 1}, "Voor Nieuwleusen tonen we de antwoorden niet apart, zodat niemand herkenbaar is."},
		{"some too few", kernShares{shown: 5, tooFew: 2},
			"Waar bij uw keuze geen cijfer voor Nieuwleusen staat, deden daar te weinig mensen mee om het apart te tonen."},
		{"some withheld", kernShares{shown: 5, tooFew: 1, withheld: 1},
			"Waar bij uw keuze geen cijfer voor Nieuwleusen staat, tonen we het niet apart, zodat niemand herkenbaar is."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.shares.note(lang.Dutch(), "Nieuwleusen"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
