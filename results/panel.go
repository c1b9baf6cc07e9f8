package results

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// A round of a trajectory with a lottery-drawn panel has two kinds of
// respondents: the panel, drawn by lot per stratum (kern × leeftijdsgroep) and
// invited by letter, so that its response rate per stratum is a real response
// rate against a known sample; and the self-selected residents, who came on their
// own (open participation stays open). Panel compares the two on the same
// tallies: a panel member's counters are counted a second time under
// surveys.PanelPrefix.
//
// Every figure goes through the round's disclosure decision, extended with the
// panel's cells (the panel and the self-selected respondents, the panel's
// respondents per stratum, the panel's and the self-selected's answers, and the
// panel's answers per stratum that the weighted figures are made of): a stratum
// with fewer than the threshold of respondents, or a figure that would let one be
// recomputed from the round's other outputs, is not shown.

// Panel is the afspiegeling of a round with a known sample.
type Panel struct {
	Traject string `json:"traject"`
	// Invited is the number of letters sent over all strata.
	Invited int64 `json:"invited"`
	// Respondents are the panel members who answered, SelfSelected the others;
	// each 0 when Hidden.
	Respondents  int64 `json:"respondents"`
	SelfSelected int64 `json:"self_selected"`
	Hidden       bool  `json:"hidden,omitempty"`
	// Rate is Respondents ÷ Invited (0..1).
	Rate float64 `json:"response_rate"`
	// Strata are the response per stratum, in stratum order.
	Strata []StratumResponse `json:"strata"`
	// RIndicator is the R-indicator over the strata (Dimension "steekproef"),
	// against the invited; nil when it may not be given. Hidden strata are
	// taken together (Merged).
	RIndicator *RIndicator `json:"r_indicator,omitempty"`
	// Questions compare the panel (weighted by the sample design) with the
	// self-selected residents, per question with a headline figure.
	Questions []PanelComparison `json:"questions"`
	// Withheld says why figures are missing, in Dutch; "" when none is.
	Withheld string `json:"withheld,omitempty"`
}

// StratumResponse is the response of one stratum of the draw.
type StratumResponse struct {
	Stratum  string `json:"stratum"`
	Kern     string `json:"kern"`
	Leeftijd string `json:"leeftijd"`
	Invited  int64  `json:"invited"`
	// Respondents, Rate and Weight are 0 when Suppressed; Label is then "<t"
	// or "≥t".
	Respondents int64   `json:"respondents"`
	Rate        float64 `json:"response_rate"`
	// Weight is the design weight of the stratum's respondents: the stratum's
	// share of the invited over its share of the respondents, so that the
	// weighted panel has the strata in the proportions of the sample (and so,
	// with proportional allocation, of the register). 1 is no correction.
	Weight     float64 `json:"weight"`
	Suppressed bool    `json:"suppressed"`
	Label      string  `json:"label,omitempty"`
}

// PanelComparison is one question's headline figure for the panel and for the
// self-selected residents, and whether they differ.
type PanelComparison struct {
	QuestionID string `json:"question_id"`
	Text       string `json:"text"`
	// Measure names the figure: "(zeer) mee eens", "gemiddeld cijfer", or for a
	// single choice "koos <label>" (the option most chosen by all).
	Measure string `json:"measure"`
	// Percent is true for shares (0..100), false for means.
	Percent bool `json:"percent"`
	// Panel is the panel's figure weighted by the design weights, with its 95%
	// interval at Kish's effective n (PanelN); Self the self-selected's, unweighted,
	// of SelfN answers.
	Panel     float64 `json:"panel"`
	PanelLow  float64 `json:"panel_low"`
	PanelHigh float64 `json:"panel_high"`
	PanelN    float64 `json:"panel_effective_n"`
	Self      float64 `json:"self"`
	SelfLow   float64 `json:"self_low"`
	SelfHigh  float64 `json:"self_high"`
	SelfN     int64   `json:"self_n"`
	// Difference is Self − Panel; Meaningful says a two-sided z-test at 5% finds
	// it: for shares the test of two proportions with the pooled share, for means
	// the difference of two independent means; the panel at Kish's effective n.
	Difference float64 `json:"difference"`
	Meaningful bool    `json:"meaningful"`
	// Hidden is set when the figures may not be shown (a group too small); the
	// figures are then 0.
	Hidden bool `json:"hidden,omitempty"`
}

// PanelStratum is the stratum key of a kern and a leeftijdsgroep, as the codes
// of a draw carry it ("Nieuwleusen|25-44").
func PanelStratum(kern, leeftijd string) string { return kern + "|" + leeftijd }

// Cell ids of the panel's extension of the round's decision.
const (
	famPanel       = "pn"
	famPanelStrata = "pn:s"
	cellPanel      = "pn:N"
	cellSelf       = "ss:N"
)

func panelStratumCell(st string) string          { return "pn:s:" + st }
func selfMarginCell(fam, g string) string        { return "ss:" + fam + ":" + g }
func panelOpt(qid, oid string) string            { return "pn:q:" + qid + ":o:" + oid }
func selfOpt(qid, oid string) string             { return "ss:q:" + qid + ":o:" + oid }
func panelStratumOpt(st, qid, oid string) string { return "pn:s:" + st + ":q:" + qid + ":o:" + oid }
func selfKernOpt(qid, kern, oid string) string   { return "ss:q:" + qid + ":k:" + kern + ":o:" + oid }
func panelStratumN(st, qid string) string        { return "pn:s:" + st + ":q:" + qid + ":n" }
func panelQuestionFam(qid string) string         { return "pn:q:" + qid }
func splitStratum(st string) (kern, leeftijd string) {
	kern, leeftijd, _ = strings.Cut(st, "|")
	return
}

// ComputePanel compares the panel of round r (its results as Compute made them,
// from tallies) with the self-selected residents. invited is the letters per
// stratum (storage.PanelInvited). Nil when r has no decision (live results) or
// nobody was invited.
func ComputePanel(r *Results, tallies map[string]int64, traject string, invited map[string]int64) *Panel {
	var letters int64
	for _, n := range invited {
		letters += max(n, 0)
	}
	if r == nil || r.decision == nil || letters == 0 {
		return nil
	}
	p := &Panel{Traject: traject, Invited: letters, Questions: []PanelComparison{}, Strata: []StratumResponse{}}
	pt := surveys.PanelTallies(tallies)
	resp := map[string]int64{} // stratum -> panel respondents
	for k, v := range pt {
		if cell, ok := strings.CutPrefix(k, surveys.FieldRespondents+":j:"); ok && v > 0 {
			kern, age, _ := strings.Cut(cell, ":")
			resp[PanelStratum(kern, age)] += v
		}
	}
	strata := slices.Sorted(maps.Keys(union(invited, resp)))
	panelN := pt[surveys.FieldRespondents]
	if r.TooFew || r.Respondents == 0 {
		p.Hidden, p.Withheld = true, "Er deden te weinig inwoners mee om de loting en de open deelname apart te tonen."
		p.Strata = strataRows(strata, invited, resp, nil, r.Threshold)
		return p
	}

	b := r.decision.Extend()
	b.Cell(cellPanel, famPanel, disclosure.Labelled, panelN)
	b.Cell(cellSelf, famPanel, disclosure.Labelled, r.Respondents-panelN)
	b.Sum(cellRound, cellPanel, cellSelf)
	ids := make([]string, 0, len(strata))
	for _, st := range strata {
		b.Cell(panelStratumCell(st), famPanelStrata, disclosure.Labelled, resp[st])
		ids = append(ids, panelStratumCell(st))
	}
	b.Sum(cellPanel, ids...)
	// the round shows its respondents per kern and per leeftijdsgroep: the
	// panel's strata of a group and the group's self-selected add up to them
	for _, dim := range []struct {
		fam  string
		part func(st string) string
	}{{famKern, func(st string) string { k, _ := splitStratum(st); return k }},
		{famLeeftijd, func(st string) string { _, a := splitStratum(st); return a }}} {
		byGroup := map[string][]string{}
		for _, st := range strata {
			byGroup[dim.part(st)] = append(byGroup[dim.part(st)], st)
		}
		for g, sts := range byGroup {
			total, ok := b.Count(marginCell(dim.fam, g))
			if !ok {
				continue
			}
			parts := []string{}
			var sum int64
			for _, st := range sts {
				parts = append(parts, panelStratumCell(st))
				sum += resp[st]
			}
			b.Cell(selfMarginCell(dim.fam, g), "", disclosure.Derived, total-sum)
			b.Sum(marginCell(dim.fam, g), append(parts, selfMarginCell(dim.fam, g))...)
		}
	}
	weights := designWeights(strata, invited, resp)
	cmp := comparable(r)
	for _, q := range cmp {
		addPanelQuestion(b, q, strata, pt, tallies)
	}
	// the published weighted figures are facts about the strata's answers too
	shown := b.Decide()
	withWeighted := shown
	facts := panelFigures(r, cmp, strata, pt, tallies, weights, shown)
	if len(facts) > 0 {
		e := shown.Extend()
		for _, f := range facts {
			f.add(e)
		}
		withWeighted = e.Decide()
		if len(withWeighted.Unresolved()) > 0 {
			withWeighted = nil
		}
	}
	if len(shown.Unresolved()) > 0 {
		p.Hidden = true
		p.Withheld = "De vergelijking van loting en open deelname zou een te kleine groep verraden; daarom tonen we hem niet."
		p.Strata = strataRows(strata, invited, nil, nil, r.Threshold)
		return p
	}
	d := shown
	if _, ok := d.Shown(cellPanel); !ok {
		p.Hidden = true
	} else {
		p.Respondents, p.SelfSelected = panelN, r.Respondents-panelN
		p.Rate = float64(panelN) / float64(letters)
	}
	p.Strata = strataRows(strata, invited, resp, d, r.Threshold)
	for i := range p.Strata {
		if !p.Strata[i].Suppressed {
			p.Strata[i].Weight = weights[p.Strata[i].Stratum]
		}
	}
	p.RIndicator = panelRIndicator(p.Strata, invited, resp, d)
	if withWeighted == nil {
		if len(cmp) > 0 {
			p.Withheld = "De gewogen cijfers van de loting zouden een te kleine groep verraden; daarom vergelijken we de vragen niet."
		}
		return p
	}
	for _, f := range facts {
		p.Questions = append(p.Questions, f.comparison(withWeighted))
	}
	return p
}

// union is the keys of a and b.
func union(a, b map[string]int64) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// strataRows are the strata as decision d shows them (nil d: every stratum's
// respondents hidden).
func strataRows(strata []string, invited, resp map[string]int64, d *disclosure.Decision, threshold int) []StratumResponse {
	rows := make([]StratumResponse, 0, len(strata))
	for _, st := range strata {
		kern, age := splitStratum(st)
		row := StratumResponse{Stratum: st, Kern: kern, Leeftijd: age, Invited: invited[st], Suppressed: true}
		if d != nil {
			if n, ok := d.Shown(panelStratumCell(st)); ok {
				row.Suppressed, row.Respondents = false, n
				if row.Invited > 0 {
					row.Rate = float64(n) / float64(row.Invited)
				}
			} else {
				row.Label = labelText(d.Label(panelStratumCell(st)), threshold)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func labelText(l disclosure.Label, threshold int) string {
	switch l {
	case disclosure.Below:
		return "<" + strconv.Itoa(threshold)
	case disclosure.AtLeast:
		return "≥" + strconv.Itoa(threshold)
	}
	return ""
}

// designWeights are the strata's weights: invited share ÷ respondent share (a
// stratum without respondents has none).
func designWeights(strata []string, invited, resp map[string]int64) map[string]float64 {
	var inv, rsp float64
	for _, st := range strata {
		inv += float64(invited[st])
		rsp += float64(resp[st])
	}
	w := map[string]float64{}
	for _, st := range strata {
		if resp[st] > 0 && invited[st] > 0 && inv > 0 {
			w[st] = (float64(invited[st]) / inv) / (float64(resp[st]) / rsp)
		}
	}
	return w
}

// panelRIndicator is the R-indicator of the strata's response against the
// invited, the hidden strata taken together when they hold at least the
// threshold and their sum gives nothing away.
func panelRIndicator(rows []StratumResponse, invited, resp map[string]int64, d *disclosure.Decision) *RIndicator {
	var pop, got []int64
	var merged []string
	var mergedInv, mergedN int64
	var ids []string
	for _, row := range rows {
		if row.Invited <= 0 {
			continue
		}
		if row.Suppressed {
			merged = append(merged, row.Stratum)
			mergedInv += row.Invited
			mergedN += resp[row.Stratum]
			ids = append(ids, panelStratumCell(row.Stratum))
			continue
		}
		pop, got = append(pop, row.Invited), append(got, row.Respondents)
	}
	if len(merged) > 0 {
		if mergedN > 0 && mergedN < int64(d.Threshold()) {
			return nil
		}
		e := d.Extend()
		e.Cell("r:pn", "", disclosure.Total, mergedN)
		e.Sum("r:pn", ids...)
		if len(e.Decide().Unresolved()) > 0 {
			return nil
		}
		pop, got = append(pop, mergedInv), append(got, mergedN)
	}
	if len(pop) < 2 {
		return nil
	}
	est, err := stats.RIndicator(pop, got, z95)
	if err != nil {
		return nil
	}
	return &RIndicator{Dimension: "steekproef", R: est.R, Low: est.Low, High: est.High, Mean: est.Mean, Merged: merged}
}

// comparable are the questions with a headline figure: likert ((zeer) mee
// eens), rating (the mean) and single choice (the share of the option most
// chosen by all).
func comparable(r *Results) []QuestionResult {
	var out []QuestionResult
	for _, q := range r.Questions {
		switch surveys.QuestionType(q.Type) {
		case surveys.Likert, surveys.Rating, surveys.Single:
			if q.N > 0 && len(q.Options) > 0 {
				out = append(out, q)
			}
		}
	}
	return out
}

// addPanelQuestion adds a question's answers split into the panel's and the
// self-selected's, the panel's per stratum, and the self-selected's per kern
// (what subtraction from the round's answers per kern gives).
func addPanelQuestion(b *disclosure.Builder, q QuestionResult, strata []string, pt, all map[string]int64) {
	fam := panelQuestionFam(q.ID)
	for _, o := range q.Options {
		pc := pt["q:"+q.ID+":o:"+o.ID]
		b.Cell(panelOpt(q.ID, o.ID), fam, disclosure.Unlabelled, pc)
		b.Cell(selfOpt(q.ID, o.ID), fam, disclosure.Unlabelled, o.Count-pc)
		b.Sum(questionOpt(q.ID, o.ID), panelOpt(q.ID, o.ID), selfOpt(q.ID, o.ID))
		var parts []string
		byKern := map[string][]string{}
		for _, st := range strata {
			kern, age := splitStratum(st)
			id := panelStratumOpt(st, q.ID, o.ID)
			b.Cell(id, fam, disclosure.Derived, pt["q:"+q.ID+":o:"+o.ID+":j:"+kern+":"+age])
			parts = append(parts, id)
			byKern[kern] = append(byKern[kern], id)
		}
		b.Sum(panelOpt(q.ID, o.ID), parts...)
		for kern, ids := range byKern {
			whole := kernOpt(q.ID, kern, o.ID)
			total, ok := b.Count(whole)
			if !ok {
				continue
			}
			var sum int64
			for _, id := range ids {
				n, _ := b.Count(id)
				sum += n
			}
			b.Cell(selfKernOpt(q.ID, kern, o.ID), "", disclosure.Derived, total-sum)
			b.Sum(whole, append(ids, selfKernOpt(q.ID, kern, o.ID))...)
		}
	}
	for _, st := range strata {
		var ids []string
		for _, o := range q.Options {
			ids = append(ids, panelStratumOpt(st, q.ID, o.ID))
		}
		b.Cell(panelStratumN(st, q.ID), fam, disclosure.Derived, sumOf(b, ids))
		b.Sum(panelStratumN(st, q.ID), ids...)
		b.AtMost(panelStratumN(st, q.ID), panelStratumCell(st))
	}
}

func sumOf(b *disclosure.Builder, ids []string) int64 {
	var n int64
	for _, id := range ids {
		c, _ := b.Count(id)
		n += c
	}
	return n
}

// panelFigure is one question's comparison before the decision on the weighted
// figures: the figures, and the facts they state about the strata's answers.
type panelFigure struct {
	cmp PanelComparison
	// facts: lo ≤ Σ terms ≤ hi, each a published figure's rounding interval
	facts []fact
	// cells the figures are percentages or means of: all must be shown
	cells []string
}

type fact struct {
	lo, hi float64
	terms  []disclosure.Term
}

func (f panelFigure) add(b *disclosure.Builder) {
	for _, x := range f.facts {
		b.Between(x.lo, x.hi, x.terms...)
	}
}

func (f panelFigure) comparison(d *disclosure.Decision) PanelComparison {
	for _, id := range f.cells {
		if d.Hidden(id) {
			return PanelComparison{QuestionID: f.cmp.QuestionID, Text: f.cmp.Text, Measure: f.cmp.Measure, Percent: f.cmp.Percent, Hidden: true}
		}
	}
	return f.cmp
}

// panelFigures computes the headline figure of every comparable question for
// the panel (weighted) and the self-selected, for the questions whose cells
// decision d shows; the published figures are rounded to one decimal, and that
// rounding interval is what they tell about the hidden per-stratum answers.
func panelFigures(r *Results, qs []QuestionResult, strata []string, pt, all map[string]int64, w map[string]float64, d *disclosure.Decision) []panelFigure {
	var out []panelFigure
	for _, q := range qs {
		f := panelFigure{cmp: PanelComparison{QuestionID: q.ID, Text: q.Text}}
		value := map[string]float64{} // option id -> its value in the figure
		switch surveys.QuestionType(q.Type) {
		case surveys.Likert:
			f.cmp.Measure, f.cmp.Percent = "(zeer) mee eens", true
			for _, o := range q.Options {
				if o.ID == "4" || o.ID == "5" {
					value[o.ID] = 1
				} else if o.ID != surveys.WeetNietID {
					value[o.ID] = 0
				}
			}
		case surveys.Rating:
			f.cmp.Measure = "gemiddeld cijfer"
			for _, o := range q.Options {
				if v, err := strconv.ParseFloat(o.ID, 64); err == nil {
					value[o.ID] = v
				}
			}
		case surveys.Single:
			top := q.Options[0]
			for _, o := range q.Options {
				if o.Count > top.Count {
					top = o
				}
			}
			f.cmp.Measure, f.cmp.Percent = "koos ‘"+top.Label+"’", true
			for _, o := range q.Options {
				value[o.ID] = 0
			}
			value[top.ID] = 1
		}
		for _, o := range q.Options {
			if _, ok := value[o.ID]; ok {
				f.cells = append(f.cells, panelOpt(q.ID, o.ID), selfOpt(q.ID, o.ID))
			}
		}
		hidden := false
		for _, id := range f.cells {
			if d.Hidden(id) {
				hidden = true
			}
		}
		if hidden {
			f.cmp.Hidden = true
			out = append(out, f)
			continue
		}
		// the panel, weighted: Σ_s w_s Σ_o c_so·v_o / Σ_s w_s Σ_o c_so
		var num, den, den2 float64
		var terms []disclosure.Term
		for _, st := range strata {
			kern, age := splitStratum(st)
			ws := w[st]
			var n float64
			for oid, v := range value {
				c := float64(pt["q:"+q.ID+":o:"+oid+":j:"+kern+":"+age])
				num += ws * c * v
				den += ws * c
				n += c
			}
			den2 += ws * ws * n
		}
		var selfNum, selfDen, selfSq float64
		for _, o := range q.Options {
			v, ok := value[o.ID]
			if !ok {
				continue
			}
			c := float64(o.Count - pt["q:"+q.ID+":o:"+o.ID])
			selfNum += c * v
			selfDen += c
			selfSq += c * v * v
		}
		if den <= 0 || selfDen <= 0 {
			f.cmp.Hidden = true
			out = append(out, f)
			continue
		}
		mean := num / den
		neff := den * den / den2
		f.cmp.PanelN = neff
		selfMean := selfNum / selfDen
		f.cmp.SelfN = int64(selfDen)
		var se1, se2 float64
		if f.cmp.Percent {
			lo, hi := stats.WilsonEffective(mean, neff, z95)
			f.cmp.Panel, f.cmp.PanelLow, f.cmp.PanelHigh = 100*mean, 100*lo, 100*hi
			lo, hi = stats.Wilson(int64(selfNum), int64(selfDen), z95)
			f.cmp.Self, f.cmp.SelfLow, f.cmp.SelfHigh = 100*selfMean, 100*lo, 100*hi
			se1 = math.Sqrt(mean * (1 - mean) / neff)
			se2 = math.Sqrt(selfMean * (1 - selfMean) / selfDen)
		} else {
			// the panel's variance of the values, weighted
			var sq float64
			for _, st := range strata {
				kern, age := splitStratum(st)
				for oid, v := range value {
					c := float64(pt["q:"+q.ID+":o:"+oid+":j:"+kern+":"+age])
					sq += w[st] * c * (v - mean) * (v - mean)
				}
			}
			var1 := sq / den
			var2 := max(selfSq/selfDen-selfMean*selfMean, 0)
			se1 = math.Sqrt(var1 / neff)
			se2 = math.Sqrt(var2 / selfDen)
			f.cmp.Panel, f.cmp.PanelLow, f.cmp.PanelHigh = mean, mean-z95*se1, mean+z95*se1
			f.cmp.Self, f.cmp.SelfLow, f.cmp.SelfHigh = selfMean, selfMean-z95*se2, selfMean+z95*se2
		}
		f.cmp.Difference = f.cmp.Self - f.cmp.Panel
		se := math.Hypot(se1, se2)
		if f.cmp.Percent {
			// the two-proportion z-test: the shares' standard error under the
			// hypothesis of no difference, from the pooled share (the panel at its
			// effective n)
			pooled := (mean*neff + selfMean*selfDen) / (neff + selfDen)
			se = math.Sqrt(pooled * (1 - pooled) * (1/neff + 1/selfDen))
		}
		scale := 1.0
		if f.cmp.Percent {
			scale = 100
		}
		switch diff := math.Abs(f.cmp.Difference / scale); {
		case se > 0:
			f.cmp.Meaningful = diff/se > z95
		default: // no spread at all: any difference is one
			f.cmp.Meaningful = diff > 1e-12
		}
		// what the published (rounded) panel figure P says: Σ_s w_s Σ_o c_so (v_o − P) is 0
		// for some P within the rounding of the figure shown
		shownP := f.cmp.Panel
		half := 0.05 / scale
		for _, bound := range []float64{shownP/scale - half, shownP/scale + half} {
			terms = terms[:0]
			for _, st := range strata {
				for oid, v := range value {
					if w[st] == 0 {
						continue
					}
					terms = append(terms, disclosure.Term{ID: panelStratumOpt(st, q.ID, oid), Coef: w[st] * (v - bound)})
				}
			}
			t := slices.Clone(terms)
			if bound < shownP/scale {
				f.facts = append(f.facts, fact{lo: 0, hi: math.Inf(1), terms: t})
			} else {
				f.facts = append(f.facts, fact{lo: math.Inf(-1), hi: 0, terms: t})
			}
		}
		out = append(out, f)
	}
	return out
}
