package results

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/themes"
)

// RoundInfo is what results say about the round itself.
type RoundInfo struct {
	ID     string    `json:"id"`
	Opened time.Time `json:"opened,omitzero"`
	Closed time.Time `json:"closed,omitzero"`
	// Invited is the number of participants invited, when the caller knows it;
	// the round's "invited" tally wins when it is set.
	Invited int64 `json:"invited,omitempty"`
}

// Results of one round, computed from its tallies alone. Results hold counts and
// open answer texts, never participant ids. Which breakdown cells are shown is
// decided here, once for the round (package disclosure), so every rendering and
// export, and the publication file (ForPublication), inherits one decision.
type Results struct {
	// Survey is the survey the round ran; not exported, the results stand alone.
	Survey   *surveys.Survey `json:"-"`
	SurveyID string          `json:"survey_id"`
	Title    string          `json:"title"`
	Round    RoundInfo       `json:"round"`

	Respondents int64 `json:"respondents"`
	Completed   int64 `json:"completed"`
	Invited     int64 `json:"invited"`
	// ResponseRate is completed (or, without a completed counter, respondents)
	// divided by invited, as a fraction 0..1; 0 when nobody was invited.
	ResponseRate float64 `json:"response_rate"`

	Questions []QuestionResult `json:"questions"`

	// Threshold is the smallest group size shown in a breakdown.
	Threshold int `json:"threshold"`
	// ByKern and ByLeeftijd are the respondents per group, with the unknown group
	// (UnknownGroup) last; see Cell for suppression.
	ByKern     []Cell `json:"by_kern"`
	ByLeeftijd []Cell `json:"by_leeftijd"`
	// ByTaal are the respondents per language they read the round in (lang.Code;
	// Dutch as "nl"), suppressed as the other breakdowns; none when everyone read
	// Dutch.
	ByTaal []Cell `json:"by_taal,omitempty"`

	// Afspiegeling compares the respondents with the population; nil without a
	// population table.
	Afspiegeling *AfspiegelingResult `json:"afspiegeling,omitempty"`
	// Weighting says how the Weighted figures were made; nil when the results
	// are not weighted (see Weigh).
	Weighting *Weighting `json:"weighting,omitempty"`
	// Since is how the round's main figure moved since the survey's round before
	// (trend.Trend.Since), for the residents' results of a recurring survey; ""
	// for none.
	Since string `json:"since,omitempty"`
	// SinceMove is the same move as figures (trend.Trend.Move), so that each
	// resident reads it in their own language; nil for none, and then Since,
	// when set, is shown as it is.
	SinceMove *Move `json:"since_move,omitempty"`
	// Indicators are the survey's indicators with their status as of this round
	// (trend.Status.Line), for the stuurgroep's message; none without indicators.
	Indicators []string `json:"indicators,omitempty"`
	// Panel compares the lottery-drawn panel of the round's trajectory with the
	// self-selected residents (ComputePanel); nil for a round without one.
	Panel *Panel `json:"panel,omitempty"`

	// TooFew is set when the round has respondents, but fewer than the
	// threshold: residents and the stuurgroep then get TooFewMessage instead
	// of any number, and exports hold no figures unless Internal.
	TooFew bool `json:"too_few,omitempty"`
	// Live is set on results coarsened for a round that is still open (see
	// Live): only banded progress figures, nothing per question or group.
	Live bool `json:"live,omitempty"`
	// Band is, for Live results, the multiple the respondents and completed
	// are rounded down to (the threshold): 10 means 10 to 19.
	Band int64 `json:"band,omitempty"`
	// Internal marks figures for organisers only, which may not be shared: the
	// numbers of a round with too few respondents (see TooFew), or the exact
	// figures of an open round. Renderings head them with Message.
	Internal bool `json:"internal,omitempty"`
	// Message explains, for Live or Internal results, what is and is not shown
	// (LiveMessage, InternalTooFew, InternalLive).
	Message string `json:"message,omitempty"`

	// decision is the round's one disclosure decision; nil for Live results.
	decision *disclosure.Decision
}

// AfspiegelingResult is who answered against who lives in the municipality.
type AfspiegelingResult struct {
	Source   string           `json:"source,omitempty"`
	Kern     []Representation `json:"kern"`
	Leeftijd []Representation `json:"leeftijd,omitempty"`
	// RScore is the round's headline figure: the lowest response rate divided
	// by the highest, over the kernen and over the leeftijdsgroepen, the lower
	// of the two; suppressed groups are taken together (Merged, see
	// mergedRScore); RScoreUnavailable (-1) when it cannot be given.
	RScore float64  `json:"r_score"`
	Merged []string `json:"r_score_merged,omitempty"`
	// RIndicators are the R-indicator per dimension of the population table
	// (kern, and leeftijd when it has it), RIndicator the lowest of them: the
	// headline. Both are empty when some dimension's may not be given, by the
	// R-score's rule (see rGroups).
	RIndicators []RIndicator `json:"r_indicators,omitempty"`
	RIndicator  *RIndicator  `json:"r_indicator,omitempty"`
}

// QuestionResult is the outcome of one question.
type QuestionResult struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Text     string `json:"text"`
	Category string `json:"category,omitempty"`
	// N is the number who answered (not skipped); for wie van de drie the number
	// of picks made, for open questions the number of answers.
	N       int64 `json:"n"`
	Skipped int64 `json:"skipped"`
	// Options are the choice counts, in survey order, for single, multiple,
	// likert and rating questions.
	Options []OptionResult `json:"options,omitempty"`
	// Mean is the average scale value for likert (1-5) and rating (1-10), 0 otherwise;
	// Median is the middle scale value (the mean of the two middle ones for an even
	// count), over the same answers.
	Mean   float64 `json:"mean,omitempty"`
	Median float64 `json:"median,omitempty"`
	// Agree is the likert top-2-box, "% (zeer) eens" of the burgerpeiling: the
	// percentage (0..100) of N that chose "Mee eens" or "Helemaal mee eens", with its
	// 95% Wilson interval; 0 otherwise. Those who chose "Weet ik niet" are not in its
	// base, nor in Mean and Median.
	Agree     float64 `json:"agree_percent,omitempty"`
	AgreeLow  float64 `json:"agree_low,omitempty"`
	AgreeHigh float64 `json:"agree_high,omitempty"`
	// ByKern are the option percentages per kern, for the personal terugkoppeling
	// ("55% in uw kern"), as the round's disclosure decision shows them: a kern
	// where fewer than the threshold answered is suppressed, and so is every
	// percentage that would imply a count under it (no 1 of 13 = 7,69%), with
	// complementary suppression as in every breakdown.
	ByKern []KernResult `json:"by_kern,omitempty"`
	// WeightedMean and WeightedAgree are Mean and Agree weighted to the
	// population; nil when the results are not weighted.
	WeightedMean  *float64 `json:"weighted_mean,omitempty"`
	WeightedAgree *float64 `json:"weighted_agree_percent,omitempty"`
	// WeightedAgreeLow and WeightedAgreeHigh are WeightedAgree's 95% interval
	// with the weighting taken into account (see OptionResult.WeightedLow).
	WeightedAgreeLow  *float64 `json:"weighted_agree_low,omitempty"`
	WeightedAgreeHigh *float64 `json:"weighted_agree_high,omitempty"`
	// EffectiveN is Kish's effective n of the question's weighted figures,
	// over those who answered it: (Σw)²/Σw². Nil when the question is not
	// weighted, or when it would give away a hidden cell (auditWeighting).
	EffectiveN *float64 `json:"effective_n,omitempty"`
	// Ranking is the wie-van-de-drie outcome, best first; RankFit says how it
	// was fitted.
	Ranking []RankResult `json:"ranking,omitempty"`
	RankFit *RankFit     `json:"rank_fit,omitempty"`
	// Open holds the open answers as given, in the order given.
	Open []string `json:"open,omitempty"`
	// OpenRead, when set, is the number of open answers read, fewer than N: a
	// view of a large round reads a bounded number, so Open and Themes are those
	// of OpenRead of the N answers (exports read them all).
	OpenRead int64 `json:"open_read,omitempty"`
	// Themes group the open answers by key term (see Themes); Other is the number
	// of answers in no theme. World-café categories are separate questions, so
	// their themes never mix.
	Themes []themes.Theme `json:"themes,omitempty"`
	Other  int            `json:"other_answers,omitempty"`
	// Languages are the open answers per language they were written in, when not
	// all were Dutch (SplitOpenByLanguage).
	Languages []LangAnswers `json:"languages,omitempty"`
}

// OptionResult is how often one option was chosen.
// LangAnswers are the open answers to a question written in one language: how
// many, and their themes in that language's words (themes.ThemesIn). A language
// with fewer answers than the threshold is Suppressed: neither is shown.
type LangAnswers struct {
	Lang       string `json:"lang"`
	N          int    `json:"n"`
	Suppressed bool   `json:"suppressed,omitempty"`
	// Themes' Answers index the question's Open, as the question's own themes do.
	Themes []themes.Theme `json:"themes,omitempty"`
}

// SplitOpenByLanguage gives each open question whose answers were not all written
// in Dutch its answers per language (LangAnswers, Dutch first), from the texts and
// the language of each (langs[q][i] for open[q][i], "" for Dutch), as
// storage.Store.OpenTextsWithLangs reads them. The question's own themes stay
// those of all its answers together.
func (r *Results) SplitOpenByLanguage(open, langs map[string][]string) {
	for i := range r.Questions {
		q := &r.Questions[i]
		if q.Type != string(surveys.Open) {
			continue
		}
		texts, ls := open[q.ID], langs[q.ID]
		if len(ls) != len(texts) || !slices.ContainsFunc(ls, func(l string) bool { return l != "" }) {
			continue
		}
		by := map[lang.Code][]int{}
		for j, l := range ls {
			c := lang.Code(l).Or()
			by[c] = append(by[c], j)
		}
		for _, c := range lang.Supported {
			idx := by[c]
			if len(idx) == 0 {
				continue
			}
			la := LangAnswers{Lang: string(c), N: len(idx)}
			if r.Threshold > 0 && len(idx) < r.Threshold {
				la = LangAnswers{Lang: string(c), Suppressed: true}
			} else {
				sub := make([]string, len(idx))
				for k, j := range idx {
					sub[k] = texts[j]
				}
				for _, th := range themes.ThemesIn(c, clipAll(sub, surveys.MaxAnswerLen), 0, 0) {
					for k, a := range th.Answers {
						th.Answers[k] = idx[a]
					}
					la.Themes = append(la.Themes, th)
				}
			}
			q.Languages = append(q.Languages, la)
		}
	}
}

type OptionResult struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Count int64  `json:"count"`
	// Percent is Count as a percentage (0..100) of the question's N; for multiple
	// choice N counts respondents, so the percentages may add up to more than 100.
	// Low and High are its 95% Wilson score interval, in percent.
	Percent float64 `json:"percent"`
	Low     float64 `json:"low"`
	High    float64 `json:"high"`
	// Weighted is Percent weighted to the population (see Results.Weighting); set
	// only when the results are weighted.
	Weighted *float64 `json:"weighted_percent,omitempty"`
	// WeightedLow and WeightedHigh are Weighted's 95% interval with the
	// weighting taken into account: Wilson at the question's EffectiveN, with
	// the weighted share (stats.WilsonEffective), in percent. Nil with it.
	WeightedLow  *float64 `json:"weighted_low,omitempty"`
	WeightedHigh *float64 `json:"weighted_high,omitempty"`
}

// KernResult is how one kern answered a question.
type KernResult struct {
	Kern string `json:"kern"`
	// N answered in this kern; 0 when suppressed.
	N          int64 `json:"n"`
	Suppressed bool  `json:"suppressed"`
	// Complementary marks a suppressed kern where at least the threshold
	// answered, hidden only so that another cell cannot be recomputed.
	Complementary bool `json:"complementary,omitempty"`
	// Percent per option id (0..100 of N), for the options whose count may be
	// shown; an option missing from it is hidden. Nil when suppressed.
	Percent map[string]float64 `json:"percent,omitempty"`
}

// RankResult is one option of a wie-van-de-drie pool: the model-free win rate and
// the figure by which the pool is ranked (see results_rank.go).
type RankResult struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Wins is how often the option was picked, Shown how often it was in a triad
	// that was answered.
	Wins  int64 `json:"wins"`
	Shown int64 `json:"shown"`
	// WinRate is Wins/Shown as a fraction 0..1.
	WinRate float64 `json:"win_rate"`
	// Score is the chance (0..1) that the option is picked from a triad of
	// itself and two other options of the pool drawn at random
	// (stats.ChosenFromThree), from the top-1 model fitted to the answered
	// triads (alpha 0.1); it averages 1/3 over the options. ScoreLow and
	// ScoreHigh are its 90% band (stats.ChosenBands: the observed information,
	// the delta method on the logit scale). All three are 0 when the option has
	// no figure (TooFew) or was never shown.
	Score     float64 `json:"score"`
	ScoreLow  float64 `json:"score_low"`
	ScoreHigh float64 `json:"score_high"`
	// Worth is the fitted log-worth θ (centred over the options shown), the
	// model's own scale, for analysts; 0 without a figure.
	Worth float64 `json:"worth"`
	// TooFew is set when the data say too little for a figure: Reason is one of
	// ReasonFewShown (shown fewer than RankMinShown times), ReasonAlwaysWon and
	// ReasonNeverWon (its maximum-likelihood worth lies at infinity),
	// ReasonNotCompared, or ReasonNoFit (the fit did not converge).
	TooFew bool   `json:"too_few,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Rank is 1 for the best score; equal scores share a rank. An option without
	// a figure has rank 0 and comes after those with one; an option never shown
	// has NotShown set and comes last. Screens show the order and the places of
	// Ranked instead, which share a place where the bands overlap.
	Rank     int  `json:"rank"`
	NotShown bool `json:"not_shown,omitempty"`
}

// Compute turns a round's tallies (see tally.go) and its open answers (question id
// to answer texts) into results. Breakdown cells with fewer than threshold
// respondents are suppressed; threshold <= 0 suppresses nothing. Compute does not
// modify its arguments.
func Compute(s *surveys.Survey, round RoundInfo, tallies map[string]int64, open map[string][]string, threshold int) *Results {
	return ComputeWith(s, round, tallies, open, threshold, nil)
}

// ComputeWith is Compute with the afspiegeling against a population table (nil:
// none).
func ComputeWith(s *surveys.Survey, round RoundInfo, tallies map[string]int64, open map[string][]string, threshold int, pop *surveys.Population) *Results {
	r := &Results{
		Survey:      s,
		Round:       round,
		Respondents: tallies[surveys.FieldRespondents],
		Completed:   tallies[surveys.FieldCompleted],
		Invited:     round.Invited,
		Threshold:   threshold,
		Questions:   []QuestionResult{},
	}
	if v := tallies[surveys.FieldInvited]; v > 0 {
		r.Invited = v
	}
	r.ResponseRate = responseRate(tallies, r)
	r.TooFew = threshold > 0 && r.Respondents > 0 && r.Respondents < int64(threshold)
	perQ := splitTallies(tallies)
	opts := map[string][]surveys.Option{}
	if s != nil {
		r.SurveyID, r.Title = s.ID, s.Title
		for _, q := range s.Questions {
			qr, o := computeQuestion(q, perQ[q.ID], open[q.ID])
			if o != nil {
				opts[q.ID] = o
			}
			r.Questions = append(r.Questions, qr)
		}
	}
	d := roundDecision(r, tallies, pop, opts)
	r.decision = d
	r.ByKern = marginCells(d, famKern, GroupCounts(tallies, surveys.FieldRespondents+":k:"), r.Respondents)
	r.ByLeeftijd = marginCells(d, famLeeftijd, GroupCounts(tallies, surveys.FieldRespondents+":a:"), r.Respondents)
	r.ByTaal = langCells(d, tallies, r.Respondents)
	for i := range r.Questions {
		if o, ok := opts[r.Questions[i].ID]; ok {
			r.Questions[i].ByKern = kernResults(d, r.Questions[i].ID, o, perQ[r.Questions[i].ID])
		}
	}
	if pop != nil {
		r.Afspiegeling = afspiegeling(d, tallies, pop, r.Respondents)
	}
	return r
}

// afspiegeling compares the respondent counters per kern and leeftijdsgroep with
// the population, showing the groups as the round's decision shows them.
func afspiegeling(d *disclosure.Decision, tallies map[string]int64, pop *surveys.Population, total int64) *AfspiegelingResult {
	a := &AfspiegelingResult{Source: pop.Source}
	var rKern, rAge float64
	byKern := GroupCounts(tallies, surveys.FieldRespondents+":k:")
	a.Kern, rKern, a.Merged = representation(d, famKern, byKern, pop.Kernen, total)
	a.RScore = rKern
	indicators := []*RIndicator{rIndicatorOf(d, famKern, surveys.DimKern, a.Kern, byKern)}
	if len(pop.Leeftijd) > 0 {
		var mergedAge []string
		byAge := GroupCounts(tallies, surveys.FieldRespondents+":a:")
		a.Leeftijd, rAge, mergedAge = representation(d, famLeeftijd, byAge, pop.Leeftijd, total)
		a.Merged = append(a.Merged, mergedAge...)
		if rAge == RScoreUnavailable || rKern == RScoreUnavailable {
			a.RScore = RScoreUnavailable
		} else {
			a.RScore = min(rKern, rAge)
		}
		indicators = append(indicators, rIndicatorOf(d, famLeeftijd, surveys.DimLeeftijd, a.Leeftijd, byAge))
	}
	a.setRIndicator(indicators...)
	return a
}

// GroupCounts reads the counters under prefix (such as "respondents:k:") as group → count.
func GroupCounts(tallies map[string]int64, prefix string) map[string]int64 {
	out := map[string]int64{}
	for k, v := range tallies {
		if g, ok := strings.CutPrefix(k, prefix); ok && surveys.ValidKey(g) {
			out[g] = v
		}
	}
	return out
}

func responseRate(tallies map[string]int64, r *Results) float64 {
	if r.Invited <= 0 {
		return 0
	}
	done := r.Respondents
	if _, ok := tallies[surveys.FieldCompleted]; ok {
		done = r.Completed
	}
	return float64(done) / float64(r.Invited)
}

// splitTallies groups the question counters by question id: "q:<qid>:<rest>"
// becomes out[qid][rest].
func splitTallies(tallies map[string]int64) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for k, v := range tallies {
		rest, ok := strings.CutPrefix(k, "q:")
		if !ok {
			continue
		}
		qid, field, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		if out[qid] == nil {
			out[qid] = map[string]int64{}
		}
		out[qid][field] = v
	}
	return out
}

// computeQuestion is a question's figures over everyone, and for a choice
// question the options its counters are for (the per-kern breakdown is the
// round decision's, see kernResults).
func computeQuestion(q surveys.Question, counts map[string]int64, open []string) (QuestionResult, []surveys.Option) {
	qr := QuestionResult{
		ID:       q.ID,
		Type:     string(q.Type),
		Text:     q.Text,
		Category: q.Category,
		N:        counts["n"],
		Skipped:  counts["skip"],
	}
	var opts []surveys.Option
	switch q.Type {
	case surveys.WieVanDeDrie:
		qr.Ranking, qr.RankFit = ranking(q.Options, counts)
	case surveys.Open:
		qr.Open = append([]string(nil), open...)
		if qr.N == 0 {
			qr.N = int64(len(open))
		}
		if themes := themes.Themes(clipAll(open, surveys.MaxAnswerLen), 0, 0); len(themes) > 0 {
			qr.Themes = themes
		}
		qr.Other = unthemed(len(open), qr.Themes)
	default:
		opts = withExtraIDs(resultOptions(q), counts, "o:")
		qr.Options, qr.N = optionResults(opts, counts, qr.N, q.Type != surveys.Multiple)
		if q.Type == surveys.Likert || q.Type == surveys.Rating {
			qr.Mean = scaleMean(qr.Options)
			qr.Median = scaleMedian(qr.Options)
		}
		if q.Type == surveys.Likert {
			qr.Agree, qr.AgreeLow, qr.AgreeHigh = agreePercent(qr.Options, qr.N)
		}
	}
	return qr, opts
}

// clipAll clips texts to n runes; answers longer than any max_length allows are
// themed on their first n runes.
func clipAll(texts []string, n int) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		if len(t) > n { // bytes ≥ runes: only then can it be too long
			if r := []rune(t); len(r) > n {
				t = string(r[:n])
			}
		}
		out[i] = t
	}
	return out
}

// unthemed counts the answers of n that are in no theme.
func unthemed(n int, themes []themes.Theme) int {
	in := map[int]bool{}
	for _, t := range themes {
		for _, i := range t.Answers {
			in[i] = true
		}
	}
	return n - len(in)
}

// z95 is the normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// optionResults counts each option. When n is missing from the tallies of a
// one-answer question, the sum of the option counts stands in for it.
func optionResults(opts []surveys.Option, counts map[string]int64, n int64, oneAnswer bool) ([]OptionResult, int64) {
	out := make([]OptionResult, 0, len(opts))
	var sum int64
	for _, o := range opts {
		c := counts["o:"+o.ID]
		sum += c
		out = append(out, OptionResult{ID: o.ID, Label: o.Label, Count: c})
	}
	if n == 0 && oneAnswer {
		n = sum
	}
	for i := range out {
		out[i].Percent = percent(out[i].Count, n)
		out[i].Low, out[i].High = wilsonPercent(out[i].Count, n)
	}
	return out, n
}

// wilsonPercent is the 95% Wilson interval of count out of n, in percent; 0–0
// when nobody answered.
func wilsonPercent(count, n int64) (lo, hi float64) {
	if n <= 0 {
		return 0, 0
	}
	lo, hi = stats.Wilson(count, n, z95)
	return 100 * lo, 100 * hi
}

// scaleMedian is the median of the scale values ("1".."10") chosen; other
// options do not count.
func scaleMedian(opts []OptionResult) float64 {
	type bin struct{ v, n int64 }
	var bins []bin
	var n int64
	for _, o := range opts {
		v, err := strconv.ParseInt(o.ID, 10, 64)
		if err != nil || o.Count <= 0 {
			continue
		}
		bins = append(bins, bin{v, o.Count})
		n += o.Count
	}
	if n == 0 {
		return 0
	}
	sort.Slice(bins, func(i, j int) bool { return bins[i].v < bins[j].v })
	at := func(k int64) int64 { // the k-th value (0-based) in order
		for _, b := range bins {
			if k < b.n {
				return b.v
			}
			k -= b.n
		}
		return bins[len(bins)-1].v
	}
	if n%2 == 1 {
		return float64(at(n / 2))
	}
	return float64(at(n/2-1)+at(n/2)) / 2
}

// scaleMean averages the options whose ids are scale values ("1".."10"); other
// options, such as a "weet niet", do not count.
func scaleMean(opts []OptionResult) float64 {
	var sum, n int64
	for _, o := range opts {
		v, err := strconv.ParseInt(o.ID, 10, 64)
		if err != nil {
			continue
		}
		sum += v * o.Count
		n += o.Count
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// agreePercent is the share of "Mee eens" ("4") and "Helemaal mee eens" ("5") of
// the n who answered, with its 95% Wilson interval. Those who chose "Weet ik niet"
// (surveys.WeetNietID) are left out of the base: the share is of those with an
// opinion, as the mean is. Their count is an option line of its own.
func agreePercent(opts []OptionResult, n int64) (p, lo, hi float64) {
	var agree int64
	for _, o := range opts {
		switch o.ID {
		case "4", "5":
			agree += o.Count
		case surveys.WeetNietID:
			n -= o.Count
		}
	}
	lo, hi = wilsonPercent(agree, n)
	return percent(agree, n), lo, hi
}

func percent(count, n int64) float64 {
	if n <= 0 {
		return 0
	}
	return 100 * float64(count) / float64(n)
}

// resultOptions are the options of a question, with the standard scale when a
// likert or rating question lists none.
func resultOptions(q surveys.Question) []surveys.Option {
	if len(q.Options) > 0 {
		return q.Options
	}
	switch q.Type {
	case surveys.Likert:
		labels := []string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"}
		opts := make([]surveys.Option, len(labels))
		for i, l := range labels {
			opts[i] = surveys.Option{ID: strconv.Itoa(i + 1), Label: l}
		}
		return opts
	case surveys.Rating:
		opts := make([]surveys.Option, 10)
		for i := range opts {
			opts[i] = surveys.Option{ID: strconv.Itoa(i + 1), Label: strconv.Itoa(i + 1)}
		}
		return opts
	}
	return nil
}

// withExtraIDs appends options that have counters under one of the prefixes but
// are no longer in the survey (an option removed during the round), labelled by
// their id and sorted, so no counted answer disappears from the results.
func withExtraIDs(opts []surveys.Option, counts map[string]int64, prefixes ...string) []surveys.Option {
	known := map[string]bool{}
	for _, o := range opts {
		known[o.ID] = true
	}
	var extra []string
	for k, v := range counts {
		for _, p := range prefixes {
			id, ok := strings.CutPrefix(k, p)
			if ok && v != 0 && !known[id] && !strings.Contains(id, ":") {
				known[id] = true
				extra = append(extra, id)
			}
		}
	}
	sort.Strings(extra)
	out := append([]surveys.Option(nil), opts...)
	for _, id := range extra {
		out = append(out, surveys.Option{ID: id, Label: id})
	}
	return out
}
