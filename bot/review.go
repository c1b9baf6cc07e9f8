package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
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
	loc := rc.e.cfg.Location
	var b strings.Builder
	fmt.Fprintf(&b, "Klaar, bedankt! 🙏 Uw antwoorden op ‘%s’ zijn opgeslagen:\n\n", rc.s.Title)
	b.WriteString(rc.answerList())
	fmt.Fprintf(&b, "\n\nKlopt iets niet? Tot de ronde sluit (%s) kunt u elk antwoord wijzigen. "+
		"Daarna krijgt u de uitkomst, en uiterlijk %s hoort u wat er met de uitkomst is gedaan.",
		rc.pr().Moment(rc.r.ClosesAt.In(loc)), dutch.Date(rc.s.Card.Terugkoppeling))
	rows := [][]Choice{{{Label: "Antwoorden wijzigen", Data: encode("e", rc.r.Code)}}}
	next, err := rc.nextRound(ctx, rc.r.ID)
	if err != nil {
		return Message{}, err
	}
	if next != nil {
		s, _ := rc.e.catalog.Survey(next.Survey)
		fmt.Fprintf(&b, "\n\nEr staat nog een ronde voor u open: ‘%s’.", s.Title)
		rows = append(rows, []Choice{{Label: "Volgende ronde: " + s.Title, Data: encode("j", next.Code), Short: "Volgende ronde"}})
	}
	return Message{Text: b.String(), Choices: rows}, nil
}

// answerList is the resident's answers, one line per question: "1. Wat is uw
// rol? – Bewoner".
func (rc *roundConv) answerList() string {
	lines := make([]string, len(rc.s.Questions))
	for i, q := range rc.s.Questions {
		given := describe(q, rc.answers[q.ID])
		if q.Type == surveys.WieVanDeDrie {
			var picks []string
			for t := range q.Triads {
				if d := describe(q, rc.answers[fmt.Sprintf("%s#%d", q.ID, t)]); d != "" {
					picks = append(picks, d)
				}
			}
			given = strings.Join(picks, ", ")
		}
		if given == "" {
			given = "geen antwoord"
		}
		lines[i] = fmt.Sprintf("%d. %s – %s", i+1, Clip(q.Text, 60), given)
	}
	return strings.Join(lines, "\n")
}

// chooseChange asks which answer to change, with a button per question.
func (rc *roundConv) chooseChange(ctx context.Context) error {
	if err := rc.e.store.SetCurrentRound(ctx, rc.pid, rc.r.ID); err != nil {
		return err
	}
	text := "Welk antwoord wilt u wijzigen? Kies de vraag.\n\n" + rc.answerList()
	var rows [][]Choice
	var row []Choice
	for i := range rc.s.Questions {
		row = append(row, Choice{Label: fmt.Sprintf("Vraag %d", i+1), Data: encode("q", rc.r.Code, i)})
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
