package surveys

import (
	"slices"

	"github.com/participatiebot/participatiebot/lang"
)

// A survey in several languages. Every text a resident reads in a survey file (the
// title, the doel and wat_gebeurt_er_mee of the participatiekaart, the text of every
// question, the label and kort of every option and likert point) is either a plain
// string, in the survey's source language (Survey.Language, Dutch unless the file
// says language: en), or a mapping from language code to text:
//
//	title:
//	  nl: "Burgerpeiling: inwoner en gemeente"
//	  en: "Residents' survey: residents and the municipality"
//
// The source language is required in every mapping. The survey is offered in the
// source language, in every language one of its texts has, and in those the file
// lists under talen (talen: [en, ar]). A text without a translation falls back to the
// source; validate warns about each one (see checkTranslations).
//
// Ids, types, the schedule and everything else but the texts are the same in every
// language, so the answers (option ids) and the tallies of a round are shared by the
// residents of all its languages.

// translations are the versions of one survey file, one per offered language, made
// once at load. The loaded survey and each of its translated copies point at the
// same translations.
type translations struct {
	source  lang.Code
	offered []lang.Code // the source first, then in lang.Supported order
	by      map[lang.Code]*Survey
}

// sourceLang is the survey's source language: the language of its plain texts.
func (s *Survey) sourceLang() lang.Code {
	if s.tr != nil {
		return s.tr.source
	}
	return lang.Code(s.Language).Or()
}

// Languages lists the languages the survey is offered in: its source language
// (Dutch unless the file says otherwise) first, then each language the file has a
// text in or lists under talen, in the order of lang.Supported.
func (s *Survey) Languages() []lang.Code {
	if s == nil {
		return []lang.Code{lang.NL}
	}
	if s.tr == nil {
		return []lang.Code{s.sourceLang()}
	}
	return slices.Clone(s.tr.offered)
}

// In is the survey with its texts in language c: every text the file translates
// into c in c, every other text in the source language. Ids, types, options, the
// schedule and everything else are those of s. For the source language, and for a
// language the survey is not offered in, it is the survey as loaded (in the source
// language), not a copy; calling In on a translated copy works the same. The copies
// are made once when the file is loaded, so In costs a map lookup; they are shared
// and must not be modified.
func (s *Survey) In(c lang.Code) *Survey {
	if s == nil || s.tr == nil {
		return s
	}
	if t, ok := s.tr.by[c]; ok {
		return t
	}
	return s.tr.by[s.tr.source]
}

// Source is the survey as loaded, in its source language: s itself, unless s is a
// translated copy made by In.
func (s *Survey) Source() *Survey {
	if s == nil || s.tr == nil {
		return s
	}
	return s.tr.by[s.tr.source]
}

// translated makes the copy of s in language c from the texts of the file, as In
// returns it.
func translated(s *Survey, c lang.Code, texts []*i18nText) *Survey {
	cp := *s
	cp.Language = string(c)
	cp.Questions = slices.Clone(s.Questions)
	for i := range cp.Questions {
		cp.Questions[i].Options = slices.Clone(s.Questions[i].Options)
	}
	for _, t := range texts {
		if v, ok := t.tr[c]; ok {
			*t.at(&cp) = v
		} else if t.label != nil {
			// A kort without a translation, on an option whose label has one:
			// the button shows the translated label rather than the source's kort.
			if _, ok := t.label.tr[c]; ok {
				*t.at(&cp) = ""
			}
		}
	}
	return &cp
}
