package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// advance moves the session on from step (qi, sub), the step just answered: to the
// next triad or question, or, once the round was finished before (the resident is
// changing an answer), back to the end, where the answers are shown again.
func (rc *roundConv) advance(ctx context.Context, qi, sub int) error {
	pos, next := rc.next(qi, sub)
	if pos != qi && pos < len(rc.s.Questions) {
		done, err := rc.e.store.Completed(ctx, rc.r.ID, rc.pid)
		if err != nil {
			return err
		}
		if done {
			pos, next = len(rc.s.Questions), 0
		}
	}
	rc.ss.Pos, rc.ss.Sub = pos, next
	return nil
}

// thanks is the message at the end of a round: the answers given, when they can be
// changed and what comes next, with a button to change one and one to the next open
// round the resident has not finished.
func (rc *roundConv) thanks(ctx context.Context) (Message, error) {
	pr := rc.pr()
	text := pr.T("round.thanks", "Titel", rc.s.Title, "Antwoorden", rc.answerList(),
		"Sluit", pr.Moment(rc.r.ClosesAt.In(rc.e.cfg.Location)), "Terugkoppeling", pr.Date(rc.s.Card.Terugkoppeling))
	rows := [][]Choice{{{Label: pr.T("round.change_button"), Data: encode("e", rc.r.Code)}}}
	next, err := rc.nextRound(ctx, rc.r.ID)
	if err != nil {
		return Message{}, err
	}
	if next != nil {
		s, _ := rc.e.catalog.Survey(next.Survey)
		s = rc.survey(s)
		text += "\n\n" + pr.T("round.thanks_next", "Titel", s.Title)
		rows = append(rows, []Choice{{Label: pr.T("round.next_button", "Titel", s.Title), Data: encode("j", next.Code),
			Short: pr.T("round.next_button_short")}})
	}
	return Message{Text: text, Choices: rows}, nil
}

// answerList is the resident's answers, one line per question: "1. Wat is uw
// rol? – Bewoner".
func (rc *roundConv) answerList() string {
	pr := rc.pr()
	lines := make([]string, len(rc.s.Questions))
	for i, q := range rc.s.Questions {
		given := describeIn(pr, q, rc.answers[q.ID])
		if q.Type == surveys.WieVanDeDrie {
			var picks []string
			for t := range q.Triads {
				if d := describeIn(pr, q, rc.answers[fmt.Sprintf("%s#%d", q.ID, t)]); d != "" {
					picks = append(picks, d)
				}
			}
			given = strings.Join(picks, pr.T("list_sep"))
		}
		if given == "" {
			given = pr.T("round.no_answer")
		}
		lines[i] = pr.T("round.answer_line", "Nummer", pr.Int(i+1), "Vraag", Clip(q.Text, 60), "Antwoord", given)
	}
	return strings.Join(lines, "\n")
}

// chooseChange asks which answer to change, with a button per question.
func (rc *roundConv) chooseChange(ctx context.Context) error {
	if err := rc.e.store.SetCurrentRound(ctx, rc.pid, rc.r.ID); err != nil {
		return err
	}
	text := rc.t("round.choose_change", "Antwoorden", rc.answerList())
	var rows [][]Choice
	var row []Choice
	for i := range rc.s.Questions {
		row = append(row, Choice{Label: rc.t("round.question_button", "Nummer", rc.pr().Int(i+1)), Data: encode("q", rc.r.Code, i)})
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rc.sayText(ctx, text, rows...)
}

// nextRound is an open round, other than skip, that the resident has not finished;
// nil when there is none.
func (c *conv) nextRound(ctx context.Context, skip string) (*storage.Round, error) {
	rounds, err := c.openRounds(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if r.ID == skip {
			continue
		}
		done, err := c.e.store.Completed(ctx, r.ID, c.pid)
		if err != nil {
			return nil, err
		}
		if !done {
			return r, nil
		}
	}
	return nil, nil
}
