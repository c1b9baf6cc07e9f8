package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// start begins (or resumes) taking part: the age question first, because under 16 a
// resident cannot consent alone and then nothing may be stored.
func (c *conv) start(ctx context.Context) error {
	if c.consented() {
		return c.offerRounds(ctx, c.t("welcome_back"))
	}
	return c.say(ctx, c.welcome())
}

// welcome is the first message: who writes and why, and the age question. (The
// choice of language will come above the age buttons.)
func (c *conv) welcome() Message {
	return Message{Text: c.t("welcome", "Gemeente", c.municipality()), Choices: append(c.ageRows(), c.langButton())}
}

// ageRows are the buttons of the age question, youngest first.
func (c *conv) ageRows() [][]Choice {
	pr := c.pr()
	rows := make([][]Choice, 0, len(leeftijden)+2)
	rows = append(rows, []Choice{{Label: pr.T("age_under16"), Data: c.langData(dataUnder16)}})
	for i, l := range leeftijden {
		rows = append(rows, []Choice{{Label: groupLabel(pr, l), Data: c.langData("age:" + strconv.Itoa(i))}})
	}
	return append(rows, []Choice{{Label: pr.T("age_unknown"), Data: c.langData("age:" + strconv.Itoa(ageUnknown))}})
}

// age answers the age question. The age group is not stored yet: it travels in the
// consent button's data and is saved together with the consent.
func (c *conv) age(ctx context.Context, arg string) error {
	if arg == "u16" {
		// the question keeps its place above the resident's tap; the answer comes below it
		if err := c.echo(ctx, c.t("age_question"), c.t("age_under16")); err != nil {
			return err
		}
		return c.sayText(ctx, c.t("under16", "Gemeente", c.municipality()))
	}
	if _, ok := ageGroup(arg); !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	if err := c.echo(ctx, c.t("age_question"), c.ageLabel(arg)); err != nil {
		return err
	}
	return c.sayText(ctx, c.consentText(), []Choice{{Label: c.t("consent_yes_button"), Data: c.langData("ok:" + arg)}}, []Choice{{Label: c.t("consent_no_button"), Data: c.langData(dataConsentNo)}})
}

// consentText is the consent question: how data is kept, who writes, the privacy
// statement.
func (c *conv) consentText() string {
	// the opt-in names who writes and where (WhatsApp's business policy asks it of
	// every business-initiated message)
	pr := c.pr()
	text := pr.T("consent", "Drempel", pr.Int(c.e.cfg.Threshold), "Versie", c.e.cfg.ConsentVersion,
		"OptIn", c.optIn())
	if u := c.e.cfg.PrivacyURL; u != "" {
		text += "\n\n" + pr.T("consent_privacy_link", "URL", u)
	}
	return text
}

// optIn is the consent's line that says who will write to the resident, where and
// what: one text per channel that names itself (WhatsApp's business policy), and
// one for the others.
func (c *conv) optIn() string {
	id := "optin_" + c.ev.Channel
	switch c.ev.Channel {
	case "whatsapp", "telegram", "discord":
	default:
		id = "optin_chat"
	}
	return c.t(id, "Gemeente", c.municipality())
}

// municipality is the name residents read: GEMEENTE, or "de gemeente".
func (c *conv) municipality() string {
	if name := c.e.cfg.Municipality; name != "" {
		return name
	}
	return c.t("municipality_default")
}

// echo turns the message a button was on into the question with the answer chosen
// ("Hoe oud bent u? ✔ Jonger dan 16"), so that what the bot says next comes below
// the resident's tap, as a new message, and not in the question's place above it.
func (c *conv) echo(ctx context.Context, question, chosen string) error {
	return c.say(ctx, Message{Text: question + "\n\n✔ " + chosen, EditRef: c.ev.MessageRef, Echo: true})
}

func (c *conv) consent(ctx context.Context, arg string) error {
	if c.consented() {
		return c.offerRounds(ctx, c.t("already_joined"))
	}
	leeftijd, ok := ageGroup(arg)
	if !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	p := &storage.Participant{ID: c.pid, Channel: c.ev.Channel, ChatID: c.e.sealChat(c.pid, c.ev.ChatID),
		ConsentVersion: c.e.cfg.ConsentVersion, ConsentAt: c.e.cfg.Now(), Leeftijd: leeftijd}
	if l := c.lang(); l != lang.NL {
		p.Lang = string(l) // the language they read the consent in, chosen or preselected
	}
	if err := c.e.store.SaveConsent(ctx, p); err != nil {
		return err
	}
	p.ChatID = c.ev.ChatID
	c.p = p
	c.log.Info("consent recorded", "version", p.ConsentVersion)
	rows := [][]Choice{}
	var row []Choice
	for i, k := range c.e.cfg.Kernen {
		row = append(row, Choice{Label: k, Data: "kern:" + strconv.Itoa(i)})
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	rows = append(rows, []Choice{{Label: c.t("kern_none_button"), Data: dataNoKern}})
	if err := c.echo(ctx, c.t("consent_question"), c.t("consent_yes_button")); err != nil {
		return err
	}
	return c.sayText(ctx, c.t("kern"), rows...)
}

// ageLabel is the label of the age button with argument arg (a valid one).
func (c *conv) ageLabel(arg string) string {
	i, _ := strconv.Atoi(arg)
	if i >= 0 && i < len(leeftijden) {
		return groupLabel(c.pr(), leeftijden[i])
	}
	return c.t("age_unknown")
}

// ageGroup is the leeftijdsgroep of an age button's argument ("" when not told); false
// for data that no age button carries.
func ageGroup(arg string) (string, bool) {
	i, err := strconv.Atoi(arg)
	switch {
	case err != nil:
		return "", false
	case i == ageUnknown:
		return "", true
	case i < 0 || i >= len(leeftijden):
		return "", false
	}
	return leeftijden[i].ID, true
}

func (c *conv) kern(ctx context.Context, arg string) error {
	if !c.consented() {
		return c.sayText(ctx, c.t("not_joined"))
	}
	kern := ""
	if arg != "-" {
		i, err := strconv.Atoi(arg)
		if err != nil || i < 0 || i >= len(c.e.cfg.Kernen) {
			return c.sayText(ctx, c.t("stale"))
		}
		kern = c.e.cfg.Kernen[i]
	}
	if err := c.e.store.SetProfile(ctx, c.pid, "kern", kern); err != nil {
		return err
	}
	c.p.Kern = kern
	shown := kern
	if shown == "" {
		shown = c.t("kern_none")
	}
	if err := c.edit(ctx, c.t("kern_chosen", "Kern", shown)); err != nil {
		return err
	}
	return c.offerRounds(ctx, "")
}

// status tells the resident what is stored about them and where they are.
func (c *conv) status(ctx context.Context) error {
	if !c.consented() {
		return c.sayText(ctx, c.t("not_joined"))
	}
	var b strings.Builder
	pr, loc := c.pr(), c.e.cfg.Location
	b.WriteString(pr.T("status_since", "Sinds", pr.Moment(c.p.ConsentAt.In(loc)), "Versie", c.p.ConsentVersion) + "\n")
	b.WriteString(pr.T("status_profile", "Kern", orUnknown(pr, c.p.Kern), "Leeftijd", orUnknown(pr, c.p.Leeftijd)) + "\n\n")
	rounds, err := c.openRounds(ctx)
	if err != nil {
		return err
	}
	if len(rounds) == 0 {
		b.WriteString(c.t("no_rounds"))
		return c.sayText(ctx, b.String())
	}
	var rows [][]Choice
	for _, r := range rounds {
		s, _ := c.e.catalog.Survey(r.Survey)
		s = c.survey(s)
		answers, err := c.e.store.Answers(ctx, r.ID, c.pid)
		if err != nil {
			return err
		}
		done, err := c.e.store.Completed(ctx, r.ID, c.pid)
		if err != nil {
			return err
		}
		state := pr.N("status_answered", len(s.Questions), "Beantwoord", pr.Int(answeredQuestions(s, answers)))
		if done {
			state = pr.T("status_done")
		}
		b.WriteString(pr.T("status_round", "Titel", s.Title, "Stand", state, "Sluit", pr.Moment(r.ClosesAt.In(loc))) + "\n")
		// continuing shows the participatiekaart again: why, who decides, what happens
		ch := Choice{Label: pr.T("continue_button", "Titel", s.Title), Data: encode("j", r.Code)}
		if done {
			ch = Choice{Label: pr.T("change_button", "Titel", s.Title), Data: encode("e", r.Code)}
		}
		rows = append(rows, []Choice{ch})
	}
	return c.sayText(ctx, b.String(), rows...)
}

// orUnknown is s, or "onbekend" in pr's language when s is empty.
func orUnknown(pr *lang.Printer, s string) string {
	if s == "" {
		return pr.T("unknown")
	}
	return s
}

// openRounds lists rounds that are open and whose survey is loaded.
func (c *conv) openRounds(ctx context.Context) ([]*storage.Round, error) {
	all, err := c.e.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []*storage.Round
	for _, r := range all {
		if _, ok := c.e.catalog.Survey(r.Survey); ok && r.State == storage.Opened {
			out = append(out, r)
		}
	}
	return out, nil
}

// offerRounds shows the invitation of every open round the resident has not finished.
// The round they were answering in is not offered anew but resumed: its current
// question comes last, so that it is the newest message (and a typed reply is the
// answer to it when it is an open question).
func (c *conv) offerRounds(ctx context.Context, intro string) error {
	rounds, err := c.openRounds(ctx)
	if err != nil {
		return err
	}
	current, err := c.e.store.CurrentRound(ctx, c.pid)
	if err != nil {
		return err
	}
	var todo []*storage.Round
	var resume *roundConv
	for _, r := range rounds {
		done, err := c.e.store.Completed(ctx, r.ID, c.pid)
		if err != nil {
			return err
		}
		if done {
			continue
		}
		if r.ID == current {
			rc, err := c.loadRound(ctx, r)
			if err != nil {
				return err
			}
			if rc != nil && rc.ss.Exists {
				resume = rc
				continue
			}
		}
		todo = append(todo, r)
	}
	switch {
	case len(todo) == 0 && resume == nil && intro == "":
		return c.sayText(ctx, c.t("ready"))
	case len(todo) == 0 && resume == nil:
		return c.sayText(ctx, intro+"\n\n"+c.t("no_rounds_wait"))
	case resume != nil && intro == "":
		intro = c.t("resume")
	case resume != nil:
		intro += " " + c.t("resume")
	case intro == "":
		intro = c.t("ready_open")
	}
	if len(todo) > 1 {
		// one message with a button for each round, and one obvious choice to make
		if err := c.say(ctx, c.roundList(intro, todo)); err != nil {
			return err
		}
	} else {
		if err := c.sayText(ctx, intro); err != nil {
			return err
		}
		if len(todo) == 1 {
			s, _ := c.e.catalog.Survey(todo[0].Survey)
			if err := c.say(ctx, c.e.invitation(c.pr(), s, todo[0])); err != nil {
				return err
			}
		}
	}
	if resume != nil {
		return resume.present(ctx)
	}
	return nil
}

// roundList lists several open rounds in one message, with a "Doe mee" button for
// each. The button shows the round's participatiekaart before its first question.
func (c *conv) roundList(intro string, todo []*storage.Round) Message {
	var b strings.Builder
	pr := c.pr()
	if intro == pr.T("ready_open") {
		intro = pr.T("thanks_short")
	}
	b.WriteString(pr.N("round_list", len(todo), "Intro", intro) + "\n")
	rows := make([][]Choice, 0, len(todo))
	for i, r := range todo {
		s, _ := c.e.catalog.Survey(r.Survey)
		s = c.survey(s)
		b.WriteString("\n" + pr.N("round_list_item", len(s.Questions), "Nr", pr.Int(i+1), "Titel", s.Title,
			"Doel", Clip(s.Card.Doel, 90), "Sluit", pr.Moment(r.ClosesAt.In(c.e.cfg.Location))) + "\n")
		rows = append(rows, []Choice{{Label: pr.T("join_button_titled", "Titel", s.Title), Data: encode("j", r.Code),
			Short: pr.T("round_short", "Nr", pr.Int(i+1))}})
	}
	return Message{Text: strings.TrimRight(b.String(), "\n"), Choices: rows}
}

// invitation is the participatiekaart with a "Doe mee" button, in pr's language.
func (e *Engine) invitation(pr *lang.Printer, s *surveys.Survey, r *storage.Round) Message {
	return Message{Text: e.card(pr, s, r.ClosesAt.In(e.cfg.Location)), Choices: [][]Choice{{{Label: pr.T("join_button"), Data: encode("go", r.Code)}}}}
}
