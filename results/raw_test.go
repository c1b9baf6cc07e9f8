package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

func rawFixture() []RawRespondent {
	var rs []RawRespondent
	add := func(n int, kern, age string) {
		for range n {
			rs = append(rs, RawRespondent{ID: fmt.Sprintf("x%03d", len(rs)), Kern: kern, Leeftijd: age, Answers: map[string]surveys.Answer{
				"ingang":    {Options: []string{"voor"}},
				"goed":      {Text: "De bibliotheek, bij mij om de hoek in de Kerkstraat"},
				"waarden#0": {Winner: "a", Losers: []string{"b", "c"}},
			}})
		}
	}
	add(12, "Dalfsen", "25-44")
	add(3, "Dalfsen", "65+")
	add(11, "Nieuwleusen", "45-64")
	add(4, "Ankum", "45-64")
	return rs
}

// rawSurvey is the survey the raw fixtures answer.
func rawSurvey() *surveys.Survey {
	return &surveys.Survey{ID: "ingang", Questions: []surveys.Question{
		{ID: "ingang", Type: surveys.Single, Options: []surveys.Option{{ID: "voor", Label: "Voor"}, {ID: "achter", Label: "Achter"}}},
		{ID: "goed", Type: surveys.Open},
		{ID: "waarden", Type: surveys.WieVanDeDrie, Options: []surveys.Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}, {ID: "c", Label: "C"}}},
	}}
}

// rawTallies are the tallies the answers rs add up to, as storage keeps them.
func rawTallies(s *surveys.Survey, rs []RawRespondent) map[string]int64 {
	t := map[string]int64{}
	for _, r := range rs {
		p := surveys.Profile{Kern: r.Kern, Leeftijd: r.Leeftijd}
		for _, f := range surveys.RespondentFields(p) {
			t[f]++
		}
		for field, a := range r.Answers {
			qid, _, _ := strings.Cut(field, "#")
			for _, q := range s.Questions {
				if q.ID == qid {
					for _, f := range surveys.TallyFields(q, a, p) {
						t[f]++
					}
				}
			}
		}
	}
	return t
}

// rawResults are the results of the round the raw answers rs are of.
func rawResults(s *surveys.Survey, rs []RawRespondent, threshold int) *Results {
	return Compute(s, RoundInfo{ID: "r1"}, rawTallies(s, rs), nil, threshold)
}

func TestForPublication(t *testing.T) {
	in := rawFixture()
	out, err := ForPublication(rawResults(rawSurvey(), in, 10), in)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]int{}
	for _, r := range out {
		groups[r.Kern+"/"+r.Leeftijd]++
		if r.Answers["goed"].Text != OmittedText {
			t.Errorf("open answer: got %q, want it omitted", r.Answers["goed"].Text)
		}
		if strings.HasPrefix(r.ID, "x") {
			t.Errorf("respondent id %q kept, want a number", r.ID)
		}
		if r.Answers["waarden#0"].Winner != "a" || r.Answers["ingang"].Options[0] != "voor" {
			t.Errorf("closed answers changed: %+v", r.Answers)
		}
	}
	// Kern: Ankum 4 is hidden, and Nieuwleusen 11 with it (complementary), as in
	// the results' breakdown. Leeftijd: 65+ (3) hidden, and 25-44 (12) with it.
	want := map[string]int{"Dalfsen/onderdrukt": 15, "onderdrukt/45-64": 15}
	if fmt.Sprint(groups) != fmt.Sprint(want) {
		t.Errorf("groups: got %v, want %v", groups, want)
	}
	// Every visible group, in either dimension, has at least 10 respondents, and
	// the hidden ones together too.
	for _, dim := range []func(RawRespondent) string{func(r RawRespondent) string { return r.Kern }, func(r RawRespondent) string { return r.Leeftijd }} {
		n := map[string]int{}
		for _, r := range out {
			n[dim(r)]++
		}
		for g, c := range n {
			if c < 10 {
				t.Errorf("group %s has %d respondents, want at least 10", g, c)
			}
		}
	}
	if in[0].ID != "x000" || in[0].Answers["goed"].Text == OmittedText {
		t.Errorf("input modified")
	}
}

func TestWriteRaw(t *testing.T) {
	s := &surveys.Survey{Questions: []surveys.Question{
		{ID: "ingang", Type: surveys.Single}, {ID: "waarden", Type: surveys.WieVanDeDrie}, {ID: "goed", Type: surveys.Open},
	}}
	rs := rawFixture()[:2]
	rs[1].Answers["goed"] = surveys.Answer{Text: "=cmd|' /C calc'!A0"}
	rs[1].Answers["weg"] = surveys.Answer{Options: []string{"x"}}
	var b bytes.Buffer
	if err := WriteRawCSVIntl(&b, s, "r1", rs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+3+4 {
		t.Fatalf("rows: got %d, want 8:\n%v", len(rows), rows)
	}
	if got := strings.Join(rows[2], ","); got != "r1,x000,Dalfsen,25-44,waarden,waarden#0,wievandedrie,false,,a,b;c," {
		t.Errorf("triad row: got %s", got)
	}
	if got := rows[6][11]; got != "'=cmd|' /C calc'!A0" {
		t.Errorf("formula: got %q, want it defused", got)
	}
	if got := rows[7][5]; got != "weg" {
		t.Errorf("unknown field last: got %q", got)
	}
	b.Reset()
	if err := WriteRawJSON(&b, "r1", rs); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Round       string
		Respondents []RawRespondent
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Round != "r1" || len(back.Respondents) != 2 || back.Respondents[0].Answers["waarden#0"].Losers[1] != "c" {
		t.Errorf("json: got %+v, %v", back, err)
	}
}
