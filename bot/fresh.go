package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

var _ Freshness = (*Engine)(nil)

// Current tells the outbox, just before it sends m, whether m is still true and what to
// send (Freshness). A message may wait long in the queue: behind a broadcast, through
// quiet hours, or a lease after a crash, so what was true when it was queued need not
// be true when its turn comes.
//
//   - a question prompt goes only while the resident has not moved past that step in
//     the round, which is open; it is rendered again from the session as it is now,
//     with the answer so far and the ticks stored. A prompt whose step the session has
//     not reached yet (queued just before the session was saved, or the resident went
//     back) goes as queued unless that step has an answer already.
//   - an invitation goes only to a resident who has not started the round (no session,
//     no answer), while it is open.
//   - a reminder goes only to a resident who has not finished the round, while it is open.
//
// A message without About, or about something Current does not know, goes as it is.
func (e *Engine) Current(ctx context.Context, m Message) (Message, bool, error) {
	a := m.About
	if a == nil || m.Participant == "" {
		return m, true, nil
	}
	r, err := e.store.Round(ctx, a.Round)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return m, false, nil
	case err != nil:
		return m, false, fmt.Errorf("check %s message: %w", a.Kind, err)
	case r.State != storage.Opened:
		return m, false, nil
	}
	// a prompt rendered again is in the language it was queued in (Message.Lang)
	c := &conv{e: e, pid: m.Participant, chosen: lang.Code(m.Lang).Or()}
	switch a.Kind {
	case AboutInvite:
		ss, err := e.store.Session(ctx, r.ID, m.Participant)
		if err != nil || ss.Exists {
			return m, false, err
		}
		answers, err := e.store.Answers(ctx, r.ID, m.Participant)
		return m, err == nil && len(answers) == 0, err
	case AboutReminder:
		done, err := e.store.Completed(ctx, r.ID, m.Participant)
		return m, err == nil && !done, err
	case AboutPrompt:
		rc, err := c.loadRound(ctx, r)
		if err != nil || rc == nil {
			return m, false, err
		}
		return rc.currentPrompt(ctx, m)
	}
	return m, true, nil
}

// currentPrompt decides on prompt m against the session loaded in rc.
func (rc *roundConv) currentPrompt(ctx context.Context, m Message) (Message, bool, error) {
	a := m.About
	pos := -1
	for i, q := range rc.s.Questions {
		if q.ID == a.Question {
			pos = i
		}
	}
	if pos < 0 {
		return m, false, nil // the question left the survey
	}
	at, want := step{rc.ss.Pos, rc.ss.Sub}, step{pos, a.Sub}
	switch {
	case !rc.ss.Exists || at.before(want):
		_, answered := rc.answers[a.Question] // an answer, or a skip (also of a wie van de drie)
		if rc.s.Questions[pos].Type == surveys.WieVanDeDrie {
			_, picked := rc.answers[fmt.Sprintf("%s#%d", a.Question, a.Sub)]
			answered = answered || picked
		}
		return m, !answered, nil
	case want.before(at):
		return m, false, nil // answered or passed
	}
	out, err := rc.prompt(ctx)
	if err != nil {
		return m, false, err
	}
	out.To, out.Participant, out.EditRef, out.Lang = m.To, m.Participant, m.EditRef, m.Lang
	return out, true, nil
}

// step is a place in a round: question and triad.
type step struct{ pos, sub int }

func (s step) before(t step) bool { return s.pos < t.pos || s.pos == t.pos && s.sub < t.sub }
