package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// start begins (or resumes) taking part: the age question first, because under 16 a
// resident cannot consent alone and then nothing may be stored.
func (c *conv) start(ctx context.Context) error {
	if c.consented() {
		return c.offerRounds(ctx, "Welkom terug! U doet al mee.")
	}
	rows := make([][]Choice, 0, len(leeftijden)+2)
	rows = append(rows, []Choice{{Label: "Jonger dan 16", Data: dataUnder16}})
	for i, l := range leeftijden {
		rows = append(rows, []Choice{{Label: l.Label, Data: "age:" + strconv.Itoa(i)}})
	}
	rows = append(rows, []Choice{{Label: ageUnknownLabel, Data: "age:" + strconv.Itoa(ageUnknown)}})
	return c.sayText(ctx, c.t("welcome", "Gemeente", municipality(c.e.cfg.Municipality)), rows...)
}

// age answers the age question. The age group is not stored yet: it travels in the
// consent button's data and is saved together with the consent.
func (c *conv) age(ctx context.Context, arg string) error {
	if arg == "u16" {
		// the question keeps its place above the resident's tap; the answer comes below it
		if err := c.echo(ctx, "Hoe oud bent u?", "Jonger dan 16"); err != nil {
			return err
		}
		return c.sayText(ctx, c.t("under16", "Gemeente", municipality(c.e.cfg.Municipality)))
	}
	if _, ok := ageGroup(arg); !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	if err := c.echo(ctx, "Hoe oud bent u?", ageLabel(arg)); err != nil {
		return err
	}
	return c.sayText(ctx, c.consentText(), []Choice{{Label: "Ja, ik doe mee", Data: "ok:" + arg}}, []Choice{{Label: "Nee, liever niet", Data: dataConsentNo}})
}

// consentText is the consent question: how data is kept, who writes, the privacy
// statement.
func (c *conv) consentText() string {
	// the opt-in names who writes and where (WhatsApp's business policy asks it of
	// every business-initiated message)
	text := c.t("consent", "Drempel", c.e.cfg.Threshold, "Versie", c.e.cfg.ConsentVersion,
		"OptIn", optIn(c.e.cfg.Municipality, c.ev.Channel))
	if u := c.e.cfg.PrivacyURL; u != "" {
		text += "\n\nDe hele privacyverklaring (wat we bewaren, hoe lang, en uw rechten): " + u
	}
	return text
}

// optIn is the consent's line that says who will write to the resident, where and
// what.
func optIn(name, channel string) string {
	name = municipality(name)
	where := map[string]string{"whatsapp": "via WhatsApp", "telegram": "via Telegram", "discord": "via Discord"}[channel]
	if where == "" {
		where = "in deze chat"
	}
	return fmt.Sprintf("Met ‘Ja’ mag %s u %s uitnodigen voor nieuwe vragenrondes en u herinneringen, de uitslag en het besluit sturen. Met /stop houdt dat op.",
		name, where)
}

// municipality is the name residents read: GEMEENTE, or "de gemeente".
func municipality(name string) string {
	if name == "" {
		return "de gemeente"
	}
	return name
}

// echo turns the message a button was on into the question with the answer chosen
// ("Hoe oud bent u? ✔ Jonger dan 16"), so that what the bot says next comes below
// the resident's tap, as a new message, and not in the question's place above it.
func (c *conv) echo(ctx context.Context, question, chosen string) error {
	return c.say(ctx, Message{Text: question + "\n\n✔ " + chosen, EditRef: c.ev.MessageRef, Echo: true})
}

func (c *conv) consent(ctx context.Context, arg string) error {
	if c.consented() {
		return c.offerRounds(ctx, "U doet al mee.")
	}
	leeftijd, ok := ageGroup(arg)
	if !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	p := &storage.Participant{ID: c.pid, Channel: c.ev.Channel, ChatID: c.e.sealChat(c.pid, c.ev.ChatID),
		ConsentVersion: c.e.cfg.ConsentVersion, ConsentAt: c.e.cfg.Now(), Leeftijd: leeftijd}
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
	rows = append(rows, []Choice{{Label: "Zeg ik liever niet", Data: dataNoKern}})
	if err := c.echo(ctx, "Gaat u akkoord?", "Ja, ik doe mee"); err != nil {
		return err
	}
	return c.sayText(ctx, c.t("kern"), rows...)
}

// ageLabel is the label of the age button with argument arg (a valid one).
func ageLabel(arg string) string {
	i, _ := strconv.Atoi(arg)
	if i >= 0 && i < len(leeftijden) {
		return leeftijden[i].Label
	}
	return ageUnknownLabel
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
		shown = "zeg ik liever niet"
	}
	if err := c.edit(ctx, "Woonkern: "+shown+" ✔"); err != nil {
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
	loc := c.e.cfg.Location
	fmt.Fprintf(&b, "U doet mee sinds %s (privacytekst versie %s).\n", moment(c.p.ConsentAt.In(loc)), c.p.ConsentVersion)
	fmt.Fprintf(&b, "Woonkern: %s · leeftijdsgroep: %s\n\n", orUnknown(c.p.Kern), orUnknown(c.p.Leeftijd))
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
		answers, err := c.e.store.Answers(ctx, r.ID, c.pid)
		if err != nil {
			return err
		}
		done, err := c.e.store.Completed(ctx, r.ID, c.pid)
		if err != nil {
			return err
		}
		state := fmt.Sprintf("%d van %d vragen beantwoord", answeredQuestions(s, answers), len(s.Questions))
		if done {
			state = "klaar ✅"
		}
		fmt.Fprintf(&b, "• %s: %s (open tot %s)\n", s.Title, state, moment(r.ClosesAt.In(loc)))
		// continuing shows the participatiekaart again: why, who decides, what happens
		ch := Choice{Label: "Verder: " + s.Title, Data: encode("j", r.Code)}
		if done {
			ch = Choice{Label: "Wijzigen: " + s.Title, Data: encode("e", r.Code)}
		}
		rows = append(rows, []Choice{ch})
	}
	return c.sayText(ctx, b.String(), rows...)
}

func orUnknown(s string) string {
	if s == "" {
		return "onbekend"
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
		return c.sayText(ctx, intro+"\n\n"+c.t("no_rounds")+" U krijgt een bericht zodra er een ronde klaarstaat.")
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
			if err := c.say(ctx, c.e.invitation(s, todo[0])); err != nil {
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
	if intro == c.t("ready_open") {
		intro = "Bedankt!"
	}
	fmt.Fprintf(&b, "%s Er staan %d vragenrondes voor u klaar. Kies er een; de andere kunt u daarna doen.\n", intro, len(todo))
	rows := make([][]Choice, 0, len(todo))
	for i, r := range todo {
		s, _ := c.e.catalog.Survey(r.Survey)
		fmt.Fprintf(&b, "\n%d. %s\n%s · %s · open tot %s\n", i+1, s.Title, Clip(s.Card.Doel, 90),
			dutch.Plural(int64(len(s.Questions)), "vraag", "vragen"), moment(r.ClosesAt.In(c.e.cfg.Location)))
		rows = append(rows, []Choice{{Label: "Doe mee: " + s.Title, Data: encode("j", r.Code), Short: fmt.Sprintf("Ronde %d", i+1)}})
	}
	return Message{Text: strings.TrimRight(b.String(), "\n"), Choices: rows}
}

// invitation is the participatiekaart with a "Doe mee" button.
func (e *Engine) invitation(s *surveys.Survey, r *storage.Round) Message {
	return Message{Text: e.card(s, r.ClosesAt.In(e.cfg.Location)), Choices: [][]Choice{{{Label: "Doe mee", Data: encode("go", r.Code)}}}}
}
