package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// The resident's rights (AVG art. 15, 17 and 7(3)) in every channel:
//
//   - /mijngegevens shows everything held about them, in the chat and as a JSON file;
//   - /stop withdraws consent: no more messages, profile, chat and conversation deleted,
//     and what they answered unlinked from them (it stays in the figures, anonymously);
//   - /vergeetmij erases everything: also their answers leave the figures of open
//     rounds, and their open texts and consent history go. Begun, it is recorded
//     (storage.BeginErasure) and finished after a crash by ResumeErasures.

// participant loads a participant with the chat id opened; sealed reports whether the
// chat was stored sealed (false for a record from before sealing).
func (e *Engine) participant(ctx context.Context, pid string) (p *storage.Participant, sealed bool, err error) {
	p, err = e.store.Participant(ctx, pid)
	if err != nil {
		return nil, false, err
	}
	sealed = isSealed(p.ChatID)
	if p.ChatID != "" {
		if p.ChatID, err = e.openChat(pid, p.ChatID); err != nil {
			return nil, false, fmt.Errorf("participant %s: %w", pid, err)
		}
	}
	return p, sealed, nil
}

// stop is the answer to "Wilt u zich afmelden?". Withdrawing consent comes last, so that
// an update redelivered after a crash finds the resident still consented and does it all
// again.
func (c *conv) stop(ctx context.Context, yes bool) error {
	if !yes {
		if err := c.echo(ctx, c.t("stop_question"), c.t("stop_no_button")); err != nil {
			return err
		}
		return c.sayText(ctx, c.t("stop_kept"))
	}
	if !c.consented() {
		return c.edit(ctx, c.t("not_joined"))
	}
	if err := c.e.forgetInRounds(ctx, c.pid, storage.Unlink); err != nil {
		return err
	}
	if err := c.e.forgetChat(ctx, c.pid, c.p.Channel, c.p.ChatID); err != nil {
		return err
	}
	if err := c.e.store.Withdraw(ctx, c.pid, c.e.cfg.Now()); err != nil {
		return err
	}
	c.log.Info("consent withdrawn")
	return c.edit(ctx, c.t("stopped"))
}

// forgetInRounds takes a participant out of every round (see storage.RoundForget).
func (e *Engine) forgetInRounds(ctx context.Context, pid string, how storage.RoundForget) error {
	all, err := e.store.Rounds(ctx)
	if err != nil {
		return err
	}
	for _, r := range all {
		if _, err := e.store.ForgetInRound(ctx, r.ID, pid, how); err != nil {
			return err
		}
	}
	return nil
}

// forgetChat drops the messages queued for a chat and has its channel forget it.
func (e *Engine) forgetChat(ctx context.Context, pid, channel, chat string) error {
	marks := []string{`"participant":"` + pid + `"`}
	if chat != "" {
		quoted, err := json.Marshal(chat)
		if err != nil {
			return fmt.Errorf("forget chat: %w", err)
		}
		marks = append(marks, `"chat_id":`+string(quoted))
	}
	n, err := e.store.DropMessages(ctx, channel, marks...)
	if err != nil {
		return err
	}
	if n > 0 {
		e.log.Info("queued messages dropped", "channel", channel, "participant", pid, "count", n)
	}
	if f := e.cfg.Forget[channel]; f != nil && chat != "" {
		if err := f.Forget(ctx, chat); err != nil {
			return fmt.Errorf("channel %s: forget chat: %w", channel, err)
		}
	}
	return nil
}

// askForget asks to confirm an erasure, and says exactly what it erases.
func (c *conv) askForget(ctx context.Context) error {
	if c.p == nil {
		return c.sayText(ctx, c.t("nothing_stored"))
	}
	return c.sayText(ctx, c.t("forget_ask"),
		[]Choice{{Label: c.t("forget_yes_button"), Data: dataForgetYes}},
		[]Choice{{Label: c.t("forget_show_button"), Data: dataMyData}},
		[]Choice{{Label: c.t("forget_no_button"), Data: dataForgetNo}})
}

// forget is the answer to the erasure question.
func (c *conv) forget(ctx context.Context, yes bool) error {
	if !yes {
		if err := c.echo(ctx, c.t("forget_question"), c.t("forget_no_button")); err != nil {
			return err
		}
		return c.sayText(ctx, c.t("forget_kept"))
	}
	if c.p == nil {
		// nothing (left) to erase: also the press redelivered after a crash, when the
		// erasure was finished at start-up
		return c.edit(ctx, c.t("forgotten"))
	}
	if err := c.e.Erase(ctx, c.pid); err != nil {
		return err
	}
	c.p = nil // the reply must not name the erased participant
	return c.edit(ctx, c.t("forgotten"))
}

// Erase erases everything held about participant pid: in every round (taking their
// answers out of the tallies of open rounds), in the outbox, in their channel, and then
// the participant record. It is idempotent; when interrupted, ResumeErasures finishes it.
func (e *Engine) Erase(ctx context.Context, pid string) error {
	p, err := e.store.Participant(ctx, pid) // the sealed chat, as kept for the resume
	switch {
	case errors.Is(err, storage.ErrNotFound):
		p = &storage.Participant{ID: pid}
	case err != nil:
		return err
	}
	if err := e.store.BeginErasure(ctx, storage.Erasure{Participant: pid, Channel: p.Channel, Chat: p.ChatID}); err != nil {
		return err
	}
	return e.finishErasure(ctx, storage.Erasure{Participant: pid, Channel: p.Channel, Chat: p.ChatID})
}

var _ Rights = (*Engine)(nil)

// EraseUser erases everything held about the platform user (see Erase).
func (e *Engine) EraseUser(ctx context.Context, channel, userID string) error {
	return e.Erase(ctx, e.Pseudonym(channel, userID))
}

// ResumeErasures finishes the erasures a crash interrupted; serve calls it at start-up.
func (e *Engine) ResumeErasures(ctx context.Context) error {
	pending, err := e.store.PendingErasures(ctx)
	if err != nil {
		return err
	}
	for _, er := range pending {
		if err := e.finishErasure(ctx, er); err != nil {
			return err
		}
		e.log.Info("interrupted erasure finished", "participant", er.Participant)
	}
	return nil
}

func (e *Engine) finishErasure(ctx context.Context, er storage.Erasure) error {
	if err := e.forgetInRounds(ctx, er.Participant, storage.Erase); err != nil {
		return err
	}
	chat, err := e.openChat(er.Participant, er.Chat)
	if err != nil {
		return fmt.Errorf("erase %s: %w", er.Participant, err)
	}
	if er.Channel != "" {
		if err := e.forgetChat(ctx, er.Participant, er.Channel, chat); err != nil {
			return err
		}
	}
	if err := e.store.EndErasure(ctx, er.Participant); err != nil {
		return err
	}
	e.log.Info("participant erased", "participant", er.Participant)
	return nil
}

// MyData is everything held about one resident (AVG art. 15), as /mijngegevens shows it
// and as its JSON file holds it.
type MyData struct {
	Generated time.Time `json:"aangemaakt"`
	// Pseudonym is the name under which everything below is stored.
	Pseudonym string         `json:"schuilnaam"`
	Channel   string         `json:"kanaal"`
	Profile   *MyProfile     `json:"profiel,omitempty"`
	Consents  []MyConsent    `json:"toestemmingen"`
	Rounds    []MyRound      `json:"rondes"`
	Aggregate string         `json:"alleen_in_totalen"`
	Extra     map[string]any `json:"overig,omitempty"`
}

// MyProfile is the stored profile.
type MyProfile struct {
	Kern           string `json:"woonkern"`
	Leeftijdsgroep string `json:"leeftijdsgroep"`
	// Panel is the trajectory whose lottery-drawn panel they joined with a code.
	Panel  string `json:"inwonerspanel,omitempty"`
	Active bool   `json:"actief"`
	Chat   string `json:"chatadres"`
}

// MyConsent is one consent given or withdrawn.
type MyConsent struct {
	Time    time.Time `json:"tijd"`
	Given   bool      `json:"gegeven"`
	Version string    `json:"privacytekst_versie,omitempty"`
}

// MyRound is what is held about the resident in one round.
type MyRound struct {
	Round    string     `json:"ronde"`
	Title    string     `json:"titel"`
	State    string     `json:"status"`
	Finished bool       `json:"afgerond"`
	Answers  []MyAnswer `json:"antwoorden"`
}

// MyAnswer is one stored answer.
type MyAnswer struct {
	Question string `json:"vraag"`
	Answer   string `json:"antwoord"`
}

// DataOf collects everything held about the platform user; nil when nothing is.
func (e *Engine) DataOf(ctx context.Context, channel, userID string) (*MyData, error) {
	return e.dataOf(ctx, e.Pseudonym(channel, userID))
}

func (e *Engine) dataOf(ctx context.Context, pid string) (*MyData, error) {
	p, _, err := e.participant(ctx, pid)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	pr := e.printerOf(p)
	d := &MyData{Generated: e.cfg.Now(), Pseudonym: pid, Channel: p.Channel, Aggregate: pr.T("aggregate_only")}
	if p.Consented() {
		d.Profile = &MyProfile{Kern: p.Kern, Leeftijdsgroep: p.Leeftijd, Active: p.Active, Chat: p.ChatID, Panel: p.Panel}
	}
	for _, ce := range p.Consents {
		d.Consents = append(d.Consents, MyConsent{Time: ce.At, Given: ce.Given, Version: ce.Version})
	}
	rounds, err := e.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		raw, err := e.store.Answers(ctx, r.ID, pid)
		if err != nil {
			return nil, err
		}
		if len(raw) == 0 {
			continue
		}
		done, err := e.store.Completed(ctx, r.ID, pid)
		if err != nil {
			return nil, err
		}
		mr := MyRound{Round: r.ID, Title: r.Survey, State: stateName(r.State), Finished: done}
		s, ok := e.catalog.Survey(r.Survey)
		if ok {
			s = inLang(s, pr.Lang())
			mr.Title = s.Title
		}
		mr.Answers = myAnswers(pr, s, raw)
		d.Rounds = append(d.Rounds, mr)
	}
	return d, nil
}

// myAnswers lists stored answers in the order of the survey (any field the survey no
// longer has comes last, as stored).
func myAnswers(pr *lang.Printer, s *surveys.Survey, raw map[string]string) []MyAnswer {
	var out []MyAnswer
	seen := map[string]bool{}
	if s != nil {
		for _, q := range s.Questions {
			if v, ok := raw[q.ID]; ok {
				out = append(out, MyAnswer{Question: q.Text, Answer: describeIn(pr, q, v)})
				seen[q.ID] = true
			}
			for t := 0; q.Type == surveys.WieVanDeDrie && t < q.Triads; t++ {
				f := q.ID + "#" + strconv.Itoa(t)
				if v, ok := raw[f]; ok {
					out = append(out, MyAnswer{Question: pr.T("mydata_triad_question", "Vraag", q.Text, "Nr", pr.Int(t+1)), Answer: describeIn(pr, q, v)})
					seen[f] = true
				}
			}
		}
	}
	for f, v := range raw {
		if !seen[f] {
			out = append(out, MyAnswer{Question: f, Answer: v})
		}
	}
	return out
}

// stateName is a round's state as MyData holds it: "open", "gepland" or "gesloten"
// (the JSON file's values; the chat shows them in the resident's language,
// stateText).
func stateName(s storage.State) string {
	switch s {
	case storage.Opened:
		return "open"
	case storage.Scheduled:
		return "gepland"
	}
	return "gesloten"
}

// myData answers /mijngegevens: a readable overview in the chat and the whole as JSON.
func (c *conv) myData(ctx context.Context) error {
	d, err := c.e.dataOf(ctx, c.pid)
	if err != nil {
		return err
	}
	if d == nil {
		return c.sayText(ctx, c.t("nothing_stored"))
	}
	pr := c.pr()
	if err := c.sayText(ctx, myDataText(pr, d, c.e.cfg.Location)); err != nil {
		return err
	}
	doc, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encode data of participant: %w", err)
	}
	return c.say(ctx, Message{Text: pr.T("mydata_file"), Document: &File{Name: pr.T("mydata_file_name"), Data: doc}})
}

// stateText is a state of MyData (stateName) as the chat shows it in pr's language.
func stateText(pr *lang.Printer, state string) string {
	if id := "state_" + state; pr.Has(id) {
		return pr.T(id)
	}
	return state
}

// myDataText is the overview /mijngegevens shows in the chat, in pr's language.
func myDataText(pr *lang.Printer, d *MyData, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(pr.T("mydata_intro", "Schuilnaam", d.Pseudonym) + "\n\n")
	if p := d.Profile; p != nil {
		b.WriteString(pr.T("mydata_profile", "Kern", orUnknown(pr, p.Kern), "Leeftijd", orUnknown(pr, p.Leeftijdsgroep)) + "\n")
		if p.Panel != "" {
			b.WriteString(pr.T("mydata_panel", "Traject", p.Panel) + "\n")
		}
	} else {
		b.WriteString(pr.T("mydata_no_profile") + "\n")
	}
	for _, ce := range d.Consents {
		if ce.Given {
			b.WriteString(pr.T("mydata_consent_given", "Tijd", pr.Moment(ce.Time.In(loc)), "Versie", ce.Version) + "\n")
		} else {
			b.WriteString(pr.T("mydata_consent_withdrawn", "Tijd", pr.Moment(ce.Time.In(loc))) + "\n")
		}
	}
	if len(d.Rounds) == 0 {
		b.WriteString("\n" + pr.T("mydata_no_answers") + "\n")
	}
	for _, r := range d.Rounds {
		id := "mydata_round"
		if r.Finished {
			id = "mydata_round_finished"
		}
		b.WriteString("\n" + pr.T(id, "Titel", r.Title, "Status", stateText(pr, r.State)) + "\n")
		for _, a := range r.Answers {
			b.WriteString(pr.T("mydata_answer", "Vraag", Clip(a.Question, 120), "Antwoord", a.Answer) + "\n")
		}
	}
	b.WriteString("\n" + d.Aggregate + "\n\n" + pr.T("mydata_forget_hint"))
	return b.String()
}
