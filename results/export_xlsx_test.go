package results

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openXLSX writes r as a workbook and opens it again, as Excel would.
func openXLSX(t *testing.T, r *Results) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// isNumber reports whether a cell is stored as a number: OOXML writes no type
// for a number, or "n".
func isNumber(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	_, perr := strconv.ParseFloat(v, 64)
	return (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber) && v != "" && perr == nil
}

func TestWriteXLSX(t *testing.T) {
	f := openXLSX(t, dutchResults())
	if got, want := f.GetSheetList(), []string{"Uitslag", "Wie van de drie", "Open antwoorden"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets: got %q, want %q", got, want)
	}
	headers := []struct {
		sheet string
		want  []string
	}{
		{"Uitslag", []string{"ronde", "vraag", "vraagtekst", "soort", "antwoord_id", "antwoord", "aantal", "percentage", "basis",
			"ondergrens_95", "bovengrens_95", "gewogen_percentage", "gewogen_ondergrens_95", "gewogen_bovengrens_95"}},
		{"Wie van de drie", []string{"ronde", "vraag", "vraagtekst", "antwoord_id", "antwoord", "gekozen", "getoond", "percentage_gekozen",
			"plaats", "kans_gekozen_uit_drie", "kans_ondergrens_90", "kans_bovengrens_90"}},
		{"Open antwoorden", []string{"ronde", "vraag", "vraagtekst", "aantal_antwoorden", "open_antwoord"}},
	}
	for _, h := range headers {
		rows, err := f.GetRows(h.sheet)
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: got %d rows (%v), want a header and rows", h.sheet, len(rows), err)
		}
		if !reflect.DeepEqual(rows[0], h.want) {
			t.Errorf("%s header: got %q, want %q", h.sheet, rows[0], h.want)
		}
	}
	// 5 likert + 10 rating + 3 single + 2 multiple; 5 ranked; 3 open answers
	for sheet, want := range map[string]int{"Uitslag": 21, "Wie van de drie": 6, "Open antwoorden": 4} {
		if rows, _ := f.GetRows(sheet); len(rows) != want {
			t.Errorf("%s: got %d rows, want %d", sheet, len(rows), want)
		}
	}
	cells := []struct {
		name, sheet, ref string
		number           bool
		want             string // raw value
	}{
		{"percentage", "Uitslag", "H5", true, "30"},
		{"count", "Uitslag", "G5", true, "6"},
		{"interval", "Uitslag", "J5", true, "14.55"},
		{"text with ë", "Uitslag", "C5", false, "Weet u genoeg over de ideeën van de gemeente?"},
		{"option id stays text", "Uitslag", "E5", false, "4"},
		{"no weighting: empty", "Uitslag", "L5", false, ""},
		{"win rate", "Wie van de drie", "H2", true, "73.33"},
		{"shown", "Wie van de drie", "G2", true, "30"},
		{"place", "Wie van de drie", "I2", false, "1"},
		{"chosen from three", "Wie van de drie", "J2", true, "71.75"},
		{"its band", "Wie van de drie", "L2", true, "83.17"},
		{"open answer as given", "Open antwoorden", "E3", false, "=1+1"},
	}
	for _, c := range cells {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.GetCellValue(c.sheet, c.ref, excelize.Options{RawCellValue: true})
			if err != nil || got != c.want {
				t.Errorf("%s!%s: got %q (%v), want %q", c.sheet, c.ref, got, err, c.want)
			}
			if n := isNumber(t, f, c.sheet, c.ref); n != c.number {
				t.Errorf("%s!%s numeric: got %v, want %v", c.sheet, c.ref, n, c.number)
			}
			if formula, _ := f.GetCellFormula(c.sheet, c.ref); formula != "" {
				t.Errorf("%s!%s: got formula %q, want none", c.sheet, c.ref, formula)
			}
		})
	}
	// Excel shows the percentage with the reader's decimal separator: 30,00 in Dutch.
	if got, _ := f.GetCellValue("Uitslag", "H5"); got != "30.00" {
		t.Errorf("H5 formatted: got %q, want 30.00 (format 0.00)", got)
	}
}

func TestWriteXLSXWithheld(t *testing.T) {
	internal := tooFewResults()
	internal.Internal, internal.Message = true, InternalTooFew(internal.Threshold)
	tests := []struct {
		name    string
		r       *Results
		sheets  []string
		message string
		figures bool
	}{
		{"live", Live(resResults()), []string{"Let op", "Vragen"}, "Tussenstand: de ronde is nog open", false},
		{"too few", tooFewResults(), []string{"Let op", "Vragen"}, "Te weinig deelnemers om de uitslag te tonen", false},
		{"too few, internal", internal, []string{"Let op", "Uitslag", "Wie van de drie", "Open antwoorden"}, "INTERN — niet delen", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := openXLSX(t, tt.r)
			if got := f.GetSheetList(); !reflect.DeepEqual(got, tt.sheets) {
				t.Fatalf("sheets: got %q, want %q", got, tt.sheets)
			}
			if got, _ := f.GetCellValue("Let op", "A1"); !strings.HasPrefix(got, tt.message) {
				t.Errorf("Let op: got %q, want %q first", got, tt.message)
			}
			numbers := 0
			for _, sheet := range tt.sheets[1:] {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range rows {
					for j := range row {
						ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
						if isNumber(t, f, sheet, ref) {
							numbers++
						}
					}
				}
			}
			if got := numbers > 0; got != tt.figures {
				t.Errorf("figures: got %d numbers, want figures %v", numbers, tt.figures)
			}
		})
	}
}

// TestWriteXLSXPastTheRowLimit: a sheet that would pass Excel's limit of rows
// continues on the next, with the header again.
func TestWriteXLSXPastTheRowLimit(t *testing.T) {
	defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
	xlsxMaxRows = 3 // a header and two rows
	r := resResults()
	r.Questions[5].Open = []string{"een", "twee", "drie", "vier", "vijf"}
	f := openXLSX(t, r)
	var got []string
	for _, sheet := range []string{"Open antwoorden", "Open antwoorden 2", "Open antwoorden 3"} {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) == 0 || rows[0][4] != "open_antwoord" {
			t.Fatalf("%s: got %q (%v), want the header first", sheet, rows, err)
		}
		for _, row := range rows[1:] {
			got = append(got, row[4])
		}
	}
	if want := r.Questions[5].Open; !reflect.DeepEqual(got, want) {
		t.Errorf("open answers over the sheets: got %q, want %q", got, want)
	}
}
