package surveys

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// The widths WhatsApp gives the text of a choice, in characters: the title of a reply
// button (a message has one to three,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages)
// and the title of a list row (its description below holds 72,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages).
const (
	WhatsAppButtonTitle = 20
	WhatsAppRowTitle    = 24
)

// MaxShortLen is the longest kort an option may give, in characters: a WhatsApp reply
// button's title, the shortest button of the platforms, so that a kort fits on every
// button of every platform.
const MaxShortLen = WhatsAppButtonTitle

// How the engine (package bot) lays out a question's options, mirrored here so that
// the warnings are about the buttons residents get.
const (
	// whatsAppButtons is the most options a single-choice question may have to be
	// shown as reply buttons; with more it is a list.
	whatsAppButtons = 3
	// numberedLabel is bot's longLabel: when an option's label is longer, the labels
	// are listed in the message with numbers and the buttons carry only the numbers,
	// which fit anywhere (for wie van de drie: in the triads with that option).
	numberedLabel = 40
	// toggleMark is the width of the box ("☐ ", "✅ ") before a multiple-choice option.
	toggleMark = 2
)

// WhatsAppWarnings reports, question by question, each option whose button text
// WhatsApp would cut because it has no kort: on reply buttons (single choice with up to
// three options, wie van de drie) a label over 20 characters, in lists (likert, rating,
// single choice with more options, multiple choice) one over 24, less the box before a
// multiple-choice option. Labels on numbered buttons are not cut. The warnings are in
// Dutch, for the organiser, such as
//
//	vraag "vertrouwen", optie "Niet veel, niet weinig vertrouwen": 33 tekens, WhatsApp toont er 24; geef een kort: label
//
// A survey that is never sent on WhatsApp can ignore them.
func WhatsAppWarnings(s *Survey) []string {
	var out []string
	for _, q := range s.Questions {
		width, where := whatsAppWidth(q)
		if width == 0 || q.Type != WieVanDeDrie && slices.ContainsFunc(q.Options, numbered) {
			continue
		}
		for _, o := range q.Options {
			n := utf8.RuneCountInString(o.Label)
			if o.Short != "" || n <= width || q.Type == WieVanDeDrie && numbered(o) {
				continue
			}
			out = append(out, fmt.Sprintf("vraag %q, optie %q: %d tekens, WhatsApp toont er %d%s; geef een kort: label",
				q.ID, clipValue(o.Label), n, width, where))
		}
	}
	return out
}

// whatsAppWidth is how many characters of an option's label WhatsApp shows on the
// question's buttons, with a note on where for the message; 0 for a question without
// option buttons.
func whatsAppWidth(q Question) (int, string) {
	switch q.Type {
	case WieVanDeDrie:
		return WhatsAppButtonTitle, ""
	case Single:
		if len(q.Options) <= whatsAppButtons {
			return WhatsAppButtonTitle, ""
		}
		return WhatsAppRowTitle, ""
	case Multiple:
		return WhatsAppRowTitle - toggleMark, " naast het vakje"
	case Likert, Rating:
		return WhatsAppRowTitle, ""
	}
	return 0, ""
}

// numbered reports whether the engine shows the option's label in the message and
// a number on its button.
func numbered(o Option) bool { return utf8.RuneCountInString(o.Label) > numberedLabel }
