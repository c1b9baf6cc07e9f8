package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// csvDialect is how a CSV export writes its cells.
type csvDialect struct {
	comma   rune
	decimal byte // between the whole and the decimals of a number
	// bom puts a UTF-8 byte order mark first: without it Excel reads the file in
	// the Windows code page, and "België" becomes "BelgiÃ«".
	bom   bool
	crlf  bool
	dutch bool // Dutch column names (column.nl)
	// yes and no write a raw answer's skipped; list joins its option ids.
	yes, no, list string
}

var (
	// dutchCSV opens as columns in Dutch Excel and LibreOffice by a double
	// click: in the nl-NL locale their list separator is ';', because the
	// comma is the decimal separator.
	dutchCSV = csvDialect{comma: ';', decimal: ',', bom: true, crlf: true, dutch: true, yes: "ja", no: "nee", list: ", "}
	// intlCSV is the CSV for scripts, as it always was: RFC 4180 commas, a
	// decimal point, English column names, no BOM.
	intlCSV = csvDialect{comma: ',', decimal: '.', yes: "true", no: "false", list: ";"}
)

// writer starts a CSV in the dialect on w.
func (d csvDialect) writer(w io.Writer) (*csv.Writer, error) {
	if d.bom {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = d.comma, d.crlf
	return cw, nil
}

// header names the columns in the dialect's language.
func (d csvDialect) header(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.intl
		if d.dutch {
			out[i] = c.nl
		}
	}
	return out
}

// value writes one cell: a number with the dialect's decimal separator, a text
// defused (safeCell).
func (d csvDialect) value(c cell) string {
	if c.isNum {
		return formatNumber(c, d.decimal)
	}
	return safeCell(c.text)
}

// WriteCSV writes the results as CSV for Dutch offices, so that Excel and
// LibreOffice in Dutch open it as a table: ';' between the cells, a decimal
// comma ("12,50"), a UTF-8 byte order mark first, lines ending in CRLF, and
// Dutch column names:
//
//	ronde;vraag;vraagtekst;soort;antwoord_id;antwoord;aantal;percentage;basis;open_antwoord;ondergrens_95;bovengrens_95;gewogen_percentage
//
// The rows are those of WriteCSVIntl, which explains them; the columns are the
// same, in the same order.
func WriteCSV(w io.Writer, r *Results) error { return writeResultsCSV(w, dutchCSV, r) }

// WriteCSVIntl writes the results as CSV for scripts (the csv-intl format):
// ',' between the cells, a decimal point, no byte order mark and English
// column names, one row per question and option:
//
//   - single, multiple, likert, rating: count is how often the option was chosen,
//     n the question's N and percent count/n*100 (for multiple, n counts
//     respondents, so a question's percentages may add up to more than 100);
//   - wie van de drie: one row per option in the order the reports list them
//     (Ranked: by the figure, equal ones by label), count is the wins and n
//     the times shown, so percent = count/n*100 is the win rate, just as in the
//     other rows; an option never shown has count 0 and n 0; place, the
//     figure (kans gekozen uit drie, in percent) and its 90% band are those
//     of the reports, empty for an option without a figure;
//   - open: one row per answer, option columns and count and percent empty,
//     n the number of answers and the text in answer.
//
// ci95_low and ci95_high are the 95% Wilson interval of percent (choice
// questions), weighted_percent the percent weighted to the population when the
// results are weighted; empty otherwise.
//
// Percentages have two decimals. Text cells that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or carriage return) get a leading
// apostrophe, as OWASP advises against CSV injection: the open answers come
// from anyone.
//
// Live results, and a round with fewer respondents than the threshold (unless
// Internal), get one row per question without figures.
func WriteCSVIntl(w io.Writer, r *Results) error { return writeResultsCSV(w, intlCSV, r) }

func writeResultsCSV(w io.Writer, d csvDialect, r *Results) error {
	cw, err := d.writer(w)
	if err != nil {
		return fmt.Errorf("write csv results: %w", err)
	}
	rows := [][]string{d.header(resultColumns[:])}
	for _, row := range resultRows(r) {
		out := make([]string, numResultCols)
		for i, c := range row.cells {
			out[i] = d.value(c)
		}
		rows = append(rows, out)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv results: %w", err)
	}
	return nil
}

// safeCell keeps a spreadsheet from reading a text cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
