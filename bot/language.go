package bot

import (
	"context"

	"github.com/participatiebot/participatiebot/lang"
)

// A resident chooses their language with the language button under the welcome, or
// with /taal at any time. Before consenting nothing is stored: the choice travels in
// the data of the onboarding buttons (langData) and is stored with the consent;
// after it, it is stored with the profile at once. The platform's hint preselects it
// (conv.lang).

// Data of the language buttons: "lang:-" opens the choice, "lang:<code>" chooses.
const dataLangAsk = "lang:-"

// langRows are the buttons of the language choice, two to a row, each language
// named in itself.
func langRows() [][]Choice {
	var rows [][]Choice
	for i, c := range lang.Supported {
		ch := Choice{Label: c.Name(), Data: "lang:" + string(c)}
		if i%2 == 0 {
			rows = append(rows, []Choice{ch})
		} else {
			rows[len(rows)-1] = append(rows[len(rows)-1], ch)
		}
	}
	return rows
}

// langButton is the row under the welcome that opens the language choice: its label
// says "other language" in the resident's language and in English, so that a
// resident who reads neither Dutch nor the preselected language still finds it.
func (c *conv) langButton() []Choice {
	label := "🌐 " + c.t("lang.other")
	if c.lang() != lang.EN {
		label += " · Language"
	}
	return []Choice{{Label: label, Data: dataLangAsk}}
}

// askLang offers the languages.
func (c *conv) askLang(ctx context.Context) error {
	return c.sayText(ctx, c.t("lang.ask"), langRows()...)
}

// setLang takes the language chosen with a button ("-": show the choice). A resident
// who has consented has it stored; one who has not gets the welcome again in it,
// with the choice in its buttons.
func (c *conv) setLang(ctx context.Context, arg string) error {
	if arg == "-" {
		return c.askLang(ctx)
	}
	code, ok := lang.Parse(arg)
	if !ok {
		return c.sayText(ctx, c.t("stale"))
	}
	if !c.consented() {
		c.chosen = code
		return c.start(ctx)
	}
	stored := string(code)
	if code == lang.NL {
		stored = "" // Dutch is the default: nothing more to store
	}
	if err := c.e.store.SetProfile(ctx, c.pid, "lang", stored); err != nil {
		return err
	}
	c.p.Lang = stored
	c.log.Info("language chosen", "lang", string(code))
	return c.offerRounds(ctx, c.t("lang.set", "Taal", code.Name()))
}

// langData adds the chosen language to an onboarding button's data ("age:3" →
// "age:3:en"), so that it reaches the consent; data unchanged when the resident has
// not chosen one.
func (c *conv) langData(data string) string {
	if c.chosen == "" {
		return data
	}
	return data + ":" + string(c.chosen)
}
