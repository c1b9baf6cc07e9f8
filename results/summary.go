package results

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// PersonalSummary is the message a participant receives when the round closes:
// thanks, per question the totals with their own answer beside them, for wie van
// de drie the top three and their favourite, for open questions only the number of
// answers (never other people's words), and the date of the terugkoppeling. The
// answers are the participant's own, keyed by question id, and for wie van de drie
// by "<qid>#<i>" per triad. Beside their own choice it gives the share in their
// kern (profile.Kern) where the disclosure decision shows it; where it does not,
// one note after the questions says so (kernShares.note), never a note under each
// question. Options are named by their labels, as on the buttons. It ends with
// what happens next, from the participatiekaart. It fits in one chat message;
// a round with so many questions that it would not loses whole questions at the
// end, never part of one.
//
// A round with fewer respondents than the threshold gets no numbers at all:
// the thanks, TooFewMessage and what happens next.
//
// The texts are the catalogue's (lang/locales/result.nl.yaml) in the language of
// pr, the resident's; the survey's texts (title, questions, options, the
// participatiekaart) are r's as they are.
func PersonalSummary(pr *lang.Printer, r *Results, answers map[string]surveys.Answer, profile surveys.Profile) string {
	title := clip(resultsTitleIn(pr, r), 200)
	if r.TooFew {
		body := []string{pr.T("result.thanks_no_results", "Titel", title), "", tooFewIn(pr, r.Threshold)}
		return fitMessage(body, nextSteps(pr, r), pr.T("result.shortened"))
	}
	body := []string{pr.T("result.thanks", "Titel", title)}
	switch {
	case r.SinceMove != nil:
		body = append(body, r.SinceMove.Text(pr))
	case r.Since != "":
		body = append(body, pr.T("result.since_text", "Verloop", r.Since))
	}
	var kern kernShares
	for i, q := range r.Questions {
		head := pr.T("result.question", "Nummer", pr.Int(i+1), "Vraag", clip(q.Text, 200))
		body = append(body, "\n"+block(append([]string{head}, personalLines(pr, q, answers, profile.Kern, &kern)...)))
	}
	var tail []string
	if note := kern.note(pr, profile.Kern); note != "" {
		tail = append(tail, note, "")
	}
	return fitMessage(body, append(tail, nextSteps(pr, r)...), pr.T("result.shortened"))
}

// kernShares counts, over a participant's choices, how often the share in their
// kern was shown beside a choice and how often not: too few in the kern answered
// the question, or the share would let someone work out a group that is too
// small (the round's disclosure decision, KernResult).
type kernShares struct {
	shown, tooFew, withheld int
}

// kernState is how the share of a choice in the participant's kern was shown:
// not at all (no kern, no choice), shown, or hidden for one of the two reasons.
type kernState int

const (
	kernNone kernState = iota
	kernShown
	kernTooFew
	kernWithheld
)

func (k *kernShares) add(s kernState) {
	switch s {
	case kernShown:
		k.shown++
	case kernTooFew:
		k.tooFew++
	case kernWithheld:
		k.withheld++
	}
}

// note is the one note on the shares in kern that were not shown, "" when each
// one was: "In Nieuwleusen deden te weinig mensen mee om hun antwoorden apart te
// tonen."
func (k kernShares) note(pr *lang.Printer, kern string) string {
	kern = clip(kern, 50)
	switch {
	case k.tooFew+k.withheld == 0:
		return ""
	case k.shown == 0 && k.withheld == 0:
		return pr.T("result.kern_too_few", "Kern", kern)
	case k.shown == 0:
		return pr.T("result.kern_withheld", "Kern", kern)
	case k.withheld == 0:
		return pr.T("result.kern_some_too_few", "Kern", kern)
	}
	return pr.T("result.kern_some_withheld", "Kern", kern)
}

func personalLines(pr *lang.Printer, q QuestionResult, answers map[string]surveys.Answer, kern string, shares *kernShares) []string {
	switch surveys.QuestionType(q.Type) {
	case surveys.WieVanDeDrie:
		return personalRanking(pr, q, answers)
	case surveys.Open:
		if a, ok := answers[q.ID]; ok && !a.Skipped && strings.TrimSpace(a.Text) != "" {
			return []string{"  " + pr.N("result.open_yours", int(q.N))}
		}
		return []string{"  " + pr.N("result.open_total", int(q.N))}
	case surveys.Rating:
		lines := []string{"  " + pr.N("result.rating", int(q.N), "Gemiddelde", pr.Decimal(q.Mean, 1), "Mediaan", medianIn(pr, q.Median))}
		if a, ok := answers[q.ID]; ok && !a.Skipped && len(a.Options) > 0 {
			return append(lines, "  "+pr.T("result.your_mark", "Cijfer", clip(a.Options[0], 20)))
		}
		return append(lines, yourNoAnswer(pr, answers, q.ID))
	}
	var lines []string
	for _, o := range q.Options {
		lines = append(lines, "  "+pr.T("result.option", "Optie", clip(o.Label, 100), "Percentage", pr.Percent(o.Percent), "Aantal", pr.Int(int(o.Count))))
	}
	if q.Type == string(surveys.Likert) {
		lines = append(lines, "  "+pr.T("result.agree", "Instemming", agreeLabelIn(pr, q), "Percentage", pr.Percent(q.Agree)))
	}
	line, state := yourChoices(pr, q, answers, kern)
	shares.add(state)
	return append(lines, line)
}

// medianIn is a median mark: whole when it is, else with one decimal.
func medianIn(pr *lang.Printer, x float64) string {
	if x == math.Trunc(x) {
		return pr.Decimal(x, 0)
	}
	return pr.Decimal(x, 1)
}

// yourChoices is "Uw keuze: Mee eens — 45% van alle deelnemers en 52% in
// Nieuwleusen koos dit" (or all choices of a multiple-choice answer), and how the
// share in the kern was shown.
func yourChoices(pr *lang.Printer, q QuestionResult, answers map[string]surveys.Answer, kern string) (string, kernState) {
	a, ok := answers[q.ID]
	if !ok || a.Skipped || len(a.Options) == 0 {
		return yourNoAnswer(pr, answers, q.ID), kernNone
	}
	kr, hasKern := kernOf(q, kern)
	hidden := kernWithheld
	if kr.Suppressed && !kr.Complementary {
		hidden = kernTooFew
	}
	if q.Type != string(surveys.Multiple) {
		o := findOption(q.Options, a.Options[0])
		label, all := clip(o.Label, 100), pr.Percent(o.Percent)
		p, shown := kr.Percent[o.ID]
		switch {
		case hasKern && shown:
			return "  " + pr.T("result.your_choice_kern", "Optie", label, "Percentage", all,
				"PercentageKern", pr.Percent(p), "Kern", clip(kern, 50)), kernShown
		case hasKern:
			return "  " + pr.T("result.your_choice", "Optie", label, "Percentage", all), hidden
		}
		return "  " + pr.T("result.your_choice", "Optie", label, "Percentage", all), kernNone
	}
	parts := make([]string, 0, len(a.Options))
	state := kernNone
	for _, id := range a.Options {
		o := findOption(q.Options, id)
		label, all := clip(o.Label, 100), pr.Percent(o.Percent)
		if p, ok := kr.Percent[o.ID]; hasKern && ok {
			parts = append(parts, pr.T("result.your_choices_item_kern", "Optie", label, "Percentage", all,
				"Kern", clip(kern, 50), "PercentageKern", pr.Percent(p)))
			if state == kernNone {
				state = kernShown
			}
			continue
		} else if hasKern {
			state = hidden
		}
		parts = append(parts, pr.T("result.your_choices_item", "Optie", label, "Percentage", all))
	}
	return "  " + pr.T("result.your_choices", "Keuzes", strings.Join(parts, pr.T("list_sep"))), state
}

// TooFewMessage says, to a resident, why a round with fewer respondents than
// the threshold shows no numbers: in Dutch, for the reports and the public
// pages; PersonalSummary says it in the resident's language.
func TooFewMessage(threshold int) string { return tooFewIn(lang.Dutch(), threshold) }

func tooFewIn(pr *lang.Printer, threshold int) string {
	return pr.N("result.too_few", threshold)
}

// kernOf finds the participant's kern among a question's kern results.
func kernOf(q QuestionResult, kern string) (KernResult, bool) {
	if kern == "" {
		return KernResult{}, false
	}
	for _, k := range q.ByKern {
		if k.Kern == kern {
			return k, true
		}
	}
	return KernResult{}, false
}

func yourNoAnswer(pr *lang.Printer, answers map[string]surveys.Answer, qid string) string {
	if a, ok := answers[qid]; ok && a.Skipped {
		return "  " + pr.T("result.skipped")
	}
	return "  " + pr.T("result.not_answered")
}

func findOption(opts []OptionResult, id string) OptionResult {
	for _, o := range opts {
		if o.ID == id {
			return o
		}
	}
	return OptionResult{ID: id, Label: id}
}

// personalRanking is the verdict on the first place when it is shared, the top
// three of a wie-van-de-drie question in the words of every screen (RankRow.Line,
// Help) and the option the participant picked most often.
func personalRanking(pr *lang.Printer, q QuestionResult, answers map[string]surveys.Answer) []string {
	v := Ranked(q.Ranking)
	var lines []string
	if verdict := v.VerdictIn(pr); verdict != "" {
		lines = append(lines, "  "+verdict)
	}
	listed := v.Shown()[:min(3, len(v.Shown()))]
	for _, r := range listed {
		lines = append(lines, "  "+r.LineIn(pr, clip(r.Label, 100), false))
	}
	if len(lines) > 0 {
		for _, h := range HelpIn(pr, listed) {
			lines = append(lines, "  "+h)
		}
	}
	if fav, ok := favourite(q, answers); ok {
		return append(lines, "  "+pr.T("result.your_favourite", "Optie", clip(fav, 100)))
	}
	return append(lines, "  "+pr.T("result.no_favourite"))
}

// favourite is the label of the option the participant picked most often over
// their triads ("<qid>#<i>"); a tie goes to the option listed higher (Ranked).
func favourite(q QuestionResult, answers map[string]surveys.Answer) (string, bool) {
	wins := map[string]int{}
	for k, a := range answers {
		i, ok := strings.CutPrefix(k, q.ID+"#")
		if _, err := strconv.Atoi(i); !ok || err != nil || a.Skipped || a.Winner == "" {
			continue
		}
		wins[a.Winner]++
	}
	best, bestWins := "", 0
	for _, r := range Ranked(q.Ranking).Rows { // in the order shown, so the first of equals wins
		if wins[r.ID] > bestWins {
			best, bestWins = r.Label, wins[r.ID]
		}
		delete(wins, r.ID)
	}
	rest := make([]string, 0, len(wins)) // picks of options not in the ranking
	for id := range wins {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	for _, id := range rest {
		if wins[id] > bestWins {
			best, bestWins = id, wins[id]
		}
	}
	return best, bestWins > 0
}

// nextSteps says, from the participatiekaart, what happens with the outcome, who
// decides, and when the participant hears what was done with it.
func nextSteps(pr *lang.Printer, r *Results) []string {
	if r.Survey == nil {
		return []string{terugkoppelingLine(pr, r)}
	}
	c := r.Survey.Card
	var lines []string
	if c.WatGebeurtErMee != "" {
		wat := clip(c.WatGebeurtErMee, 600)
		if c.WieBeslist != "" {
			wie := c.WieBeslist
			// who decides in the reader's words (the engine's wie_beslist_* texts); in
			// Dutch the survey's own word, as always
			if id := "wie_beslist_" + wie; pr.Lang() != lang.NL && pr.Has(id) {
				wie = pr.T(id)
			}
			lines = append(lines, pr.T("result.next_decides", "Wat", wat, "Wie", clip(wie, 60)))
		} else {
			lines = append(lines, pr.T("result.next", "Wat", wat))
		}
	}
	return append(lines, terugkoppelingLine(pr, r))
}

// terugkoppelingLine says when the participant hears what was done with the outcome.
func terugkoppelingLine(pr *lang.Printer, r *Results) string {
	if r.Survey == nil || r.Survey.Card.Terugkoppeling.IsZero() {
		return pr.T("result.feedback_later")
	}
	return pr.T("result.feedback_on", "Datum", pr.Date(r.Survey.Card.Terugkoppeling))
}
