package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// intlHeader is the header of the csv-intl export, as scripts read it.
var intlHeader = []string{"round", "question_id", "question", "type", "option_id", "option", "count", "percent", "n", "answer",
	"ci95_low", "ci95_high", "weighted_percent", "weighted_ci95_low", "weighted_ci95_high", "place", "chosen_from_three_percent", "chosen_low_90", "chosen_high_90"}

func TestWriteCSVIntl(t *testing.T) {
	r := resResults()
	r.Questions[5].Open = []string{"Groen, \"veel\" groen\nen bankjes", "=HYPERLINK(\"x\")", "🙂 مرحبا"}
	var b bytes.Buffer
	if err := WriteCSVIntl(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("parse: got %v, want valid CSV", err)
	}
	if !reflect.DeepEqual(rows[0], intlHeader) {
		t.Errorf("header: got %v, want %v", rows[0], intlHeader)
	}
	if bytes.HasPrefix(b.Bytes(), []byte("\ufeff")) || bytes.Contains(b.Bytes(), []byte("\r\n")) {
		t.Errorf("got a byte order mark or CRLF, want the plain CSV scripts read")
	}
	// 5 likert + 10 rating + 3 single + 2 multiple + 5 ranking + 3 open answers
	if len(rows) != 1+5+10+3+2+5+3 {
		t.Errorf("rows: got %v, want %v", len(rows), 1+5+10+3+2+5+3)
	}
	tests := []struct {
		name string
		row  int
		want []string
	}{
		{"likert", 4, []string{"2027-03", "luistert", "De gemeente luistert voldoende naar de mening van de inwoners", "likert", "4", "Mee eens", "6", "30.00", "20", "", "14.55", "51.90", "", "", "", "", "", "", ""}},
		{"single", 17, []string{"2027-03", "vervoer", "Hoe komt u naar het centrum?", "single", "auto", "Auto", "6", "33.33", "18", "", "16.28", "56.25", "", "", "", "", "", "", ""}},
		{"multiple", 19, []string{"2027-03", "thema", "Welke thema's vindt u belangrijk?", "multiple", "groen", "Groen", "10", "83.33", "12", "", "55.20", "95.30", "", "", "", "", "", "", ""}},
		{"ranking: wins of shown", 21, []string{"2027-03", "waarden", "Wie van de drie past het best bij Dalfsen?", "wievandedrie", "a", "Groen", "22", "73.33", "30", "", "", "", "", "", "", "1", "71.75", "56.63", "83.17"}},
		{"ranking: a shared place", 22, []string{"2027-03", "waarden", "Wie van de drie past het best bij Dalfsen?", "wievandedrie", "b", "Veilig", "9", "34.62", "26", "", "", "", "", "", "", "2–3", "37.63", "24.27", "53.17"}},
		{"never shown", 25, []string{"2027-03", "waarden", "Wie van de drie past het best bij Dalfsen?", "wievandedrie", "e", "Sportief", "0", "0.00", "0", "", "", "", "", "", "", "", "", "", ""}},
		{"open answer with comma, quotes, newline", 26, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3", "Groen, \"veel\" groen\nen bankjes", "", "", "", "", "", "", "", "", ""}},
		{"formula defused", 27, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3", "'=HYPERLINK(\"x\")", "", "", "", "", "", "", "", "", ""}},
		{"emoji and rtl", 28, []string{"2027-03", "goed", "Wat gaat goed?", "open", "", "", "", "", "3", "🙂 مرحبا", "", "", "", "", "", "", "", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.row >= len(rows) {
				t.Fatalf("row %d: got %d rows", tt.row, len(rows))
			}
			if !reflect.DeepEqual(rows[tt.row], tt.want) {
				t.Errorf("got %q, want %q", rows[tt.row], tt.want)
			}
		})
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	r := resResults()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n  \"survey_id\": \"peiling-dalfsen\",\n") {
		t.Errorf("got %.200s, want 2-space indented snake_case JSON", b.String())
	}
	var got Results
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("decode: got %v, want valid JSON", err)
	}
	want := *r
	want.Survey = nil   // not exported
	want.decision = nil // not exported either: the round's disclosure decision
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestJSONKeepsSuppressedHidden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, resResults()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ByKern     []map[string]any `json:"by_kern"`
		ByLeeftijd []map[string]any `json:"by_leeftijd"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range append(got.ByKern, got.ByLeeftijd...) {
		if c["suppressed"] == true && c["count"] != float64(0) {
			t.Errorf("cell %v: got count %v, want 0", c["group"], c["count"])
		}
	}
	hidden := map[string]bool{"Hoonhorst": true, "onbekend": true, "18-34": true, "65+": true}
	for _, c := range append(got.ByKern, got.ByLeeftijd...) {
		if g := c["group"].(string); hidden[g] != (c["suppressed"] == true) {
			t.Errorf("cell %v suppressed: got %v, want %v", g, c["suppressed"], hidden[g])
		}
	}
}
