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
	m := e.invitation(s, r)
	m.Text = "Er staat een nieuwe vragenronde voor u klaar.\n\n" + m.Text
	m.About = &About{Kind: AboutInvite, Round: r.ID}
	m.Notice = e.notice(NoticeInvite, s, r)
	var b batch
	for i, p := range ps {
		if p != nil && !started[i] {
			b.add(p, m, Post{Dedupe: "inv:" + r.ID + ":" + p.ID, Quiet: true, Priority: Bulk})
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
	head := e.withPhase(s, fmt.Sprintf("⏰ Herinnering: de ronde ‘%s’ sluit %s.", s.Title, moment(r.ClosesAt.In(e.cfg.Location))))
	var b batch
	for j, p := range ps {
		if p == nil || completed[j] {
			continue
		}
		text, label := head, "Doe mee"
		if n := answered[p.ID]; n > 0 {
			text += fmt.Sprintf(" U heeft %d van de %d vragen beantwoord; u kunt verder waar u was.", n, len(s.Questions))
			label = "Verder"
		} else {
			text += fmt.Sprintf(" Het zijn %d korte vragen. Uw mening telt mee!", len(s.Questions))
		}
		m := Message{Text: text, Choices: [][]Choice{{{Label: label, Data: encode("go", r.Code)}}}, About: &About{Kind: AboutReminder, Round: r.ID},
			Notice: e.notice(NoticeReminder, s, r)}
		b.add(p, m, Post{Dedupe: fmt.Sprintf("rem:%s:%d:%s", r.ID, i, p.ID), Quiet: true, Priority: Bulk})
	}
	return e.postBatch(ctx, b)
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
	notice := e.notice(NoticeResults, s, r)
	raw, err := e.store.AnswersOf(ctx, r.ID, pids)
	if err != nil {
		return rounds.Sent{}, err
	}
	rc, err := e.chartsFor(ctx, r.ID, res)
	if err != nil {
		return rounds.Sent{}, err
	}
	albums := chartAlbums(rc.questions)
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
		m := Message{Text: e.withPhase(s, results.PersonalSummary(e.printerOf(p), res, answers, surveys.Profile{Kern: p.Kern, Leeftijd: p.Leeftijd})), Notice: notice}
		key := "res:" + r.ID + ":" + p.ID
		b.add(p, m, Post{Dedupe: key, Priority: Bulk})
		// album i takes the dedupe key of chart i of earlier versions, which sent
		// every chart alone: a broadcast resumed across the upgrade sends no chart twice
		for i, album := range albums {
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
	texts := map[*lang.Printer]string{} // the decision in each recipient's language, made once per language
	text := func(pr *lang.Printer) string {
		if _, ok := texts[pr]; !ok {
			texts[pr] = e.withPhase(s, results.DecisionMessage(pr, s.Title, r.Decision))
		}
		return texts[pr]
	}
	notice := e.notice(NoticeDecision, s, r)
	var b batch
	for _, p := range ps {
		if p != nil {
			b.add(p, Message{Text: text(e.printerOf(p)), Notice: notice}, Post{Dedupe: "dec:" + r.ID + ":" + p.ID, Priority: Bulk})
		}
	}
	return e.postBatch(ctx, b)
}

// notice names what a broadcast of round r brings (Message.Notice).
func (e *Engine) notice(kind string, s *surveys.Survey, r *storage.Round) *Notice {
	n := &Notice{Kind: kind, Round: r.ID, Title: s.Title}
	if kind == NoticeInvite || kind == NoticeReminder {
		n.Closes = moment(r.ClosesAt.In(e.cfg.Location))
	}
	return n
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
