package results

import (
	"errors"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/surveys"
)

// ErrTooFewToPublish is returned by ForPublication for a round with fewer
// respondents than the threshold: its answers are not published at all.
var ErrTooFewToPublish = errors.New("too few respondents to publish the answers")

// errNoDecision is returned by ForPublication for results that were not
// computed here (decoded, or Live): the publication needs their decision.
var errNoDecision = errors.New("results without their disclosure decision: compute them from the round's tallies")

// ForPublication makes raw answers fit to publish, under the same disclosure
// decision as the results r of the round (computed from its tallies, with the
// same threshold): no respondent ids (numbers in a fixed but meaningless order
// instead), no open answer texts (OmittedText; they stand apart, unlinked, in
// the results), and a kern or leeftijdsgroep only where the file lets nobody
// count a group under the threshold.
//
// Anyone can count the file's rows per group, per group and answer, and per
// kern and leeftijdsgroep together. So a group keeps its name only when the
// results show it and every figure of it (its respondents, for a kern every
// per-question cell), and when every count the file gives of it is 0 or at
// least the threshold: its rows, and per question who answered, who skipped,
// who has no answer, and who chose each option (for wie van de drie: who ever
// picked or was shown each option). Every other group's rows say Suppressed,
// together one group that must pass the same test; when it does not, the next
// smallest group joins it, and when no group is left the dimension says
// Suppressed on every row. With both dimensions, every kern × leeftijdsgroep
// combination must pass too, or only the dimension that names the most rows
// keeps its names. What the file reveals is then added to the round's decision
// (disclosure.Decision.Extend), and a layout that gives anything away is not
// used. It returns new values; rs is not modified.
func ForPublication(r *Results, rs []RawRespondent) ([]RawRespondent, error) {
	if r.decision == nil {
		return nil, errNoDecision
	}
	if r.TooFew {
		return nil, ErrTooFewToPublish
	}
	out := make([]RawRespondent, len(rs))
	for i, x := range rs {
		c := RawRespondent{ID: x.ID, Kern: x.Kern, Leeftijd: x.Leeftijd, Answers: map[string]surveys.Answer{}}
		for f, a := range x.Answers {
			if a.Text != "" {
				a.Text = OmittedText
			}
			c.Answers[f] = a
		}
		out[i] = c
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	for i := range out {
		out[i].ID = strconv.Itoa(i + 1)
	}
	if r.Threshold <= 0 {
		return out, nil
	}
	p := newPublication(r, out)
	showKern, showAge := p.layout()
	for i := range out {
		if !showKern[out[i].Kern] {
			out[i].Kern = Suppressed
		}
		if !showAge[out[i].Leeftijd] {
			out[i].Leeftijd = Suppressed
		}
	}
	return out, nil
}

// publication is what a publication file would let anyone count.
type publication struct {
	r    *Results
	d    *disclosure.Decision
	t    int64
	rows []RawRespondent
	// tokens are, per respondent, the things counted per group: "qid:any"
	// (has a row), "qid:skip", "qid:ans", "qid:o:<id>", "qid:w:<id>", "qid:s:<id>".
	tokens []map[string]bool
	qids   []string
}

func newPublication(r *Results, rows []RawRespondent) *publication {
	p := &publication{r: r, d: r.decision, t: int64(r.Threshold), rows: rows}
	seen := map[string]bool{}
	for _, x := range rows {
		toks := answerTokens(x.Answers)
		p.tokens = append(p.tokens, toks)
		for f := range x.Answers {
			qid, _, _ := strings.Cut(f, "#")
			if !seen[qid] {
				seen[qid] = true
				p.qids = append(p.qids, qid)
			}
		}
	}
	sort.Strings(p.qids)
	return p
}

// answerTokens are what one respondent's rows let anyone count.
func answerTokens(answers map[string]surveys.Answer) map[string]bool {
	toks := map[string]bool{}
	for f, a := range answers {
		qid, _, _ := strings.Cut(f, "#")
		toks[qid+":any"] = true
		if a.Skipped {
			toks[qid+":skip"] = true
			continue
		}
		toks[qid+":ans"] = true
		for _, o := range a.Options {
			toks[qid+":o:"+o] = true
		}
		if a.Winner != "" {
			toks[qid+":w:"+a.Winner], toks[qid+":s:"+a.Winner] = true, true
		}
		for _, l := range a.Losers {
			toks[qid+":s:"+l] = true
		}
	}
	return toks
}

// safe reports whether the respondents (indexes into rows) may be one named
// group of the file: none, or at least the threshold, and every count of them
// 0 or at least the threshold.
func (p *publication) safe(members []int) bool {
	n := int64(len(members))
	if n == 0 {
		return true
	}
	if n < p.t {
		return false
	}
	count := map[string]int64{}
	for _, i := range members {
		for tok := range p.tokens[i] {
			count[tok]++
		}
	}
	for _, c := range count {
		if c < p.t {
			return false
		}
	}
	for _, q := range p.qids {
		if none := n - count[q+":any"]; none > 0 && none < p.t {
			return false
		}
	}
	return true
}

// dimension is one breakdown column of the file.
type dimension struct {
	fam   string
	of    func(RawRespondent) string
	shown map[string]bool // groups that keep their name
}

// layout picks the groups that keep their names: both dimensions, or the
// kernen alone, or the leeftijdsgroepen alone, or neither; the first that
// passes every check.
func (p *publication) layout() (kern, age map[string]bool) {
	none := map[string]bool{}
	if int64(len(p.rows)) != p.r.Respondents {
		// The answers are not those the results count (someone's answers were
		// erased after the round closed): the difference would name them.
		return none, none
	}
	k := p.dimension(famKern, func(x RawRespondent) string { return x.Kern })
	a := p.dimension(famLeeftijd, func(x RawRespondent) string { return x.Leeftijd })
	var tries [][2]map[string]bool
	if len(k) > 0 && len(a) > 0 {
		tries = append(tries, [2]map[string]bool{k, a})
	}
	single := [][2]map[string]bool{{k, none}, {none, a}}
	if p.named(a, func(x RawRespondent) string { return x.Leeftijd }) > p.named(k, func(x RawRespondent) string { return x.Kern }) {
		single[0], single[1] = single[1], single[0]
	}
	tries = append(tries, single...)
	for _, try := range tries {
		if len(try[0])+len(try[1]) == 0 {
			continue
		}
		if p.jointSafe(try[0], try[1]) && p.audited(try[0], try[1]) {
			return try[0], try[1]
		}
	}
	return none, none
}

// named is the number of rows a dimension keeps the name of.
func (p *publication) named(shown map[string]bool, of func(RawRespondent) string) int {
	n := 0
	for _, x := range p.rows {
		if shown[of(x)] {
			n++
		}
	}
	return n
}

// dimension is the groups of one dimension that keep their name: those the
// decision shows with every figure, whose counts in the file match the
// results' and pass safe, with the rest (the pooled groups) passing safe
// together; while the pool does not pass, the smallest named group joins it.
func (p *publication) dimension(fam string, of func(RawRespondent) string) map[string]bool {
	members := map[string][]int{}
	for i, x := range p.rows {
		members[of(x)] = append(members[of(x)], i)
	}
	var named []string
	for _, g := range slices.Sorted(maps.Keys(members)) {
		if p.fullyShown(fam, g, int64(len(members[g]))) && p.safe(members[g]) {
			named = append(named, g)
		}
	}
	for len(named) > 0 {
		in := map[string]bool{}
		for _, g := range named {
			in[g] = true
		}
		var pool []int
		for g, m := range members {
			if !in[g] {
				pool = append(pool, m...)
			}
		}
		if p.safe(pool) {
			return in
		}
		// the smallest named group (then by name) joins the pool
		sort.SliceStable(named, func(i, j int) bool { return len(members[named[i]]) < len(members[named[j]]) })
		named = named[1:]
		sort.Strings(named)
	}
	return map[string]bool{}
}

// fullyShown reports whether the decision shows group g of the dimension with
// n respondents, and, for a kern, every cell of it per question.
func (p *publication) fullyShown(fam, g string, n int64) bool {
	if v, ok := p.d.Shown(marginCell(fam, g)); !ok || v != n {
		return false
	}
	if fam != famKern {
		return true
	}
	for _, q := range p.r.Questions {
		if !p.d.Has(kernN(q.ID, g)) {
			continue
		}
		if _, ok := p.d.Shown(kernN(q.ID, g)); !ok {
			return false
		}
		for _, o := range q.Options {
			if _, ok := p.d.Shown(kernOpt(q.ID, g, o.ID)); p.d.Has(kernOpt(q.ID, g, o.ID)) && !ok {
				return false
			}
		}
	}
	return true
}

// jointSafe reports whether every combination of named kern (or the pool) and
// named leeftijdsgroep (or the pool) passes safe.
func (p *publication) jointSafe(kern, age map[string]bool) bool {
	if len(kern) == 0 || len(age) == 0 {
		return true
	}
	combo := map[[2]string][]int{}
	for i, x := range p.rows {
		k, a := Suppressed, Suppressed
		if kern[x.Kern] {
			k = x.Kern
		}
		if age[x.Leeftijd] {
			a = x.Leeftijd
		}
		combo[[2]string{k, a}] = append(combo[[2]string{k, a}], i)
	}
	for _, m := range combo {
		if !p.safe(m) {
			return false
		}
	}
	return true
}

// audited adds what the file reveals to the round's decision: per dimension the
// pool of unnamed groups, and for the kernen the pool's cells per question, as
// sums of the hidden cells they hold. The layout is used only when the
// extended decision gives nothing away.
func (p *publication) audited(kern, age map[string]bool) bool {
	e := p.d.Extend()
	for _, dim := range []struct {
		fam   string
		shown map[string]bool
	}{{famKern, kern}, {famLeeftijd, age}} {
		if len(dim.shown) == 0 {
			continue // every row Suppressed: only the round's totals
		}
		var pool []string
		for _, g := range append(marginGroups(p.d, dim.fam), "") {
			if !dim.shown[g] {
				pool = append(pool, g)
			}
		}
		reveal(e, "pub:"+dim.fam, pool, func(g string) string { return marginCell(dim.fam, g) })
		if dim.fam != famKern {
			continue
		}
		for _, q := range p.r.Questions {
			reveal(e, "pub:"+q.ID+":n", pool, func(g string) string { return kernN(q.ID, g) })
			for _, o := range q.Options {
				reveal(e, "pub:"+q.ID+":o:"+o.ID, pool, func(g string) string { return kernOpt(q.ID, g, o.ID) })
			}
		}
	}
	return len(e.Decide().Unresolved()) == 0
}

// reveal adds a Total cell id that is the sum of the cells of the groups, as
// the file lets anyone count it; groups without a cell count 0.
func reveal(e *disclosure.Builder, id string, groups []string, cell func(string) string) {
	var parts []string
	var sum int64
	for _, g := range groups {
		if n, ok := e.Count(cell(g)); ok {
			parts = append(parts, cell(g))
			sum += n
		}
	}
	if len(parts) == 0 {
		return
	}
	e.Cell(id, "", disclosure.Total, sum)
	e.Sum(id, parts...)
}

// marginGroups are the known groups of a dimension in the decision.
func marginGroups(d *disclosure.Decision, fam string) []string {
	var out []string
	for _, id := range d.IDs(fam + ":") {
		if g := strings.TrimPrefix(id, fam+":"); g != "" {
			out = append(out, g)
		}
	}
	return out
}
