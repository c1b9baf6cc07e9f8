package bot

import (
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// A resident reads the bot in their language: the one they chose (stored with their
// profile, lang), else the one carried in the onboarding buttons they tap before
// consenting (nothing is stored before that), else the platform's hint (Event.Lang),
// else Dutch.

// lang is the language of the resident the conversation is with.
func (c *conv) lang() lang.Code {
	switch {
	case c.p != nil && c.p.Lang != "":
		return lang.Code(c.p.Lang).Or()
	case c.chosen != "":
		return c.chosen
	}
	return lang.Match(c.ev.Lang)
}

// pr is the printer of the resident's language, in the deployment's register.
func (c *conv) pr() *lang.Printer { return lang.For(c.lang(), c.e.cfg.Je) }

// t is the catalogue text id in the resident's language (lang.Printer.T).
func (c *conv) t(id string, kv ...any) string { return c.pr().T(id, kv...) }

// survey is s as the resident reads it: in their language where it is translated.
func (c *conv) survey(s *surveys.Survey) *surveys.Survey { return inLang(s, c.lang()) }

// printerOf is the printer of a participant's language, for broadcasts.
func (e *Engine) printerOf(p *storage.Participant) *lang.Printer {
	return lang.For(lang.Code(p.Lang).Or(), e.cfg.Je)
}

// inLang is s in language c (surveys.Survey.In; also for a survey already in
// another language).
func inLang(s *surveys.Survey, c lang.Code) *surveys.Survey { return s.Source().In(c) }
