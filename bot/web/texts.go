package web

import "github.com/participatiebot/participatiebot/lang"

// The texts the channel writes itself are in the catalogue lang/locales/web.*.yaml
// (Dutch, the source: web.nl.yaml, in the "u" form, saying what to do next; the je
// form in je/web.nl.yaml when Config.Je), printed in the chat's language (chatLang).
// These are their ids.
const (
	idBegin       = "web.begin" // the welcome's button (transcript.html)
	idNotFound    = "web.not_found"
	idCrossSite   = "web.cross_site"
	idCSRF        = "web.csrf"
	idNoSession   = "web.no_session"
	idTooLarge    = "web.too_long"
	idBadForm     = "web.bad_form"
	idUnavailable = "web.unavailable"
	idBadLink     = "web.link.bad"
	idYourLink    = "web.link.yours"
	idLinkExpired = "web.link.expired"
	idLinkGone    = "web.link.gone"
	idOpenLink    = "web.link.open"
	// idOpenLinkOver follows idOpenLink when the browser has a conversation of its own.
	idOpenLinkOver = "web.link.open_over"
	// idOpenLinkCrossSite precedes idOpenLink when another website sent the browser here.
	idOpenLinkCrossSite = "web.link.open_cross_site"
	idChatGone          = "web.gone"
	// idWithheld stands in the transcript for what a resident typed before taking part.
	idWithheld = "web.withheld"
	// idWithheldNote is shown once under such a message, with its text.
	idWithheldNote = "web.withheld_note"
	// Texts of the data rights pages.
	idNothingStored = "web.data.nothing"
	idForgotten     = "web.forget.done"
)

// The Dutch texts of the welcome's button and of the placeholder of an input that is
// not kept. The transcript keeps txtWithheld as it was always stored; the page prints
// the placeholder in its own language (entry.Withheld).
var (
	txtBegin        = lang.Dutch().T(idBegin)
	txtWithheld     = lang.Dutch().T(idWithheld)
	txtWithheldNote = lang.Dutch().T(idWithheldNote)
)
