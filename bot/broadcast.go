package bot

import (
	"context"
	"fmt"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// The rounds service decides when and to whom (rounds.Messenger); these methods
// decide what is said. Each takes a batch of recipients, reads what it needs of
// them in a few pipelined round trips, and queues every message in one PostBatch
// under a per-recipient dedupe key, as Bulk: a broadcast resumed after a crash, or
// run by two replicas, reaches every participant exactly once, and never holds up a
// resident's reply. Each says how many recipients got their message queued now, and
// how many had it before (rounds.Sent).
//
// Each recipient reads their message in their language (Engine.printerOf). What is
// the same for every recipient of a language is rendered once per language of a
// batch (perLang), so that a recipient costs a map lookup, not a rendering.

// Invite queues the invitation (participatiekaart + "Doe mee") of a round for each
// participant who can be messaged and has not started the round yet.
func (e *Engine) Invite(ctx context.Context, r *storage.Round, pids []string) (rounds.Sent, error) {
	s, ps, err := e.recipients(ctx, r, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	// someone who already started the round (after /start) needs no invitation
	started, _, err := e.store.InRound(ctx, r.ID, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	invitation := perLang(e, func(pr *lang.Printer) Message {
		ls := inLang(s, pr.Lang())
		m := e.invitation(pr, ls, r)
		m.Text = pr.T("round.invite", "Kaart", m.Text)
		m.About = &About{Kind: AboutInvite, Round: r.ID}
		m.Notice = e.notice(pr, NoticeInvite, ls, r)
		return m
	})
	var b batch
	for i, p := range ps {
		if p != nil && !started[i] {
			b.add(p, invitation(p), Post{Dedupe: "inv:" + r.ID + ":" + p.ID, Quiet: true, Priority: Bulk})
		}
	}
	return e.postBatch(ctx, b)
}

// Remind queues reminder i of a round for each participant who can be messaged and
// has not finished it, saying how far they got.
func (e *Engine) Remind(ctx context.Context, r *storage.Round, i int, pids []string) (rounds.Sent, error) {
	s, ps, err := e.recipients(ctx, r, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	started, completed, err := e.store.InRound(ctx, r.ID, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	// the answers only of those who started: the others answered nothing
	var begun []string
	for j, p := range ps {
		if p != nil && started[j] && !completed[j] {
			begun = append(begun, p.ID)
		}
	}
	raw, err := e.store.AnswersOf(ctx, r.ID, begun)
	if err != nil {
		return rounds.Sent{}, err
	}
	answered := make(map[string]int, len(begun))
	for j, pid := range begun {
		answered[pid] = answeredQuestions(s, raw[j])
	}
	// a reminder says how far its recipient got: one message per language and number
	// of questions answered
	type key struct {
		lang string
		n    int
	}
	reminders := map[key]Message{}
	var b batch
	for j, p := range ps {
		if p == nil || completed[j] {
			continue
		}
		k := key{p.Lang, answered[p.ID]}
		m, ok := reminders[k]
		if !ok {
			m = e.reminder(e.printerOf(p), s, r, k.n)
			reminders[k] = m
		}
		b.add(p, m, Post{Dedupe: fmt.Sprintf("rem:%s:%d:%s", r.ID, i, p.ID), Quiet: true, Priority: Bulk})
	}
	return e.postBatch(ctx, b)
}

// reminder is the reminder of round r in pr's language for a resident who answered n
// of its questions.
func (e *Engine) reminder(pr *lang.Printer, s *surveys.Survey, r *storage.Round, n int) Message {
	ls := inLang(s, pr.Lang())
	closes := pr.Moment(r.ClosesAt.In(e.cfg.Location))
	text := pr.N("round.remind_new", len(ls.Questions), "Titel", ls.Title, "Sluit", closes)
	label := pr.T("round.join_button")
	if n > 0 {
		text = pr.N("round.remind_started", len(ls.Questions), "Titel", ls.Title, "Sluit", closes, "Beantwoord", pr.Int(n))
		label = pr.T("round.continue_button")
	}
	return Message{Text: e.withPhase(pr, ls, text), Choices: [][]Choice{{{Label: label, Data: encode("go", r.Code)}}},
		About: &About{Kind: AboutReminder, Round: r.ID}, Notice: e.notice(pr, NoticeReminder, ls, r)}
}

// SendResults queues each participant's personal results message: their choices
// beside the totals, then the charts as one album. A round with fewer respondents
// than the threshold gets "te weinig deelnemers om de uitslag te tonen" and no charts
// (results.PersonalSummary, chartsFor).
func (e *Engine) SendResults(ctx context.Context, r *storage.Round, res *results.Results, pids []string) (rounds.Sent, error) {
	s, ps, err := e.recipients(ctx, r, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	notices := e.notices(NoticeResults, s, r)
	raw, err := e.store.AnswersOf(ctx, r.ID, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	// the results with the question and option texts of each language, and their
	// charts, made once per language
	type inLanguage struct {
		res    *results.Results
		albums []Message
		err    error
	}
	byLang := perLang(e, func(pr *lang.Printer) inLanguage {
		in := res.In(inLang(s, pr.Lang()))
		files, err := e.chartsIn(ctx, r.ID, in, pr)
		return inLanguage{in, chartAlbums(files), err}
	})
	var b batch
	for j, p := range ps {
		if p == nil {
			continue
		}
		answers := make(map[string]surveys.Answer, len(raw[j]))
		for field, v := range raw[j] {
			a, err := surveys.DecodeAnswer(v)
			if err != nil {
				return rounds.Sent{}, fmt.Errorf("answer %s of %s: %w", field, p.ID, err)
			}
			answers[field] = a
		}
		notice := notices(p)
		pr := e.printerOf(p)
		inl := byLang(p)
		if inl.err != nil {
			return rounds.Sent{}, inl.err
		}
		summary := results.PersonalSummary(pr, inl.res, answers, surveys.Profile{Kern: p.Kern, Leeftijd: p.Leeftijd})
		m := Message{Text: e.withPhase(pr, s, summary), Notice: notice}
		key := "res:" + r.ID + ":" + p.ID
		b.add(p, m, Post{Dedupe: key, Priority: Bulk})
		// album i takes the dedupe key of chart i of earlier versions, which sent
		// every chart alone: a broadcast resumed across the upgrade sends no chart twice
		for i, album := range inl.albums {
			album.Notice = notice
			b.also(p, album, Post{Dedupe: chartKey(key, i), Priority: Bulk})
		}
	}
	return e.postBatch(ctx, b)
}

// SendDecision queues the decision (terugkoppeling) of a round for each participant.
func (e *Engine) SendDecision(ctx context.Context, r *storage.Round, pids []string) (rounds.Sent, error) {
	s, ps, err := e.recipients(ctx, r, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	// the decision in each recipient's language, made once per language
	text := perLang(e, func(pr *lang.Printer) string {
		return e.withPhase(pr, s, results.DecisionMessage(pr, inLang(s, pr.Lang()).Title, r.Decision))
	})
	notices := e.notices(NoticeDecision, s, r)
	var b batch
	for _, p := range ps {
		if p != nil {
			b.add(p, Message{Text: text(p), Notice: notices(p)}, Post{Dedupe: "dec:" + r.ID + ":" + p.ID, Priority: Bulk})
		}
	}
	return e.postBatch(ctx, b)
}

// notice names what a broadcast of round r brings (Message.Notice), in pr's language.
func (e *Engine) notice(pr *lang.Printer, kind string, s *surveys.Survey, r *storage.Round) *Notice {
	n := &Notice{Kind: kind, Round: r.ID, Title: inLang(s, pr.Lang()).Title}
	if kind == NoticeInvite || kind == NoticeReminder {
		n.Closes = pr.Moment(r.ClosesAt.In(e.cfg.Location))
	}
	return n
}

// notices is the notice of a broadcast of round r for each recipient, in their
// language, made once per language.
func (e *Engine) notices(kind string, s *surveys.Survey, r *storage.Round) func(*storage.Participant) *Notice {
	return perLang(e, func(pr *lang.Printer) *Notice { return e.notice(pr, kind, s, r) })
}

// perLang makes what render renders for a recipient's language once per language:
// the function it returns looks up the recipient's language (as stored, so that
// most recipients cost one map lookup) and renders only a language not seen before.
func perLang[V any](e *Engine, render func(*lang.Printer) V) func(*storage.Participant) V {
	by := map[string]V{}
	return func(p *storage.Participant) V {
		v, ok := by[p.Lang]
		if !ok {
			v = render(e.printerOf(p))
			by[p.Lang] = v
		}
		return v
	}
}

// recipients loads the survey and, for each participant named, the participant if
// they can be messaged (nil if not: unknown, stopped or without consent), with their
// chat opened.
func (e *Engine) recipients(ctx context.Context, r *storage.Round, pids []string) (*surveys.Survey, []*storage.Participant, error) {
	s, ok := e.catalog.Survey(r.Survey)
	if !ok {
		return nil, nil, fmt.Errorf("round %s: survey %s is not loaded", r.ID, r.Survey)
	}
	ps, err := e.store.ParticipantsOf(ctx, pids)
	if err != nil {
		return nil, nil, err
	}
	for i, p := range ps {
		if p == nil || !p.Active || !p.Consented() {
			ps[i] = nil
			continue
		}
		if p.ChatID != "" {
			if p.ChatID, err = e.openChat(p.ID, p.ChatID); err != nil {
				return nil, nil, fmt.Errorf("participant %s: %w", p.ID, err)
			}
		}
	}
	return s, ps, nil
}

// batch collects the messages of a broadcast batch. A recipient counts as reached
// when their first message (add) is queued, now or before; the ones after it
// (also: an album) follow it under their own dedupe keys.
type batch struct {
	out   []Outgoing
	first []bool // first[i]: out[i] is a recipient's first message
}

func (b *batch) add(p *storage.Participant, m Message, post Post) { b.put(p, m, post, true) }

func (b *batch) also(p *storage.Participant, m Message, post Post) { b.put(p, m, post, false) }

func (b *batch) put(p *storage.Participant, m Message, post Post, first bool) {
	m.To = Address{Channel: p.Channel, ChatID: p.ChatID}
	m.Participant = p.ID
	if l := lang.Code(p.Lang).Or(); l != lang.NL {
		m.Lang = string(l)
	}
	b.out = append(b.out, Outgoing{Message: m, Post: post})
	b.first = append(b.first, first)
}

// postBatch queues a batch in one PostBatch (one message at a time through an
// outbox that has none) and counts the recipients whose first message was queued
// now, and before: a message not queued for its dedupe key was queued before.
func (e *Engine) postBatch(ctx context.Context, b batch) (rounds.Sent, error) {
	if len(b.out) == 0 {
		return rounds.Sent{}, nil
	}
	var queued []bool
	var err error
	if bp, ok := e.outbox.(BatchPoster); ok {
		queued, err = bp.PostBatch(ctx, b.out)
	} else {
		for _, o := range b.out {
			var q bool
			if q, err = e.outbox.Post(ctx, o.Message, o.Post); err != nil {
				break
			}
			queued = append(queued, q)
		}
	}
	var sent rounds.Sent
	for i, q := range queued {
		switch {
		case !b.first[i]:
		case q:
			sent.Queued++
		default:
			sent.Before++
		}
	}
	return sent, err
}
