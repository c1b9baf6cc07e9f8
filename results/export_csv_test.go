package results

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// readAsDutchExcel reads a CSV the way Excel and LibreOffice in the nl-NL
// locale do: a UTF-8 byte order mark first, ';' between the cells. Every row
// must have the header's number of cells (encoding/csv checks that when
// FieldsPerRecord is 0).
func readAsDutchExcel(t *testing.T, b []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(b, []byte("\ufeff"))
	if !ok {
		t.Fatalf("got %q at the start, want the UTF-8 byte order mark (Excel reads UTF-8 only with it)", b[:min(len(b), 8)])
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Errorf("got no CRLF line ends, want them (the CSV of a Windows office)")
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("parse with Comma ';': got %v, want every row with the header's %s", err, "cells")
	}
	return rows
}

// dutchNumber parses a number written with a decimal comma, as Dutch Excel does.
func dutchNumber(s string) (float64, error) {
	if strings.Contains(s, ".") {
		return 0, strconv.ErrSyntax // a decimal point is text in Dutch Excel
	}
	return strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
}

// dutchResults are resResults with the texts a Dutch office writes: ë, é, a ';'
// and a formula in an open answer.
func dutchResults() *Results {
	r := resResults()
	r.Questions[0].Text = "Weet u genoeg over de ideeën van de gemeente?"
	r.Questions[2].Options[0].Label = "Fiets; of te voet"
	r.Questions[5].Open = []string{"Het café in Hoonhorst; de ideeën van België", "=1+1", "Regel één\nregel twee"}
	return r
}

func TestWriteCSVDutchAsExcelReadsIt(t *testing.T) {
	r := dutchResults()
	var nl, intl bytes.Buffer
	if err := WriteCSV(&nl, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSVIntl(&intl, r); err != nil {
		t.Fatal(err)
	}
	rows := readAsDutchExcel(t, nl.Bytes())
	want := []string{"ronde", "vraag", "vraagtekst", "soort", "antwoord_id", "antwoord", "aantal", "percentage", "basis",
		"open_antwoord", "ondergrens_95", "bovengrens_95", "gewogen_percentage", "gewogen_ondergrens_95", "gewogen_bovengrens_95", "plaats", "kans_gekozen_uit_drie", "kans_ondergrens_90", "kans_bovengrens_90"}
	if !reflect.DeepEqual(rows[0], want) {
		t.Errorf("header: got %q, want %q", rows[0], want)
	}
	intlRows, err := csv.NewReader(&intl).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(intlRows) {
		t.Fatalf("rows: got %d, want %d as in csv-intl", len(rows), len(intlRows))
	}
	// Every cell: the same text, or the same number with a decimal comma.
	numeric := map[int]bool{colCount: true, colPercent: true, colN: true, colLow: true, colHigh: true, colWeighted: true,
		colChosen: true, colChosenLow: true, colChosenHigh: true}
	numbers := 0
	for i := 1; i < len(rows); i++ {
		for j, got := range rows[i] {
			w := intlRows[i][j]
			if !numeric[j] || w == "" {
				if got != w {
					t.Errorf("row %d %s: got %q, want %q", i, want[j], got, w)
				}
				continue
			}
			g, err := dutchNumber(got)
			if wf, _ := strconv.ParseFloat(w, 64); err != nil || g != wf {
				t.Errorf("row %d %s: got %q (%v), want %v with a decimal comma", i, want[j], got, err, wf)
			}
			numbers++
		}
	}
	if numbers < 50 {
		t.Errorf("got %d numbers, want every figure of the fixture", numbers)
	}
	tests := []struct {
		name string
		row  int
		want []string
	}{
		{"likert with ë", 4, []string{"2027-03", "luistert", "Weet u genoeg over de ideeën van de gemeente?", "likert", "4", "Mee eens",
			"6", "30,00", "20", "", "14,55", "51,90", "", "", "", "", "", "", ""}},
		{"label with ';'", 16, []string{"2027-03", "vervoer", "Hoe komt u naar het centrum?", "single", "fiets", "Fiets; of te voet",
			"9", "50,00", "18", "", "29,03", "70,97", "", "", "", "", "", "", ""}},
		{"ranking", 21, []string{"2027-03", "waarden", "Wie van de drie past het best bij Dalfsen?", "wievandedrie", "a", "Groen",
			"22", "73,33", "30", "", "", "", "", "", "", "1", "71,75", "56,63", "83,17"}},
		{"open answer with ë and ';'", 26, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3",
			"Het café in Hoonhorst; de ideeën van België", "", "", "", "", "", "", "", "", ""}},
		{"formula defused", 27, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3", "'=1+1", "", "", "", "", "", "", "", "", ""}},
		{"newline kept", 28, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3", "Regel één\nregel twee", "", "", "", "", "", "", "", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(rows[tt.row], tt.want) {
				t.Errorf("got %q, want %q", rows[tt.row], tt.want)
			}
		})
	}
}

func TestWriteCSVDutchWithheld(t *testing.T) {
	tests := []struct {
		name string
		r    *Results
	}{
		{"live", Live(resResults())},
		{"too few", tooFewResults()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCSV(&b, tt.r); err != nil {
				t.Fatal(err)
			}
			rows := readAsDutchExcel(t, b.Bytes())
			if len(rows) != 1+len(tt.r.Questions) {
				t.Errorf("rows: got %d, want a header and one per question", len(rows))
			}
			for _, row := range rows[1:] {
				for _, c := range row[colCount:] {
					if c != "" {
						t.Errorf("row %q: got figures, want none", row)
						break
					}
				}
			}
		})
	}
}

// tooFewResults are the results of a round of 8: fewer than the threshold.
func tooFewResults() *Results {
	tallies := resTallies()
	for k := range tallies {
		if strings.HasPrefix(k, "respondents") {
			delete(tallies, k)
		}
	}
	tallies["respondents"], tallies["respondents:k:Dalfsen"] = 8, 8
	return Compute(resSurvey(), resRound, tallies, resOpen, 10)
}

func TestWriteRawCSVDutch(t *testing.T) {
	s := &surveys.Survey{Questions: []surveys.Question{
		{ID: "ingang", Type: surveys.Single}, {ID: "waarden", Type: surveys.WieVanDeDrie}, {ID: "goed", Type: surveys.Open},
	}}
	rs := rawFixture()[:2]
	rs[0].Answers["goed"] = surveys.Answer{Skipped: true}
	rs[1].Kern = "Oudleusen; bij de brug"
	rs[1].Answers["goed"] = surveys.Answer{Text: "Geen ideeën; wel zorgen"}
	var nl, intl bytes.Buffer
	if err := WriteRawCSV(&nl, s, "r1", rs); err != nil {
		t.Fatal(err)
	}
	if err := WriteRawCSVIntl(&intl, s, "r1", rs); err != nil {
		t.Fatal(err)
	}
	rows := readAsDutchExcel(t, nl.Bytes())
	intlRows, err := csv.NewReader(&intl).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		row  int
		want string // the cells joined by "|"
	}{
		{"header", 0, "ronde|deelnemer|kern|leeftijd|vraag|veld|soort|overgeslagen|keuzes|winnaar|verliezers|open_antwoord"},
		{"triad", 2, "r1|x000|Dalfsen|25-44|waarden|waarden#0|wievandedrie|nee||a|b, c|"},
		{"skipped", 3, "r1|x000|Dalfsen|25-44|goed|goed|open|ja||||"},
		{"ë and ';'", 6, "r1|x001|Oudleusen; bij de brug|25-44|goed|goed|open|nee||||Geen ideeën; wel zorgen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(rows[tt.row], "|"); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if len(rows) != len(intlRows) {
		t.Errorf("rows: got %d, want %d as in csv-intl", len(rows), len(intlRows))
	}
}
