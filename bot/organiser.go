package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

// Organisers (ORGANISERS, by channel and platform user id) can do in the chat what
// the CLI does: list rounds, see results, open and close a round. Everyone else gets
// the answer for an unknown command, so the commands are not advertised.

const txtOrganiserHelp = "Beheeropdrachten:\n" +
	"/rondes – alle rondes met status en respons\n" +
	"/uitslag RONDE – de uitslag van een ronde\n" +
	"/open VRAGENLIJST – open nu een ronde\n" +
	"/sluit RONDE – sluit een ronde nu; de uitslag gaat daarna uit"

func (c *conv) organiser() bool {
	for _, a := range c.e.cfg.Organisers {
		if a.Channel == c.ev.Channel && a.ChatID == c.ev.UserID {
			return true
		}
	}
	return false
}

// organiserCommand handles an organiser command; false if it is none.
func (c *conv) organiserCommand(ctx context.Context) (bool, error) {
	switch c.ev.Command {
	case "rondes", "uitslag", "open", "sluit", "beheer":
	default:
		return false, nil
	}
	if !c.organiser() {
		return false, nil
	}
	arg := strings.TrimSpace(c.ev.Args)
	c.log.Info("organiser command", "command", c.ev.Command, "arg", arg)
	var err error
	switch c.ev.Command {
	case "beheer":
		err = c.sayText(ctx, txtOrganiserHelp)
	case "rondes":
		err = c.listRounds(ctx)
	case "uitslag":
		err = c.roundResults(ctx, arg)
	case "open":
		s, ok := c.e.catalog.Survey(arg)
		if !ok {
			return true, c.sayText(ctx, fmt.Sprintf("Vragenlijst %q bestaat niet. Gebruik: /open VRAGENLIJST", arg))
		}
		r, oerr := c.e.rounds.Open(ctx, s, c.e.cfg.Now())
		if oerr != nil {
			return true, c.sayText(ctx, "Openen lukt niet: "+oerr.Error())
		}
		err = c.sayText(ctx, fmt.Sprintf("Ronde %s is open tot %s. De uitnodigingen gaan nu uit.", r.ID, lang.Dutch().Moment(r.ClosesAt.In(c.e.cfg.Location))))
	case "sluit":
		if cerr := c.e.rounds.Close(ctx, arg, c.e.cfg.Now()); cerr != nil {
			return true, c.sayText(ctx, "Sluiten lukt niet: "+cerr.Error())
		}
		err = c.sayText(ctx, fmt.Sprintf("Ronde %s is gesloten. De uitslag gaat nu uit.", arg))
	}
	return true, err
}

func (c *conv) listRounds(ctx context.Context) error {
	all, err := c.e.rounds.List(ctx, c.e.cfg.Now())
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return c.sayText(ctx, "Nog geen rondes.")
	}
	var b strings.Builder
	for _, r := range all {
		fmt.Fprintf(&b, "• %s – %s, %d deelnemers (%d klaar, %d uitgenodigd), sluit %s\n", r.ID, r.State,
			r.Respondents, r.Completed, r.Invited, lang.Dutch().Moment(r.ClosesAt.In(c.e.cfg.Location)))
	}
	return c.sayText(ctx, b.String())
}

func (c *conv) roundResults(ctx context.Context, rid string) error {
	r, err := c.e.rounds.Round(ctx, rid)
	if err != nil {
		return c.sayText(ctx, fmt.Sprintf("Ronde %q niet gevonden. Gebruik: /uitslag RONDE (zie /rondes)", rid))
	}
	s, ok := c.e.catalog.Survey(r.Survey)
	if !ok {
		return c.sayText(ctx, fmt.Sprintf("De vragenlijst van ronde %s is niet geladen.", rid))
	}
	res, err := c.e.rounds.View(ctx, s, r)
	if err != nil {
		return err
	}
	if r.State == storage.Opened {
		// a chat message is easily forwarded: while the round is open, the tussenstand
		// that reveals no single answer, as every export gives it
		res = results.Live(res)
	}
	return c.sayText(ctx, results.TextSummary(res, true))
}
