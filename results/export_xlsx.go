package results

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sheetSpec is one sheet of the workbook: the rows of one kind, some of the
// columns of the results export.
type sheetSpec struct {
	name string
	kind rowKind
	cols []int
	// names are this sheet's names of columns whose Dutch name (column.nl)
	// says less here: a ranking counts picks and showings.
	names map[int]string
}

// resultSheets are the sheets of WriteXLSX, in order.
var resultSheets = []sheetSpec{
	{name: "Uitslag", kind: choiceRow, cols: []int{colRound, colQuestionID, colQuestion, colType, colOptionID, colOption,
		colCount, colPercent, colN, colLow, colHigh, colWeighted, colWeightedLow, colWeightedHigh}},
	{name: "Wie van de drie", kind: rankingRow, cols: []int{colRound, colQuestionID, colQuestion, colOptionID, colOption,
		colCount, colN, colPercent, colPlace, colChosen, colChosenLow, colChosenHigh},
		names: map[int]string{colCount: "gekozen", colN: "getoond", colPercent: "percentage_gekozen"}},
	{name: "Open antwoorden", kind: openRow, cols: []int{colRound, colQuestionID, colQuestion, colN, colAnswer},
		names: map[int]string{colN: "aantal_antwoorden"}},
	{name: "Vragen", kind: withheldRow, cols: []int{colRound, colQuestionID, colQuestion, colType}},
}

// xlsxMaxRows is how many rows a sheet holds, its header included: Excel's
// limit (excelize.TotalRows, 1,048,576). A variable so that a test can split
// a sheet without a million rows.
var xlsxMaxRows = excelize.TotalRows

// xlsxWidths are the widths of the wide columns, in characters; the others
// are defaultWidth.
var xlsxWidths = map[int]float64{colQuestion: 50, colOption: 24, colAnswer: 70}

const defaultWidth = 14

// WriteXLSX writes the results as an Excel workbook for Dutch offices: the rows
// of WriteCSV with their Dutch column names, numbers as numeric cells (Excel
// shows them with the reader's own decimal separator), one sheet per kind of
// row, sheets without rows left out:
//
//   - "Uitslag": the options of single, multiple, likert and rating questions;
//   - "Wie van de drie": the ranked options: gekozen (wins) of getoond (shown)
//     and percentage_gekozen, their win rate;
//   - "Open antwoorden": one row per open answer;
//   - "Vragen": the questions without figures, for Live results and a round
//     with fewer respondents than the threshold (unless Internal).
//
// Live, Internal and too-few results start with a sheet "Let op" that holds
// their message. Texts are text cells, never formulas, so they need no
// apostrophe. A sheet that would pass Excel's limit of rows continues on
// "<name> 2", "<name> 3" and so on.
func WriteXLSX(w io.Writer, r *Results) error {
	f := excelize.NewFile()
	defer f.Close()
	b, err := newBook(f)
	if err != nil {
		return fmt.Errorf("write xlsx results: %w", err)
	}
	if msg := xlsxMessage(r); msg != "" {
		if err := b.message("Let op", msg); err != nil {
			return fmt.Errorf("write xlsx results: %w", err)
		}
	}
	rows, tables := resultRows(r), 0
	for _, s := range resultSheets {
		var mine []resultRow
		for _, row := range rows {
			if row.kind == s.kind {
				mine = append(mine, row)
			}
		}
		if len(mine) == 0 && (tables > 0 || s.kind != withheldRow) {
			continue // no rows at all: the last sheet, with its header only
		}
		if err := b.table(s, mine); err != nil {
			return fmt.Errorf("write xlsx results: sheet %s: %w", s.name, err)
		}
		tables++
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx results: %w", err)
	}
	return nil
}

// xlsxMessage is what the workbook says first: why it holds no figures, or
// that its figures may not be shared; "" for results to share.
func xlsxMessage(r *Results) string {
	if r.TooFew && !r.Internal && !r.Live {
		return TooFewMessage(r.Threshold)
	}
	return r.Message
}

// book writes the sheets of one workbook.
type book struct {
	f      *excelize.File
	sheets int
	// style ids
	bold, wrap, countStyle, percentStyle int
}

func newBook(f *excelize.File) (*book, error) {
	b := &book{f: f}
	var err error
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&b.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&b.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&b.countStyle, &excelize.Style{NumFmt: 1}},   // 0
		{&b.percentStyle, &excelize.Style{NumFmt: 2}}, // 0.00, shown as 0,00 in Dutch
	}
	for _, st := range styles {
		if *st.id, err = f.NewStyle(st.s); err != nil {
			return nil, fmt.Errorf("style: %w", err)
		}
	}
	return b, nil
}

// sheet adds a sheet: the first takes the place of the new file's "Sheet1".
func (b *book) sheet(name string) error {
	b.sheets++
	if b.sheets == 1 {
		return b.f.SetSheetName("Sheet1", name)
	}
	_, err := b.f.NewSheet(name)
	return err
}

// message writes a sheet that holds only msg.
func (b *book) message(name, msg string) error {
	if err := b.sheet(name); err != nil {
		return err
	}
	if err := b.f.SetColWidth(name, "A", "A", 100); err != nil {
		return err
	}
	if err := b.f.SetCellStr(name, "A1", msg); err != nil {
		return err
	}
	return b.f.SetCellStyle(name, "A1", "A1", b.wrap)
}

// table writes the rows on sheet s, continued on further sheets past
// xlsxMaxRows, each with the header.
func (b *book) table(s sheetSpec, rows []resultRow) error {
	per := max(xlsxMaxRows-1, 1)
	for part := 1; part == 1 || len(rows) > 0; part++ {
		n := min(per, len(rows))
		name := s.name
		if part > 1 {
			name += " " + strconv.Itoa(part)
		}
		if err := b.part(name, s, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (b *book) part(name string, s sheetSpec, rows []resultRow) error {
	if err := b.sheet(name); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, c := range s.cols {
		width := float64(defaultWidth)
		if wd, ok := xlsxWidths[c]; ok {
			width = wd
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(s.cols))
	for i, c := range s.cols {
		h := resultColumns[c].nl
		if alt, ok := s.names[c]; ok {
			h = alt
		}
		header[i] = excelize.Cell{StyleID: b.bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, row := range rows {
		values := make([]any, len(s.cols))
		for j, c := range s.cols {
			values[j] = b.value(row.cells[c])
		}
		ref, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// value is a cell as the stream writer takes it: nil for an empty cell, a
// number rounded as the CSV writes it (so both files hold the same figures),
// a text as it is.
func (b *book) value(c cell) any {
	switch {
	case c.isNum && (math.IsNaN(c.num) || math.IsInf(c.num, 0)):
		return nil
	case c.isNum && c.decimals == 0:
		return excelize.Cell{StyleID: b.countStyle, Value: int64(c.num)}
	case c.isNum:
		v, _ := strconv.ParseFloat(formatNumber(c, '.'), 64)
		return excelize.Cell{StyleID: b.percentStyle, Value: v}
	case c.text == "":
		return nil
	}
	return c.text
}
