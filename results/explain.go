package results

import (
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
)

// The figures in words, for readers who are not statisticians (a civil servant,
// the stuurgroep): each says the figure and, where there is one, a standard
// judgement in the line itself, and what it means in one line of plain Dutch
// (taalniveau B1) under it. Every report (text, stuurgroep message, digest,
// dashboard) takes its wording from here, so the judgements are set once;
// the words of wie van de drie are in wvdd_words.go.

// Explanation is one figure in words.
type Explanation struct {
	// Line says the figure and its judgement: "R-score 0,82: goede afspiegeling".
	Line string
	// Help says in one line what the figure means.
	Help string
	// Notes are further facts about it, such as groups that were taken together.
	Notes []string
}

// The judgements of the R-score (lowest ÷ highest response rate of the groups).
// RScoreGood is the four-fifths rule, the usual test for exactly this ratio of
// rates (US EEOC, Uniform Guidelines on Employee Selection Procedures, 29 CFR
// 1607.4(D)): below it, the group that took part least did so clearly less
// often. Below RScoreFair it took part less than half as often.
const (
	RScoreGood = 0.8
	RScoreFair = 0.5
)

// rScoreJudgement is the word for an R-score.
func rScoreJudgement(r float64) string {
	switch {
	case r >= RScoreGood:
		return "goede afspiegeling"
	case r >= RScoreFair:
		return "redelijke afspiegeling"
	}
	return "scheve afspiegeling"
}

// RScoreHelp explains the R-score with its thresholds.
var RScoreHelp = "De R-score vergelijkt hoe vaak elke groep (kern, leeftijdsgroep) meedeed, naar het aantal inwoners: " +
	"de groep die het minst meedeed gedeeld door de groep die het meest meedeed. 1 is: elke groep even vaak. " +
	"Vanaf " + dutch.Decimal(RScoreGood, 1) + " is de afspiegeling goed, vanaf " + dutch.Decimal(RScoreFair, 1) +
	" redelijk, daaronder scheef."

// RScoreExplained is the round's R-score in words; false without a population
// table. A round still open that cannot have one yet says "nog niet".
func RScoreExplained(r *Results) (Explanation, bool) {
	a := r.Afspiegeling
	if a == nil {
		return Explanation{}, false
	}
	if a.RScore == RScoreUnavailable {
		not := "niet"
		if r.Round.Closed.IsZero() {
			not = "nog niet"
		}
		t := strconv.Itoa(max(r.Threshold, 1))
		return Explanation{
			Line: "R-score: " + not + " te berekenen. Daarvoor zijn per groep minstens " + t + " deelnemers nodig.",
			Help: "De R-score zegt hoe goed de deelnemers de inwoners afspiegelen. Groepen met minder dan " + t +
				" deelnemers tellen we samen, maar ook samen moeten ze minstens " + t + " deelnemers hebben, zodat niemand herkenbaar is.",
		}, true
	}
	e := Explanation{Line: "R-score " + dutch.Decimal(a.RScore, 2) + ": " + rScoreJudgement(a.RScore), Help: RScoreHelp}
	if len(a.Merged) > 0 {
		e.Notes = append(e.Notes, "Samen geteld omdat ze minder dan "+strconv.Itoa(r.Threshold)+" deelnemers hadden: "+
			clip(strings.Join(a.Merged, ", "), 120)+".")
	}
	return e, true
}

// RScoreShort is the R-score with its judgement for a line of a chat
// message: "0,62 (redelijke afspiegeling)", or "niet te berekenen".
func RScoreShort(r *Results) string {
	a := r.Afspiegeling
	switch {
	case a == nil || a.RScore == RScoreUnavailable:
		return "niet te berekenen"
	}
	return dutch.Decimal(a.RScore, 2) + " (" + rScoreJudgement(a.RScore) + ")"
}

// IntervalText is a 95% Wilson interval of a percentage in words: "95% zeker:
// tussen 48% en 75%". IntervalHelp says what that means.
func IntervalText(low, high float64) string {
	return "95% zeker: tussen " + percentText(low) + " en " + percentText(high)
}

// IntervalHelp explains IntervalText once per report.
const IntervalHelp = "“95% zeker: tussen … en …”: zo ver kan het echte percentage onder alle inwoners van het " +
	"percentage van de deelnemers afliggen, als de deelnemers een goede afspiegeling zijn. Met meer deelnemers wordt die marge kleiner."

// percentText is a percentage with at most one decimal: "62,5%", "40%".
func percentText(p float64) string {
	return strings.TrimSuffix(dutch.Decimal(p, 1), ",0") + "%"
}

// WeightingHelp explains weighting.
const WeightingHelp = "Weging: groepen die minder meededen dan hun deel van de bevolking tellen zwaarder mee, en groepen die " +
	"meer meededen lichter, zodat de gewogen cijfers beter passen bij alle inwoners."

// WeightingExplained says how the results were weighted, or why not; false
// when they were not weighed at all (no population table). It says how many
// groups had too few respondents and were weighted together, how many had
// none, and how precise the weighted figures are, unless that would give away a
// hidden group (Weighting.EffectiveNWithheld).
func WeightingExplained(r *Results) (Explanation, bool) {
	w := r.Weighting
	if w == nil {
		return Explanation{}, false
	}
	help := WeightingHelp
	if w.Unavailable != "" {
		return Explanation{Line: "Niet gewogen: " + w.Unavailable + ".", Help: help}, true
	}
	e := Explanation{Line: "Gewogen naar " + strings.Join(dutchDimensions(w.Dimensions), " en ") + " van de bevolking.", Help: help}
	t := strconv.Itoa(r.Threshold)
	changes := false
	for _, dim := range w.Dimensions {
		groups := populationGroups(r, dim)
		merged, missing := countDimension(w.Merged, dim), countDimension(w.Missing, dim)
		one, many := dimensionNouns(dim)
		rule := strings.ToUpper(many[:1]) + many[1:] + " met minder dan " + t + " deelnemers wegen we niet apart: "
		switch {
		case groups > 0 && merged+missing >= groups:
			e.Notes = append(e.Notes, rule+"alle "+many+" zijn samen als één groep gewogen. Naar "+
				dutchDimensions([]string{dim})[0]+" verandert de weging dus niets.")
		case merged > 0:
			changes = true
			e.Notes = append(e.Notes, rule+strconv.Itoa(merged)+" van de "+strconv.Itoa(groups)+" "+many+
				" zijn samen als één groep gewogen.")
		default:
			changes = true
		}
		switch {
		case missing == 1:
			e.Notes = append(e.Notes, "1 "+one+" zonder deelnemers telt niet mee in de weging.")
		case missing > 1:
			e.Notes = append(e.Notes, strconv.Itoa(missing)+" "+many+" zonder deelnemers tellen niet mee in de weging.")
		}
	}
	switch {
	case w.Excluded > 0 && !w.CountsWithheld:
		e.Notes = append(e.Notes, dutch.Plural(w.Excluded, "deelnemer", "deelnemers")+" zonder bekende kern of leeftijd zijn niet meegewogen.")
	case w.CountsWithheld:
		e.Notes = append(e.Notes, "Wie geen kern of leeftijd opgaf, is niet meegewogen.")
	}
	if changes && !w.EffectiveNWithheld {
		e.Notes = append(e.Notes, "De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met "+
			dutch.Plural(int64(w.EffectiveN+0.5), "deelnemer", "deelnemers")+" zonder weging"+weighedCount(w)+".")
	}
	return e, true
}

// populationGroups counts the groups of a dimension that have inhabitants.
func populationGroups(r *Results, dim string) int {
	if r.Afspiegeling == nil {
		return 0
	}
	rows := r.Afspiegeling.Kern
	if dim == surveys.DimLeeftijd {
		rows = r.Afspiegeling.Leeftijd
	}
	n := 0
	for _, row := range rows {
		if row.Population > 0 {
			n++
		}
	}
	return n
}

// countDimension counts the entries "<dim> <group>" of a Weighting list.
func countDimension(list []string, dim string) int {
	n := 0
	for _, g := range list {
		if strings.HasPrefix(g, dim+" ") {
			n++
		}
	}
	return n
}

// dimensionNouns are the nouns of a dimension's groups, singular and plural.
func dimensionNouns(dim string) (string, string) {
	if dim == surveys.DimLeeftijd {
		return "leeftijdsgroep", "leeftijdsgroepen"
	}
	return "kern", "kernen"
}

// weighedCount is " (gewogen: 40 deelnemers)", unless the count is withheld.
func weighedCount(w *Weighting) string {
	if w.CountsWithheld {
		return ""
	}
	return " (gewogen: " + dutch.Plural(w.Respondents, "deelnemer", "deelnemers") + ")"
}

// ResponseHelp says what the response figures of a round mean, and why there
// is no response rate when nobody was invited: invitations go to residents who
// signed up before; in the web chat anyone takes part without one.
func ResponseHelp(invited, respondents int64, rate float64) string {
	if invited <= 0 {
		s := "Nog niemand uitgenodigd, dus er is geen respons te berekenen. Uitnodigingen gaan naar wie zich eerder bij de bot aanmeldde."
		switch {
		case respondents == 1:
			s += " De ene deelnemer kwam zonder uitnodiging, bijvoorbeeld via de webchat."
		case respondents > 1:
			s += " De " + dutch.Int(respondents) + " deelnemers kwamen zonder uitnodiging, bijvoorbeeld via de webchat."
		}
		return s
	}
	s := "Respons: het deel van de uitgenodigden dat de ronde afrondde (zolang nog niemand afrondde: dat meedeed)."
	if rate > 1 {
		s += " Meer dan 100%: er deden ook mensen mee zonder uitnodiging, bijvoorbeeld via de webchat."
	}
	return s
}
