package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// roundConv is an event that concerns one round.
type roundConv struct {
	*conv
	r       *storage.Round
	s       *surveys.Survey // in the resident's language (conv.survey)
	ss      *storage.Session
	answers map[string]string
	changed bool // the last record replaced an earlier, different answer
	// tallies are the round's counters, read when a triad is drawn (once per update)
	tallies map[string]int64
}

func (c *conv) loadRound(ctx context.Context, r *storage.Round) (*roundConv, error) {
	s, ok := c.e.catalog.Survey(r.Survey)
	if !ok {
		return nil, nil
	}
	ss, err := c.e.store.Session(ctx, r.ID, c.pid)
	if err != nil {
		return nil, err
	}
	answers, err := c.e.store.Answers(ctx, r.ID, c.pid)
	if err != nil {
		return nil, err
	}
	return &roundConv{conv: c, r: r, s: c.survey(s), ss: ss, answers: answers}, nil
}

func (c *conv) roundChoice(ctx context.Context, cb callback) error {
	r, err := c.e.store.RoundByCode(ctx, cb.round)
	if errors.Is(err, storage.ErrNotFound) {
		return c.sayText(ctx, c.t("stale"))
	}
	if err != nil {
		return err
	}
	if r.State != storage.Opened {
		return c.sayText(ctx, c.t("round_closed"))
	}
	rc, err := c.loadRound(ctx, r)
	if err != nil {
		return err
	}
	if rc == nil {
		return c.sayText(ctx, c.t("round_closed"))
	}
	if c.ev.UpdateID != "" && rc.ss.Update == c.ev.UpdateID {
		return nil // handled fully before a crash; only the update's confirmation was lost
	}
	switch cb.verb {
	case "go", "j":
		if err := c.e.store.SetCurrentRound(ctx, c.pid, r.ID); err != nil {
			return err
		}
		if !rc.ss.Exists {
			rc.ss.Pos, rc.ss.Sub = 0, 0
		}
		if cb.verb == "j" { // from a list: the participatiekaart was not shown with it
			if err := c.sayText(ctx, c.e.card(c.pr(), rc.s, r.ClosesAt.In(c.e.cfg.Location))); err != nil {
				return err
			}
		}
		return rc.present(ctx)
	case "e":
		return rc.chooseChange(ctx)
	}
	qi := cb.args[0]
	if qi >= len(rc.s.Questions) {
		return c.sayText(ctx, c.t("stale"))
	}
	if cb.verb == "q" {
		if err := c.e.store.SetCurrentRound(ctx, c.pid, r.ID); err != nil {
			return err
		}
		rc.ss.Pos, rc.ss.Sub = qi, 0
		return rc.present(ctx)
	}
	q := rc.s.Questions[qi]
	switch cb.verb {
	case "a":
		return rc.pick(ctx, q, qi, cb.args[1])
	case "t":
		return rc.toggle(ctx, q, qi, cb.args[1], cb.args[2])
	case "d":
		return rc.done(ctx, q, qi)
	case "s":
		return rc.skip(ctx, q, qi)
	case "p":
		return rc.triadPick(ctx, q, qi, cb.args[1], cb.args[2:5], cb.args[5])
	case "w":
		return rc.triadPickKept(ctx, q, qi, cb.args[1], cb.args[2])
	case "b":
		return rc.back(ctx, qi, cb.args[1])
	}
	return c.sayText(ctx, c.t("stale"))
}

// present shows the current step, or the end of the round.
func (rc *roundConv) present(ctx context.Context) error {
	rc.ss.Await = ""
	if rc.ss.Pos >= len(rc.s.Questions) {
		rc.ss.Pos = len(rc.s.Questions)
		if _, err := rc.e.store.Complete(ctx, rc.r.ID, rc.pid); err != nil {
			return err
		}
		m, err := rc.thanks(ctx)
		if err != nil {
			return err
		}
		if err := rc.say(ctx, m); err != nil {
			return err
		}
		return rc.save(ctx)
	}
	m, err := rc.prompt(ctx)
	if err != nil {
		return err
	}
	if err := rc.say(ctx, m); err != nil {
		return err
	}
	return rc.save(ctx)
}

// prompt renders the session's current step (a question, or a triad of a wie van de
// drie) as it is now: the answer so far, the boxes ticked. Also used at send time
// (Engine.Current), so that a prompt sent late never shows a stale state.
func (rc *roundConv) prompt(ctx context.Context) (Message, error) {
	pr := rc.pr()
	pos, sub := rc.ss.Pos, rc.ss.Sub
	q := rc.s.Questions[pos]
	var rows [][]Choice
	listed := q.Options
	current := describeIn(pr, q, rc.answers[q.ID])
	switch q.Type {
	case surveys.Open:
		rc.ss.Await = q.ID
		if current != "" {
			rows = append(rows, []Choice{{Label: pr.T("round.keep_answer_button"), Data: encode("d", rc.r.Code, pos)}})
		}
	case surveys.Multiple:
		sel := rc.selection(q)
		rows = toggleRows(pr, q, rc.r.Code, pos, sel)
	case surveys.WieVanDeDrie:
		if q.Triads < 1 {
			return Message{}, fmt.Errorf("question %s: wie van de drie without triads", q.ID)
		}
		if sub >= q.Triads { // the survey file now has fewer triads
			sub = q.Triads - 1
			rc.ss.Sub = sub
		}
		t, err := rc.triad(ctx, q, sub)
		if err != nil {
			return Message{}, err
		}
		rows, listed = triadRows(pr, q, rc.r.Code, pos, sub, t)
		current = describeIn(pr, q, rc.answers[fmt.Sprintf("%s#%d", q.ID, sub)])
	default:
		rows = optionRows(pr, q, rc.r.Code, pos)
	}
	if nav := navRow(pr, q, rc.r.Code, pos, sub); len(nav) > 0 {
		rows = append(rows, nav)
	}
	m := Message{Text: questionText(pr, rc.s, pos, sub, current, listed), Choices: rows,
		About: &About{Kind: AboutPrompt, Round: rc.r.ID, Question: q.ID, Sub: sub}}
	if q.Type == surveys.Open {
		m.Ask = &Ask{Label: pr.T("round.ask_label"), MaxLength: q.MaxLength}
	}
	return m, nil
}

// save stores the session as the last write of handling an update, marked with the
// update: if the process dies before, the update comes again and its (idempotent)
// writes and (deduplicated) replies are simply repeated; if it died after, the update
// is recognised as done.
func (rc *roundConv) save(ctx context.Context) error {
	rc.ss.Update = rc.ev.UpdateID
	keep := max(rc.r.ClosesAt.Sub(rc.e.cfg.Now()), 0) + storage.SessionGrace
	return rc.e.store.SaveSession(ctx, rc.r.ID, rc.pid, rc.ss, keep)
}

func (rc *roundConv) selection(q surveys.Question) []string {
	if enc, ok := rc.ss.Selected[q.ID]; ok {
		if enc == "" {
			return nil
		}
		return strings.Split(enc, ",")
	}
	if a, err := surveys.DecodeAnswer(rc.answers[q.ID]); err == nil {
		return a.Options
	}
	return nil
}

// record stores one answer with its tallies in one atomic step (the store derives
// the tallies from the compact answer and the profile).
func (rc *roundConv) record(ctx context.Context, q surveys.Question, field string, a surveys.Answer) (bool, error) {
	value := surveys.EncodeAnswer(q, a)
	w := storage.AnswerWrite{Round: rc.r.ID, Participant: rc.pid, Field: field, Value: value,
		Kern: rc.p.Kern, Leeftijd: rc.p.Leeftijd, Panel: rc.e.inPanel(rc.p, rc.s), Lang: rc.p.Lang}
	outcome, err := rc.e.store.RecordAnswer(ctx, w)
	if errors.Is(err, storage.ErrRoundClosed) {
		return false, rc.sayText(ctx, rc.t("round_closed"))
	}
	if err != nil {
		return false, err
	}
	rc.changed = outcome == storage.Changed
	if m := rc.e.cfg.Metrics; m != nil && outcome != storage.Unchanged {
		m.Answer(rc.ev.Channel, rc.changed)
	}
	rc.answers[field] = value
	return true, nil
}

// settle edits the question's message to show what was chosen, then moves on when the
// answer was for the current step (an answer from an older message changes that answer only).
func (rc *roundConv) settle(ctx context.Context, qi, sub int, chosen string) error {
	text := rc.t("round.settled", "Kop", header(rc.pr(), rc.s, qi, sub), "Vraag", rc.s.Questions[qi].Text, "Antwoord", chosen)
	if err := rc.say(ctx, Message{Text: text, EditRef: rc.ev.MessageRef, Echo: true}); err != nil {
		return err
	}
	if qi != rc.ss.Pos || sub != rc.ss.Sub {
		// a double tap, or a change after finishing, needs nothing more said; the session
		// is saved all the same, as it may now hold the triad on the pressed button
		if rc.changed && rc.ss.Pos < len(rc.s.Questions) {
			if err := rc.sayText(ctx, rc.t("round.answer_changed", "Nummer", rc.pr().Int(qi+1))); err != nil {
				return err
			}
		}
		return rc.save(ctx)
	}
	if err := rc.advance(ctx, qi, sub); err != nil {
		return err
	}
	return rc.present(ctx)
}

// next is the step after (pos, sub): the next triad, or the next question.
func (rc *roundConv) next(pos, sub int) (int, int) {
	if pos < len(rc.s.Questions) {
		if q := rc.s.Questions[pos]; q.Type == surveys.WieVanDeDrie && sub+1 < q.Triads {
			return pos, sub + 1
		}
	}
	return pos + 1, 0
}

func (rc *roundConv) pick(ctx context.Context, q surveys.Question, qi, oi int) error {
	if q.Type != surveys.Single && q.Type != surveys.Likert && q.Type != surveys.Rating || oi >= len(q.Options) {
		return rc.sayText(ctx, rc.t("stale"))
	}
	o := q.Options[oi]
	if ok, err := rc.record(ctx, q, q.ID, surveys.Answer{Options: []string{o.ID}}); !ok {
		return err
	}
	return rc.settle(ctx, qi, 0, o.Label)
}

// toggle ticks (on 1) or unticks (on 0) an option of a multiple-choice question. The
// button carries the state it sets, not "flip", so that a double tap ticks once.
func (rc *roundConv) toggle(ctx context.Context, q surveys.Question, qi, oi, on int) error {
	if q.Type != surveys.Multiple || oi >= len(q.Options) || on > 1 {
		return rc.sayText(ctx, rc.t("stale"))
	}
	pr := rc.pr()
	sel := rc.selection(q)
	id := q.Options[oi].ID
	i := slices.Index(sel, id)
	note := chosen(pr, q, sel)
	switch {
	case on == 0 && i >= 0:
		sel = slices.Delete(sel, i, i+1)
		note = chosen(pr, q, sel)
	case on == 1 && i < 0 && q.MaxChoices > 0 && len(sel) >= q.MaxChoices:
		// refused at the tick, not only at Klaar: the question says why, in place
		note = pr.N("round.max_reached", len(sel), "Optie", q.Options[oi].Label, "Gekozen", note)
	case on == 1 && i < 0:
		sel = append(sel, id)
		note = chosen(pr, q, sel)
	}
	rc.ss.Selected[q.ID] = strings.Join(sel, ",")
	rows := toggleRows(pr, q, rc.r.Code, qi, sel)
	if nav := navRow(pr, q, rc.r.Code, qi, 0); len(nav) > 0 {
		rows = append(rows, nav)
	}
	if err := rc.edit(ctx, questionText(pr, rc.s, qi, 0, "", q.Options)+"\n\n"+note, rows...); err != nil {
		return err
	}
	return rc.save(ctx)
}

// chosen says what a multiple-choice selection holds so far, in words: the ticks on
// the buttons are a glyph, and on WhatsApp, where a list is sent anew with every
// tick, the list's button hides them.
func chosen(pr *lang.Printer, q surveys.Question, sel []string) string {
	count := pr.Int(len(sel))
	if q.MaxChoices > 0 {
		count = pr.T("round.count_max", "Aantal", pr.Int(len(sel)), "Max", pr.Int(q.MaxChoices))
	}
	if len(sel) == 0 {
		return pr.T("round.chosen_none", "Telling", count)
	}
	labels := make([]string, 0, len(sel))
	for _, o := range q.Options {
		if slices.Contains(sel, o.ID) {
			labels = append(labels, o.Label)
		}
	}
	return pr.T("round.chosen", "Telling", count, "Keuzes", strings.Join(labels, pr.T("list_sep")))
}

// done confirms a multiple-choice selection, or keeps an existing open answer.
func (rc *roundConv) done(ctx context.Context, q surveys.Question, qi int) error {
	switch q.Type {
	case surveys.Open:
		return rc.settle(ctx, qi, 0, describeIn(rc.pr(), q, rc.answers[q.ID]))
	case surveys.Multiple:
	default:
		return rc.sayText(ctx, rc.t("stale"))
	}
	sel := rc.selection(q)
	// keep the order of the survey, not of the taps
	var ids []string
	for _, o := range q.Options {
		if slices.Contains(sel, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) < q.MinChoices || (q.MaxChoices > 0 && len(ids) > q.MaxChoices) {
		return rc.sayText(ctx, choiceBounds(rc.pr(), q, len(ids)))
	}
	if ok, err := rc.record(ctx, q, q.ID, surveys.Answer{Options: ids}); !ok {
		return err
	}
	return rc.settle(ctx, qi, 0, describeIn(rc.pr(), q, rc.answers[q.ID]))
}

func choiceBounds(pr *lang.Printer, q surveys.Question, n int) string {
	if q.MaxChoices > 0 && n > q.MaxChoices {
		return pr.N("round.too_many", n, "Max", pr.Int(q.MaxChoices), "Teveel", pr.Int(n-q.MaxChoices))
	}
	return pr.N("round.too_few", q.MinChoices)
}

func (rc *roundConv) skip(ctx context.Context, q surveys.Question, qi int) error {
	if !q.Optional {
		return rc.sayText(ctx, rc.t("round.not_optional"))
	}
	if ok, err := rc.record(ctx, q, q.ID, surveys.Answer{Skipped: true}); !ok {
		return err
	}
	if qi == rc.ss.Pos {
		rc.ss.Sub = 0
		if q.Type == surveys.WieVanDeDrie {
			rc.ss.Sub = q.Triads - 1 // skipping a wie-van-de-drie skips all its triads
		}
	}
	return rc.settle(ctx, qi, rc.ss.Sub, rc.t("round.skipped"))
}

// back goes one step back from step (qi, sub). The step is in the button so that a
// double tap goes back once: the second tap finds the resident on the step before and
// is ignored, like a second tap on an answer.
func (rc *roundConv) back(ctx context.Context, qi, sub int) error {
	if qi != rc.ss.Pos || sub != rc.ss.Sub {
		if np, ns := rc.next(rc.ss.Pos, rc.ss.Sub); np == qi && ns == sub {
			return nil // the step just left: a double tap
		}
		return rc.sayText(ctx, rc.t("stale"))
	}
	if err := rc.edit(ctx, rc.t("round.went_back", "Kop", header(rc.pr(), rc.s, qi, rc.ss.Sub), "Vraag", rc.s.Questions[qi].Text)); err != nil {
		return err
	}
	switch {
	case rc.ss.Sub > 0:
		rc.ss.Sub--
	case qi > 0:
		rc.ss.Pos = qi - 1
		rc.ss.Sub = 0
		if prev := rc.s.Questions[qi-1]; prev.Type == surveys.WieVanDeDrie {
			rc.ss.Sub = prev.Triads - 1
		}
	}
	return rc.present(ctx)
}

// gaveText reports whether text is the stored answer to one of the round's open
// questions.
func (rc *roundConv) gaveText(text string) bool {
	if text == "" {
		return false
	}
	for _, q := range rc.s.Questions {
		if q.Type == surveys.Open && rc.answers[q.ID] == surveys.EncodeAnswer(q, surveys.Answer{Text: text}) {
			return true
		}
	}
	return false
}

// current loads the round the resident is answering in; nil when none (or its
// survey is not loaded).
func (c *conv) current(ctx context.Context) (*roundConv, error) {
	rid, err := c.e.store.CurrentRound(ctx, c.pid)
	if err != nil || rid == "" {
		return nil, err
	}
	r, err := c.e.store.Round(ctx, rid)
	if err != nil {
		return nil, err
	}
	return c.loadRound(ctx, r)
}

// openAnswer takes a text message as the answer to the open question being asked.
func (rc *roundConv) openAnswer(ctx context.Context) (bool, error) {
	c, r := rc.conv, rc.r
	if c.ev.UpdateID != "" && rc.ss.Update == c.ev.UpdateID {
		return true, nil // handled fully before a crash
	}
	if rc.ss.Await == "" || rc.ss.Pos >= len(rc.s.Questions) || rc.s.Questions[rc.ss.Pos].ID != rc.ss.Await {
		if rc.gaveText(strings.TrimSpace(c.ev.Text)) {
			// the same answer again (a form sent twice, a message repeated): taken already
			return true, c.sayText(ctx, c.t("already_received"))
		}
		return false, nil
	}
	q := rc.s.Questions[rc.ss.Pos]
	if r.State != storage.Opened {
		return true, c.sayText(ctx, c.t("round_closed"))
	}
	text := strings.TrimSpace(c.ev.Text)
	if n := utf8.RuneCountInString(text); n > q.MaxLength {
		return true, c.sayText(ctx, c.pr().N("round.too_long", n, "Aantal", digits(n), "Max", digits(q.MaxLength)))
	}
	if text == "" {
		return true, c.sayText(ctx, c.t("round.type_text"))
	}
	if q.Optional && isWord(c.lang(), "words_skip", fold(text)) {
		rc.ev.MessageRef = ""
		return true, rc.skip(ctx, q, rc.ss.Pos)
	}
	if ok, err := rc.record(ctx, q, q.ID, surveys.Answer{Text: text}); !ok {
		return true, err
	}
	// the text is a new message, not a button: there is no question message to edit
	rc.ev.MessageRef = ""
	if err := rc.advance(ctx, rc.ss.Pos, 0); err != nil {
		return true, err
	}
	if err := rc.sayText(ctx, rc.t("round.saved")); err != nil {
		return true, err
	}
	return true, rc.present(ctx)
}
