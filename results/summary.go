package results

import (
	"sort"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
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
func PersonalSummary(r *Results, answers map[string]surveys.Answer, profile surveys.Profile) string {
	if r.TooFew {
		body := []string{"Bedankt voor uw deelname aan " + clip(resultsTitle(r), 200) + ".", "", TooFewMessage(r.Threshold)}
		return fitMessage(body, nextSteps(r), shortened)
	}
	body := []string{"Bedankt voor uw deelname aan " + clip(resultsTitle(r), 200) + ". Dit is de uitslag:"}
	if r.Since != "" {
		body = append(body, "Sinds de vorige ronde: "+r.Since+".")
	}
	var kern kernShares
	for i, q := range r.Questions {
		head := strconv.Itoa(i+1) + ". " + clip(q.Text, 200)
		body = append(body, "\n"+block(append([]string{head}, personalLines(q, answers, profile.Kern, &kern)...)))
	}
	var tail []string
	if note := kern.note(profile.Kern); note != "" {
		tail = append(tail, note, "")
	}
	return fitMessage(body, append(tail, nextSteps(r)...), shortened)
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
func (k kernShares) note(kern string) string {
	kern = clip(kern, 50)
	switch {
	case k.tooFew+k.withheld == 0:
		return ""
	case k.shown == 0 && k.withheld == 0:
		return "In " + kern + " deden te weinig mensen mee om hun antwoorden apart te tonen."
	case k.shown == 0:
		return "Voor " + kern + " tonen we de antwoorden niet apart, zodat niemand herkenbaar is."
	case k.withheld == 0:
		return "Waar bij uw keuze geen cijfer voor " + kern + " staat, deden daar te weinig mensen mee om het apart te tonen."
	}
	return "Waar bij uw keuze geen cijfer voor " + kern + " staat, tonen we het niet apart, zodat niemand herkenbaar is."
}

func personalLines(q QuestionResult, answers map[string]surveys.Answer, kern string, shares *kernShares) []string {
	switch surveys.QuestionType(q.Type) {
	case surveys.WieVanDeDrie:
		return personalRanking(q, answers)
	case surveys.Open:
		if a, ok := answers[q.ID]; ok && !a.Skipped && strings.TrimSpace(a.Text) != "" {
			return []string{"  U gaf een antwoord; in totaal " + dutch.Plural(q.N, "antwoord", "antwoorden") + "."}
		}
		return []string{"  In totaal " + dutch.Plural(q.N, "antwoord", "antwoorden") + "."}
	case surveys.Rating:
		lines := []string{"  Gemiddeld cijfer: " + dutch.Decimal(q.Mean, 1) + "; middelste cijfer: " + dutch.Median(q.Median) +
			" (" + dutch.Plural(q.N, "antwoord", "antwoorden") + ")"}
		if a, ok := answers[q.ID]; ok && !a.Skipped && len(a.Options) > 0 {
			return append(lines, "  Uw cijfer: "+clip(a.Options[0], 20))
		}
		return append(lines, yourNoAnswer(answers, q.ID))
	}
	var lines []string
	for _, o := range q.Options {
		lines = append(lines, "  "+clip(o.Label, 100)+": "+dutch.Percent(o.Percent)+" ("+dutch.Int(o.Count)+")")
	}
	if q.Type == string(surveys.Likert) {
		lines = append(lines, "  "+AgreeLabel(q)+": "+dutch.Percent(q.Agree))
	}
	line, state := yourChoices(q, answers, kern)
	shares.add(state)
	return append(lines, line)
}

// yourChoices is "Uw keuze: Mee eens — 45% van alle deelnemers en 52% in
// Nieuwleusen koos dit" (or all choices of a multiple-choice answer), and how the
// share in the kern was shown.
func yourChoices(q QuestionResult, answers map[string]surveys.Answer, kern string) (string, kernState) {
	a, ok := answers[q.ID]
	if !ok || a.Skipped || len(a.Options) == 0 {
		return yourNoAnswer(answers, q.ID), kernNone
	}
	kr, hasKern := kernOf(q, kern)
	hidden := kernWithheld
	if kr.Suppressed && !kr.Complementary {
		hidden = kernTooFew
	}
	if q.Type != string(surveys.Multiple) {
		o := findOption(q.Options, a.Options[0])
		line := "  Uw keuze: " + clip(o.Label, 100) + " — " + dutch.Percent(o.Percent) + " van alle deelnemers"
		p, shown := kr.Percent[o.ID]
		switch {
		case hasKern && shown:
			return line + " en " + dutch.Percent(p) + " in " + clip(kern, 50) + " koos dit", kernShown
		case hasKern:
			return line + " koos dit", hidden
		}
		return line + " koos dit", kernNone
	}
	parts := make([]string, 0, len(a.Options))
	state := kernNone
	for _, id := range a.Options {
		o := findOption(q.Options, id)
		part := clip(o.Label, 100) + " (" + dutch.Percent(o.Percent)
		if p, ok := kr.Percent[o.ID]; hasKern && ok {
			part += "; in " + clip(kern, 50) + " " + dutch.Percent(p)
			if state == kernNone {
				state = kernShown
			}
		} else if hasKern {
			state = hidden
		}
		parts = append(parts, part+")")
	}
	return "  Uw keuzes: " + strings.Join(parts, ", "), state
}

// TooFewMessage says, to a resident, why a round with fewer respondents than
// the threshold shows no numbers.
func TooFewMessage(threshold int) string {
	return "Te weinig deelnemers om de uitslag te tonen. Aan deze ronde deden minder dan " + strconv.Itoa(threshold) +
		" mensen mee. Zo'n kleine groep tonen we nooit, ook niet als totaal of percentage, zodat niemand uit de uitslag " +
		"te herkennen is. Uw antwoorden tellen wel mee: de terugkoppeling volgt zoals beloofd."
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

func yourNoAnswer(answers map[string]surveys.Answer, qid string) string {
	if a, ok := answers[qid]; ok && a.Skipped {
		return "  U sloeg deze vraag over."
	}
	return "  U heeft deze vraag niet beantwoord."
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
func personalRanking(q QuestionResult, answers map[string]surveys.Answer) []string {
	v := Ranked(q.Ranking)
	var lines []string
	if v.Verdict != "" {
		lines = append(lines, "  "+v.Verdict)
	}
	listed := v.Shown()[:min(3, len(v.Shown()))]
	for _, r := range listed {
		lines = append(lines, "  "+r.Line(clip(r.Label, 100), false))
	}
	if len(lines) > 0 {
		for _, h := range Help(listed) {
			lines = append(lines, "  "+h)
		}
	}
	if fav, ok := favourite(q, answers); ok {
		return append(lines, "  Uw favoriet: "+clip(fav, 100))
	}
	return append(lines, "  U maakte hier geen keuze.")
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
func nextSteps(r *Results) []string {
	if r.Survey == nil {
		return []string{terugkoppelingLine(r)}
	}
	c := r.Survey.Card
	var lines []string
	if c.WatGebeurtErMee != "" {
		line := "Wat er nu gebeurt: " + clip(c.WatGebeurtErMee, 600)
		if c.WieBeslist != "" {
			line += " (besluit: " + clip(c.WieBeslist, 60) + ")"
		}
		lines = append(lines, line)
	}
	return append(lines, terugkoppelingLine(r))
}

// terugkoppelingLine says when the participant hears what was done with the outcome.
func terugkoppelingLine(r *Results) string {
	if r.Survey == nil || r.Survey.Card.Terugkoppeling.IsZero() {
		return "U hoort later wat er met de uitkomst is gedaan."
	}
	return "Op " + dutch.Date(r.Survey.Card.Terugkoppeling) + " hoort u wat er met de uitkomst is gedaan."
}
