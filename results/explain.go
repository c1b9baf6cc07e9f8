package results

import (
	"math"
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

// unavailable words a representativeness figure that cannot be given: "nog
// niet" while the round is open, "niet" after, and the smallest group size
// that would let it be given.
func unavailable(r *Results) (not, threshold string) {
	not = "niet"
	if r.Round.Closed.IsZero() {
		not = "nog niet"
	}
	return not, strconv.Itoa(max(r.Threshold, 1))
}

// RScoreExplained is the round's R-score in words; false without a population
// table. A round still open that cannot have one yet says "nog niet".
func RScoreExplained(r *Results) (Explanation, bool) {
	a := r.Afspiegeling
	if a == nil {
		return Explanation{}, false
	}
	if a.RScore == RScoreUnavailable {
		not, t := unavailable(r)
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

// The judgements of the R-indicator (1 − 2 × the spread of the response rates,
// see RIndicator). Schouten, Cobben & Bethlehem (2009) set no thresholds;
// RIndicatorGood, 0,8 (a standard deviation of the response rates of 0,1), is
// the value commonly taken as good in practice. RIndicatorFair, 0,6 (twice that
// spread), is our choice: below it the rates spread so widely that the
// respondents can hardly stand for all inhabitants. The words are the
// R-score's, so that both figures read alike.
const (
	RIndicatorGood = 0.8
	RIndicatorFair = 0.6
)

// RIndicatorLowResponse is the response rate below which the R-indicator
// comes with a warning: its spread S can be at most √(ρ̄(1−ρ̄)), so at a low
// overall rate ρ̄ the indicator lies near 1 however unequal the groups are
// (at 10%, S is at most 0,3; two equal groups answering 2% and 8% give 0,94).
// The rates per group, shown with it, then say more.
const RIndicatorLowResponse = 0.10

// rIndicatorJudgement is the word for an R-indicator.
func rIndicatorJudgement(r float64) string {
	switch {
	case r >= RIndicatorGood:
		return "goede afspiegeling"
	case r >= RIndicatorFair:
		return "redelijke afspiegeling"
	}
	return "scheve afspiegeling"
}

// RIndicatorHelp explains the R-indicator with its thresholds and margin.
var RIndicatorHelp = "De R-indicator zegt hoe gelijk alle groepen (kernen, leeftijdsgroepen) meededen, naar hun aantal inwoners: " +
	"hoe meer de respons per groep verschilt, hoe lager. 1 is: elke groep deed even vaak mee. Vanaf " +
	dutch.Decimal(RIndicatorGood, 1) + " is de afspiegeling goed, vanaf " + dutch.Decimal(RIndicatorFair, 1) +
	" redelijk, daaronder scheef. De 95%-marge zegt hoe zeker dat getal is."

// RIndicatorExplained is the round's R-indicator in words, with its 95%
// margin, the figure per dimension and the response rates per group behind
// it; false without a population table. It is withheld by the R-score's rule
// (a hidden group that cannot be taken together), and a round still open
// that cannot have one yet says "nog niet".
func RIndicatorExplained(r *Results) (Explanation, bool) {
	a := r.Afspiegeling
	if a == nil {
		return Explanation{}, false
	}
	rates := RateNotes(r)
	if a.RIndicator == nil {
		not, t := unavailable(r)
		return Explanation{
			Line:  "R-indicator: " + not + " te berekenen (te kleine groepen). Daarvoor zijn per groep minstens " + t + " deelnemers nodig.",
			Help:  RIndicatorHelp,
			Notes: rates,
		}, true
	}
	h := a.RIndicator
	e := Explanation{Line: "R-indicator " + RIndicatorFigure(*h) + ": " + rIndicatorJudgement(h.R), Help: RIndicatorHelp}
	if len(a.RIndicators) > 1 {
		parts := make([]string, len(a.RIndicators))
		for i, ri := range a.RIndicators {
			parts[i] = "naar " + dutchDimensions([]string{ri.Dimension})[0] + " " + RIndicatorFigure(ri)
		}
		e.Notes = append(e.Notes, capitalise(strings.Join(parts, ", "))+"; het laagste cijfer telt.")
	}
	e.Notes = append(e.Notes, rates...)
	if h.Mean < RIndicatorLowResponse {
		// The coefficient of variation of the propensities, S/ρ̄ with
		// S = (1−R)/2, does not shrink with the response; it is also the
		// maximal absolute standardised bias of Schouten et al. (2009).
		cv := (1 - h.R) / 2 / h.Mean
		e.Notes = append(e.Notes, "Bij een lage respons (hier "+percentText(100*h.Mean)+" van de inwoners) ligt de R-indicator "+
			"vanzelf dicht bij 1. Kijk daarom ook naar de respons per groep: die wijkt gemiddeld "+strconv.Itoa(int(math.Round(100*cv)))+"%"+
			" af van de gemiddelde respons.")
	}
	return e, true
}

// RIndicatorFigure is one dimension's R-indicator with its margin, "0,91
// (95%-marge 0,88–0,94)", for a line or a chart.
func RIndicatorFigure(ri RIndicator) string {
	return dutch.Decimal(ri.R, 2) + " (95%-marge " + dutch.Decimal(ri.Low, 2) + "–" + dutch.Decimal(ri.High, 2) + ")"
}

// RIndicatorShort is the R-indicator with its judgement for a line of a chat
// message: "0,91 (goede afspiegeling)", or "niet te berekenen".
func RIndicatorShort(r *Results) string {
	a := r.Afspiegeling
	if a == nil || a.RIndicator == nil {
		return "niet te berekenen"
	}
	return dutch.Decimal(a.RIndicator.R, 2) + " (" + rIndicatorJudgement(a.RIndicator.R) + ")"
}

// RateNotes are the response rates per group behind the R-figures, one line
// per dimension with a population: "Respons per kern: Dalfsen 6,1%,
// Hoonhorst 4%, Oudleusen niet te tonen." A hidden group's rate is not shown.
func RateNotes(r *Results) []string {
	a := r.Afspiegeling
	if a == nil {
		return nil
	}
	var out []string
	for _, dim := range []string{surveys.DimKern, surveys.DimLeeftijd} {
		var parts []string
		for _, row := range a.dimensionRows(dim) {
			if row.Population <= 0 {
				continue
			}
			rate := percentText(100 * row.Rate)
			if row.Suppressed {
				rate = "niet te tonen"
			}
			parts = append(parts, clip(groupLabel(dim, row.Group), 40)+" "+rate)
		}
		if len(parts) > 0 {
			out = append(out, "Respons per "+dutchDimensions([]string{dim})[0]+": "+clip(strings.Join(parts, ", "), 400)+".")
		}
	}
	return out
}

// groupLabel is the name of a group as residents chose it: "65 jaar of
// ouder" for leeftijdsgroep "65+".
func groupLabel(dim, g string) string {
	if dim == surveys.DimLeeftijd {
		for _, lg := range surveys.Leeftijdsgroepen {
			if lg.ID == g {
				return lg.Label
			}
		}
	}
	return g
}

// capitalise is s with its first letter upper case (ASCII: the words of
// this file).
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// IntervalText is a 95% Wilson interval of a percentage in words: "95% zeker:
// tussen 48% en 75%". IntervalHelp says what that means.
func IntervalText(low, high float64) string {
	return "95% zeker: tussen " + percentText(low) + " en " + percentText(high)
}

// IntervalHelp explains IntervalText once per report.
const IntervalHelp = "“95% zeker: tussen … en …”: zo ver kan het echte percentage onder alle inwoners van het " +
	"percentage van de deelnemers afliggen, als de deelnemers een goede afspiegeling zijn. Met meer deelnemers wordt die marge kleiner."

// WeightedMargin is "95%-marge: 54%–62,5%", the interval of a weighted
// percentage (OptionResult.WeightedLow), to follow "gewogen 58%"; "" without
// one. WeightingExplained says once what the margin is (WeightedIntervalHelp).
func WeightedMargin(low, high *float64) string {
	if low == nil || high == nil {
		return ""
	}
	return "95%-marge: " + percentText(*low) + "–" + percentText(*high)
}

// withMargin is s followed by the margin in brackets: "gewogen 58% (95%-marge:
// 54%–62,5%)"; s alone without one.
func withMargin(s string, low, high *float64) string {
	if m := WeightedMargin(low, high); m != "" {
		return s + " (" + m + ")"
	}
	return s
}

// WeightedIntervalHelp says what the margin of a weighted percentage is.
const WeightedIntervalHelp = "Bij elk gewogen percentage staat een 95%-marge, rekening houdend met de weging (Kish): " +
	"zo ver kan het echte percentage onder alle inwoners ervan afliggen. Door de weging is die marge breder dan zonder weging."

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
// none (and so were left out, the others scaled up), whether the raking
// converged, and how precise the weighted figures are: over all weighted
// respondents, unless that would give away a hidden group
// (Weighting.EffectiveNWithheld), and per question over those who answered
// it (QuestionResult.EffectiveN), with what the margin of a weighted
// percentage is (WeightedIntervalHelp).
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
			e.Notes = append(e.Notes, "1 "+one+" zonder deelnemers telt niet mee in de weging. De gewogen cijfers gaan dus over de andere "+many+".")
		case missing > 1:
			e.Notes = append(e.Notes, strconv.Itoa(missing)+" "+many+" zonder deelnemers tellen niet mee in de weging. De gewogen cijfers gaan dus over de andere "+many+".")
		}
	}
	if !w.Converged {
		e.Notes = append(e.Notes, "Let op: de weging kwam niet helemaal uit. De gewogen cijfers passen daardoor niet precies bij de bevolking; lees ze met extra voorzichtigheid.")
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
	if per := perQuestionN(r); changes && per != "" {
		e.Notes = append(e.Notes, "Per vraag telt alleen wie de vraag beantwoordde. Zo nauwkeurig als een peiling zonder weging met: "+per+".")
	}
	if hasIntervals(r) {
		e.Notes = append(e.Notes, WeightedIntervalHelp)
	}
	return e, true
}

// perQuestionN is "vraag 1: 1.480 deelnemers; vraag 3: 35 deelnemers", the
// effective n of each weighted question by its number in the survey, the
// first twelve; "" when no question has one.
func perQuestionN(r *Results) string {
	var parts []string
	for i, q := range r.Questions {
		if q.EffectiveN == nil {
			continue
		}
		if len(parts) == 12 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, "vraag "+strconv.Itoa(i+1)+": "+dutch.Plural(int64(*q.EffectiveN+0.5), "deelnemer", "deelnemers"))
	}
	return strings.Join(parts, "; ")
}

// hasIntervals reports whether some weighted percentage has its interval.
func hasIntervals(r *Results) bool {
	for _, q := range r.Questions {
		if q.WeightedAgreeLow != nil {
			return true
		}
		for _, o := range q.Options {
			if o.WeightedLow != nil {
				return true
			}
		}
	}
	return false
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
