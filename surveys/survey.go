// Package surveys holds the survey model (a survey file in YAML), its loading and
// validation, the catalog of loaded surveys, the population table, the names of a
// round's tallies (tally.go) and the "wie van de drie" triads a participant is shown,
// fixed or adaptive. It knows nothing about chat platforms or Redis: storage keeps
// the counters that this package names. The results computed from those counters
// live in package results.
package surveys

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/lang"
)

// QuestionType is the kind of answer a question takes.
type QuestionType string

// The question types a survey file may use.
const (
	Single       QuestionType = "single"       // one option from a list
	Multiple     QuestionType = "multiple"     // zero or more options from a list
	Likert       QuestionType = "likert"       // 5-point agreement scale with labels, and "Weet ik niet" if asked
	Rating       QuestionType = "rating"       // a mark from 1 to 10
	Open         QuestionType = "open"         // free text up to MaxLength runes
	WieVanDeDrie QuestionType = "wievandedrie" // N triads drawn from a pool, pick one of three
)

// Trede is a step on the participatieladder.
type Trede string

// The steps of the participatieladder, lowest first.
const (
	Informeren   Trede = "informeren"
	Raadplegen   Trede = "raadplegen"
	Adviseren    Trede = "adviseren"
	Coproduceren Trede = "coproduceren"
	Meebeslissen Trede = "meebeslissen"
)

// uitleg explains each step of the participatieladder to organisers and the public.
var uitleg = map[Trede]string{
	Informeren:   "trede 1 van 5: inwoners worden op de hoogte gehouden",
	Raadplegen:   "trede 2 van 5: inwoners geven hun mening; de beslisser neemt die mee",
	Adviseren:    "trede 3 van 5: het advies weegt zwaar; afwijken wordt uitgelegd",
	Coproduceren: "trede 4 van 5: inwoners en gemeente werken samen een oplossing uit",
	Meebeslissen: "trede 5 van 5: inwoners beslissen mee",
}

// Uitleg is the step explained, as the dashboard and the public pages show it
// ("trede 2 van 5: inwoners geven hun mening; de beslisser neemt die mee"); "" for
// a step not on the ladder.
func (t Trede) Uitleg() string { return uitleg[t] }

// Survey is one survey file: what is asked, why, and when.
type Survey struct {
	ID    string
	Title string
	// Language is the language of the survey's texts: on a survey as loaded its
	// source language, the language of the file's plain texts and the one every
	// text mapping must have ("nl" unless the file says language: en); on a copy
	// made by In, the language of that copy. See Languages and In (i18n.go).
	Language  string
	Card      Card
	Schedule  Schedule
	Questions []Question
	// Bewaartermijn is how many months the raw answers of a round are kept after its
	// decision was sent (or after it closed, when no decision was sent); then only the
	// aggregates stay. Zero means DefaultBewaartermijn.
	Bewaartermijn int
	// Publiceren says that the results of the survey's closed rounds are published
	// on the public results page (/openbaar/), for anyone without login (YAML
	// publiceren: true). Off unless the file says so: publishing is the
	// organiser's choice per survey.
	Publiceren bool
	// Indicators are the figures the municipality follows against a target, and
	// References the values to set them beside (indicators.go).
	Indicators []Indicator
	References []Reference
	// File is the path the survey was loaded from, for messages.
	File string
	// Warnings are what validate warns about in the file, in position order (see
	// warnings.go): the survey loads and runs, but residents will likely be
	// turned away or misread it. Each has Problem.Warning set and a tip.
	Warnings Problems
	// tr are the survey's versions per offered language (i18n.go); nil for a
	// survey that was not loaded from a file.
	tr *translations
}

// DefaultBewaartermijn is the bewaartermijn in months when a survey names none.
const DefaultBewaartermijn = 12

// RetentionMonths is the survey's bewaartermijn in months; a nil survey (its file was
// removed) has the default.
func (s *Survey) RetentionMonths() int {
	if s == nil || s.Bewaartermijn <= 0 {
		return DefaultBewaartermijn
	}
	return s.Bewaartermijn
}

// Card is the participatiekaart shown with every invitation: why the municipality asks,
// who decides, how much say residents have, what happens with the answers and when
// the terugkoppeling comes. Every field is required.
type Card struct {
	Doel            string    // why we ask
	WieBeslist      string    // gemeenteraad, college, burgemeester, inwoners
	Trede           Trede     // step on the participatieladder
	WatGebeurtErMee string    // what happens with the answers
	Terugkoppeling  time.Time // date the decision will be reported back (a date, local)
}

// Schedule says when rounds of a survey open and how long they stay open.
// Exactly one of Cron and Opens is set.
type Schedule struct {
	// Cron is a standard 5-field cron spec in local wall-clock time ("0 9 1 * *").
	Cron string
	// Opens is a fixed local opening time for a one-off round.
	Opens time.Time
	// Duration is how long a round stays open.
	Duration time.Duration
	// Reminders are offsets before the close at which those who have not finished
	// get a reminder, largest first (e.g. 48h, 4h).
	Reminders []time.Duration
}

// Question is one question of a survey.
type Question struct {
	ID       string
	Type     QuestionType
	Text     string
	Optional bool
	// Options for single and multiple choice, the pool for wie van de drie,
	// the five scale labels for likert (ids "1" to "5", then WeetNietID when the
	// file says weet_ik_niet: true), the labels for rating 1..10 (generated).
	Options []Option
	// MaxLength is the maximum number of characters of an open answer.
	MaxLength int
	// Triads is the number of triads each participant sees (wie van de drie).
	Triads int
	// Adaptive says that the triads of a wie-van-de-drie question are drawn with
	// AdaptiveNext, steered by the picks so far (YAML adaptief: true), instead of
	// UniformNext, the default: see README, "Wie van de drie".
	Adaptive bool
	// MinChoices and MaxChoices bound a multiple-choice answer (MaxChoices 0: no bound).
	MinChoices, MaxChoices int
	// Category groups open questions, e.g. the world café's kansen and risico's.
	Category string
}

// WeetNietID is the id of the "Weet ik niet" option a likert question gets after its
// five points with weet_ik_niet: true. It is an option as any other for storage and
// tallies; the results leave it out of the base of the agreement share and the mean,
// which are about those with an opinion.
const WeetNietID = "weetniet"

// weetNietLabel is the label of the WeetNietID option in the survey's language.
func weetNietLabel(language string) string {
	return builtinText(weetNietTexts, lang.Code(language))
}

// Option is one answer option. ID is stable across edits of the label; tallies use it.
type Option struct {
	ID    string
	Label string
	// Short is the label for platforms whose buttons are short (the file's "kort"),
	// at most MaxShortLen characters; empty when the file gives none. See ShortLabel.
	Short string
}

// ShortLabel is the text for a short button: the option's kort, or its label when it
// has none.
func (o Option) ShortLabel() string {
	if o.Short != "" {
		return o.Short
	}
	return o.Label
}

// Procesevaluatie is the standard closing question: a mark from 1 to 10 for how
// the round went, optional, in language (one of lang.Supported; Dutch for any other).
func Procesevaluatie(language string) Question {
	text := builtinText(procesevaluatieTexts, lang.Code(language))
	labels := make([]string, ratingPoints)
	for i := range labels {
		labels[i] = strconv.Itoa(i + 1)
	}
	return Question{ID: ProcesevaluatieID, Type: Rating, Text: text, Optional: true, Options: scaleOptions(labels)}
}

func hasQuestion(s *Survey, id string) bool {
	for _, q := range s.Questions {
		if q.ID == id {
			return true
		}
	}
	return false
}

// Signature is what a question asked, as a short hash: its type, its text and its
// options (ids and labels, in order). Two rounds whose question of one id has the
// same signature asked the same question, so a trend may join them.
func Signature(q Question) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s", q.Type, q.Text)
	for _, o := range q.Options {
		fmt.Fprintf(h, "\x00%s\x01%s", o.ID, o.Label)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Wording is the signature of every question of s, by question id. For a translated
// copy (Survey.In) it is that of the survey as loaded: a trend joins rounds by the
// wording of the source, whatever language a resident read.
func Wording(s *Survey) map[string]string {
	s = s.Source()
	out := make(map[string]string, len(s.Questions))
	for _, q := range s.Questions {
		out[q.ID] = Signature(q)
	}
	return out
}
