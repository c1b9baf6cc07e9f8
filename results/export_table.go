package results

import (
	"strconv"

	"github.com/participatiebot/participatiebot/surveys"
)

// The exports of the results (the CSV for Dutch offices, the CSV for scripts,
// the workbook) write the same rows: resultRows decides once what a round's
// results let out, and each format only writes the cells its own way.

// cell is one value of an export: a text, or a number with its decimals. The
// zero cell is empty.
type cell struct {
	text     string
	num      float64
	decimals int
	isNum    bool
}

func textCell(s string) cell     { return cell{text: s} }
func countCell(n int64) cell     { return cell{num: float64(n), isNum: true} }
func percentCell(p float64) cell { return cell{num: p, decimals: 2, isNum: true} }

// column names one column of an export: intl for scripts (the csv-intl export,
// unchanged since it was the only CSV), nl for Dutch offices (the CSV and the
// workbook).
type column struct{ intl, nl string }

// The columns of the results export, in order (resultColumns).
const (
	colRound = iota
	colQuestionID
	colQuestion
	colType
	colOptionID
	colOption
	colCount
	colPercent
	colN
	colAnswer
	colLow
	colHigh
	colWeighted
	colWeightedLow
	colWeightedHigh
	colPlace
	colChosen
	colChosenLow
	colChosenHigh
	numResultCols
)

// resultColumns are the columns of WriteCSV, WriteCSVIntl and, in part, of the
// sheets of WriteXLSX.
var resultColumns = [numResultCols]column{
	colRound:      {"round", "ronde"},
	colQuestionID: {"question_id", "vraag"},
	colQuestion:   {"question", "vraagtekst"},
	colType:       {"type", "soort"},
	colOptionID:   {"option_id", "antwoord_id"},
	colOption:     {"option", "antwoord"},
	colCount:      {"count", "aantal"},
	colPercent:    {"percent", "percentage"},
	colN:          {"n", "basis"},
	colAnswer:     {"answer", "open_antwoord"},
	colLow:        {"ci95_low", "ondergrens_95"},
	colHigh:       {"ci95_high", "bovengrens_95"},
	colWeighted:   {"weighted_percent", "gewogen_percentage"},
	// The weighted percentage's 95% interval, the weighting taken into
	// account (OptionResult.WeightedLow), after the older columns so that
	// readers of them by position keep working.
	colWeightedLow:  {"weighted_ci95_low", "gewogen_ondergrens_95"},
	colWeightedHigh: {"weighted_ci95_high", "gewogen_bovengrens_95"},
	// Wie van de drie: the place and the figure with its band as every
	// screen shows them (Ranked, RankName), empty for an option without one.
	colPlace:      {"place", "plaats"},
	colChosen:     {"chosen_from_three_percent", "kans_gekozen_uit_drie"},
	colChosenLow:  {"chosen_low_90", "kans_ondergrens_90"},
	colChosenHigh: {"chosen_high_90", "kans_bovengrens_90"},
}

// rowKind is what a row of the results export holds; the workbook has a sheet
// per kind.
type rowKind int

const (
	choiceRow   rowKind = iota // an option of a single, multiple, likert or rating question
	rankingRow                 // an option of a wie-van-de-drie pool
	openRow                    // one open answer
	withheldRow                // a question of results that show no figures (live, too few)
)

// resultRow is one row of the results export, its cells in resultColumns order.
type resultRow struct {
	kind  rowKind
	cells [numResultCols]cell
}

// resultRows are the rows of the results export (see WriteCSV): per question and
// option, per ranked option and per open answer; for Live results, and a round
// with fewer respondents than the threshold (unless Internal), one row per
// question without figures.
func resultRows(r *Results) []resultRow {
	var rows []resultRow
	for _, q := range r.Questions {
		if r.Live || r.TooFew && !r.Internal {
			rows = append(rows, questionRow(withheldRow, r.Round.ID, q))
			continue
		}
		rows = append(rows, questionRows(r.Round.ID, q)...)
	}
	return rows
}

// questionRow is a row of question q with its round, id, text and type filled in.
func questionRow(kind rowKind, round string, q QuestionResult) resultRow {
	row := resultRow{kind: kind}
	row.cells[colRound] = textCell(round)
	row.cells[colQuestionID] = textCell(q.ID)
	row.cells[colQuestion] = textCell(q.Text)
	row.cells[colType] = textCell(q.Type)
	return row
}

func questionRows(round string, q QuestionResult) []resultRow {
	var rows []resultRow
	switch surveys.QuestionType(q.Type) {
	case surveys.WieVanDeDrie:
		// in the order, and with the places, of the reports (Ranked)
		for _, r := range Ranked(q.Ranking).Rows {
			rr := r.RankResult
			row := questionRow(rankingRow, round, q)
			row.cells[colOptionID], row.cells[colOption] = textCell(rr.ID), textCell(rr.Label)
			row.cells[colCount], row.cells[colN] = countCell(rr.Wins), countCell(rr.Shown)
			row.cells[colPercent] = percentCell(100 * rr.WinRate)
			if !rr.NotShown && !rr.TooFew {
				row.cells[colPlace] = textCell(r.Place())
				row.cells[colChosen] = percentCell(100 * rr.Score)
				row.cells[colChosenLow], row.cells[colChosenHigh] = percentCell(100*rr.ScoreLow), percentCell(100*rr.ScoreHigh)
			}
			rows = append(rows, row)
		}
	case surveys.Open:
		for _, a := range q.Open {
			row := questionRow(openRow, round, q)
			row.cells[colN], row.cells[colAnswer] = countCell(q.N), textCell(a)
			rows = append(rows, row)
		}
	default:
		for _, o := range q.Options {
			row := questionRow(choiceRow, round, q)
			row.cells[colOptionID], row.cells[colOption] = textCell(o.ID), textCell(o.Label)
			row.cells[colCount], row.cells[colPercent] = countCell(o.Count), percentCell(o.Percent)
			row.cells[colN] = countCell(q.N)
			row.cells[colLow], row.cells[colHigh] = percentCell(o.Low), percentCell(o.High)
			if o.Weighted != nil {
				row.cells[colWeighted] = percentCell(*o.Weighted)
			}
			if o.WeightedLow != nil && o.WeightedHigh != nil {
				row.cells[colWeightedLow], row.cells[colWeightedHigh] = percentCell(*o.WeightedLow), percentCell(*o.WeightedHigh)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// formatNumber writes a number cell with its decimals and the given decimal
// separator.
func formatNumber(c cell, decimal byte) string {
	s := strconv.FormatFloat(c.num, 'f', c.decimals, 64)
	if decimal != '.' {
		b := []byte(s)
		for i := range b {
			if b[i] == '.' {
				b[i] = decimal
			}
		}
		s = string(b)
	}
	return s
}
