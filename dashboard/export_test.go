package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/participatiebot/participatiebot/surveys"
)

// readDutchCSV reads a download as Excel and LibreOffice in Dutch do: a UTF-8
// byte order mark first, ';' between the cells, every row as wide as the header.
func readDutchCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(body, []byte("\ufeff"))
	if !ok {
		t.Fatalf("got %q at the start, want the UTF-8 byte order mark", body[:min(len(body), 8)])
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("parse with Comma ';': got %d rows, %v", len(rows), err)
	}
	return rows
}

// TestExportCSVForDutchOffices: the CSV download opens in Dutch Excel as a
// table: Dutch column names, numbers with a decimal comma.
func TestExportCSVForDutchOffices(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	closeRound(h)
	c := h.login("anna", "geheim")
	w := h.get("/dashboard/rounds/"+rid+"/export.csv", c)
	if w.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", w.Code)
	}
	rows := readDutchCSV(t, w.Body.Bytes())
	want := []string{"ronde", "vraag", "vraagtekst", "soort", "antwoord_id", "antwoord", "aantal", "percentage", "basis",
		"open_antwoord", "ondergrens_95", "bovengrens_95", "gewogen_percentage", "gewogen_ondergrens_95", "gewogen_bovengrens_95", "plaats", "kans_gekozen_uit_drie", "kans_ondergrens_90", "kans_bovengrens_90"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header: got %q, want %q", rows[0], want)
	}
	percentages := 0
	for _, row := range rows[1:] {
		if p := row[7]; p != "" {
			if _, err := strconv.ParseFloat(strings.Replace(p, ",", ".", 1), 64); err != nil || !strings.Contains(p, ",") {
				t.Errorf("percentage %q: want a number with a decimal comma", p)
			}
			percentages++
		}
	}
	if percentages == 0 {
		t.Errorf("no percentages in %q", rows)
	}
}

// TestExportXLSX: the Excel download beside the CSV: a workbook with Dutch
// headers and numeric cells, audited, and none for a round that is too small.
func TestExportXLSX(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); !strings.Contains(page, `href="/dashboard/rounds/`+rid+`/export.xlsx"`) {
		t.Errorf("round page (open): no Excel link beside the CSV")
	}
	closeRound(h)
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); !strings.Contains(page, `href="/dashboard/rounds/`+rid+`/export.xlsx"`) {
		t.Errorf("round page (closed): no Excel link beside the CSV")
	}
	w := h.get("/dashboard/rounds/"+rid+"/export.xlsx", c)
	if w.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", w.Code)
	}
	if got := w.Header().Get("Content-Type"); got != xlsxType {
		t.Errorf("content type: got %q, want %q", got, xlsxType)
	}
	if got, want := w.Header().Get("Content-Disposition"), "attachment; filename="+rid+"-uitslag.xlsx"; got != want {
		t.Errorf("disposition: got %q, want %q", got, want)
	}
	f, err := excelize.OpenReader(w.Body)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Uitslag")
	if err != nil || len(rows) < 2 || rows[0][0] != "ronde" || rows[0][7] != "percentage" || rows[1][0] != rid {
		t.Fatalf("Uitslag: got %d rows (%v), want the Dutch header and rows of %s", len(rows), err, rid)
	}
	typ, _ := f.GetCellType("Uitslag", "H2")
	v, _ := f.GetCellValue("Uitslag", "H2", excelize.Options{RawCellValue: true})
	if _, err := strconv.ParseFloat(v, 64); err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("percentage H2: got %q of type %v, want a numeric cell", v, typ)
	}
	if !slices.Contains(h.auditActions(), "anna: export xlsx: "+rid) {
		t.Errorf("audit: got %v, want the export", h.auditActions())
	}
}

func TestExportXLSXTooFew(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	for i := range 8 {
		h.answer(rid, fmt.Sprintf("p%d", i), "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Dalfsen"})
	}
	closeRound(h)
	c := h.login("anna", "geheim")
	if w := h.get("/dashboard/rounds/"+rid+"/export.xlsx", c); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "minder dan 10 deelnemers") {
		t.Errorf("export.xlsx: got %d, want 409 saying the round is too small", w.Code)
	}
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); strings.Contains(page, "export.xlsx") {
		t.Errorf("round page links the workbook of a round that is too small")
	}
}
