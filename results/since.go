package results

import (
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

// The kinds of figure a Move is of (Move.Measure).
const (
	MoveAgree  = "agree"  // the share (zeer) mee eens of a likert question
	MoveMean   = "mean"   // the mean mark of a rating question
	MoveOption = "option" // the share that chose an option
	MoveChance = "chance" // a wie-van-de-drie option's chance to be picked
)

// How a figure moved (Move.Change): by more than chance explains, or not.
const (
	MoveUp   = "up"
	MoveDown = "down"
	MoveSame = "same"
)

// Move is how a round's main figure moved since the round before, for the
// residents' "Sinds de vorige ronde: …" line (Results.SinceMove).
type Move struct {
	QuestionID string `json:"question_id"`
	// Question is the question's text, Label the option's (for MoveOption and
	// MoveChance), both as the survey has them.
	Question string `json:"question"`
	OptionID string `json:"option_id,omitempty"`
	Label    string `json:"label,omitempty"`
	Measure  string `json:"measure"`
	// Before and Now are the figures, shares (0..100) when Percent.
	Before  float64 `json:"before"`
	Now     float64 `json:"now"`
	Percent bool    `json:"percent"`
	Change  string  `json:"change"`
}

// Text is the move as residents read it, in the language of pr: "Sinds de vorige
// ronde: ‘De gemeente luistert …’, (zeer) mee eens: vorige keer 42%, nu 47%
// (gestegen)."
func (m *Move) Text(pr *lang.Printer) string {
	var measure string
	switch m.Measure {
	case MoveOption, MoveChance:
		measure = pr.T("result.since.measure."+m.Measure, "Optie", m.Label)
	default:
		measure = pr.T("result.since.measure." + m.Measure)
	}
	return pr.T("result.since", "Vraag", m.Question, "Maat", measure,
		"Vorige", MoveValue(pr, m.Before, m.Percent), "Nu", MoveValue(pr, m.Now, m.Percent),
		"Verloop", pr.T("result.since.change."+m.Change))
}

// MoveValue writes a figure of a move with at most one decimal: "47%", "6,8".
func MoveValue(pr *lang.Printer, v float64, percent bool) string {
	s := pr.Decimal(v, 1)
	if !percent {
		return s
	}
	return pr.T("percent", "N", strings.TrimSuffix(s, pr.T("decimal_sign")+"0"))
}
