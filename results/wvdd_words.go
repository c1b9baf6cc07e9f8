package results

import (
	"math"
	"sort"
	"strconv"
	"sync"

	"github.com/participatiebot/participatiebot/lang"
)

// Wie van de drie in words. Every screen that shows a wie-van-de-drie outcome
// (the text results, the resident's and the stuurgroep's summaries, the
// digest, the charts and their alt texts, the dashboard, the order of the
// exports) takes from here the name of the figure, its one-line explanation,
// the order of the options and the places they share, so that they all say the
// same about the same number. The number itself is RankResult.Score; what it
// is computed from is results_rank.go and package stats.

// RankName is the name of the figure, RankResult.Score as a percentage, in
// plain Dutch (taalniveau B1); RankTitle is the same as a heading. It is a
// direct probability of exactly what a resident does: pick one of three.
// These Dutch words, and those below, are the catalogue's (lang/locales/
// result.nl.yaml); the resident's own language has them from RankWords.
var (
	RankName  = dutchRank.Name
	RankTitle = dutchRank.Title
)

// RankHelp explains the figure in one line, on every screen that shows it.
var RankHelp = dutchRank.Help

// RankTooFewHelp explains "te weinig gegevens", on every screen that shows an
// option without a figure (RankView.Help).
var RankTooFewHelp = dutchRank.TooFewHelp

// RankBandLevel is the level of the band ScoreLow–ScoreHigh in percent (see
// stats.ChosenBands; its coverage is checked by simulation).
const RankBandLevel = 90

// RankBandName names the band with its level, as every screen shows it:
// "onzekerheid (90%)". RankBandTitle is the same as a heading.
var (
	RankBandName  = dutchRank.BandName
	RankBandTitle = dutchRank.BandTitle
)

// RankBandHelp explains the band and the shared places in one line.
var RankBandHelp = dutchRank.BandHelp

// TooFewText stands where an option without a figure would have it.
var TooFewText = dutchRank.TooFew

// RankText is wie van de drie's words in one language (RankWords).
type RankText struct {
	// Name, Title, BandName, BandTitle, Help, BandHelp, TooFewHelp and TooFew
	// are RankName, RankTitle, … in the printer's language.
	Name, Title, BandName, BandTitle, Help, BandHelp, TooFewHelp, TooFew string
}

var dutchRank = RankWords(lang.Dutch())

var rankWords sync.Map // *lang.Printer → RankText

// RankWords are the words of wie van de drie in the language of pr.
func RankWords(pr *lang.Printer) RankText {
	if w, ok := rankWords.Load(pr); ok {
		return w.(RankText)
	}
	w := rankWordsOf(pr)
	rankWords.Store(pr, w)
	return w
}

func rankWordsOf(pr *lang.Printer) RankText {
	level := pr.Percent(RankBandLevel)
	w := RankText{
		Name:      pr.T("result.rank.name"),
		Title:     pr.T("result.rank.title"),
		BandName:  pr.T("result.rank.band_name", "Niveau", level),
		BandTitle: pr.T("result.rank.band_title", "Niveau", level),
		TooFew:    pr.T("result.rank.too_few"),
		TooFewHelp: pr.N("result.rank.too_few_help", RankMinShown,
			"Aantal", countWordIn(pr, RankMinShown)),
	}
	w.Help = pr.T("result.rank.help", "Titel", w.Title, "Gemiddeld", pr.Percent(100.0/3))
	w.BandHelp = pr.T("result.rank.band_help", "Titel", w.BandTitle, "Niveau", level)
	return w
}

// RankView is a wie-van-de-drie ranking as every screen shows it.
type RankView struct {
	// Rows are the options, by their shown figure (Value) highest first, equal
	// figures by label; then the options without a figure (TooFew), by how
	// often they were chosen; the options never shown come last, by label.
	Rows []RankRow
	// Verdict is "Geen duidelijke winnaar: de verschillen tussen de eerste
	// drie zijn klein." when the first place is shared, "" otherwise; in
	// another language VerdictIn.
	Verdict string
	// close is how many options may be first, 0 when the first has the first
	// place to itself; ranked how many options have a place.
	close, ranked int
}

// RankRow is one option of a RankView.
type RankRow struct {
	// RankResult is the option as computed: its id, label, counts, whether
	// it has a figure (TooFew, Reason) and the figure unrounded, for the
	// exports and the analysts' output.
	RankResult
	// Value is the figure (RankName) as shown, Low and High its band
	// (RankBandName): RankResult.Score and its band in percent, rounded to
	// whole numbers; 0 without a figure.
	Value, Low, High int
	// First and Last are the places the option may have: First is one more
	// than the options whose band lies wholly above its band, Last the number
	// of options with a figure less those whose band lies wholly below it.
	// First == Last is a place of its own; 0 without a figure.
	First, Last int
}

// Ranked is the ranking of a wie-van-de-drie question as every screen shows
// it: rows in order, their places, and the verdict on the first place. Whether
// two bands overlap is decided on the whole numbers shown, so that what a
// reader sees agrees with the places.
func Ranked(rank []RankResult) RankView {
	rows := make([]RankRow, len(rank))
	for i, rr := range rank {
		rows[i] = RankRow{RankResult: rr}
		if rr.NotShown || rr.TooFew {
			continue
		}
		lo, hi := pct100(rr.ScoreLow), pct100(rr.ScoreHigh)
		rows[i].Value, rows[i].Low, rows[i].High = whole(pct100(rr.Score)), whole(min(lo, hi)), whole(max(lo, hi))
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch {
		case a.NotShown != b.NotShown:
			return b.NotShown
		case a.TooFew != b.TooFew:
			return b.TooFew
		case a.Value != b.Value:
			return a.Value > b.Value
		case a.TooFew && a.Wins*b.Shown != b.Wins*a.Shown:
			return a.Wins*b.Shown > b.Wins*a.Shown
		case a.Label != b.Label:
			return a.Label < b.Label
		}
		return a.ID < b.ID
	})
	shown := len(RankView{Rows: rows}.Ranked())
	for i := range rows[:shown] {
		above, below := 0, 0
		for j := range rows[:shown] {
			switch {
			case rows[j].Low > rows[i].High:
				above++
			case rows[j].High < rows[i].Low:
				below++
			}
		}
		rows[i].First, rows[i].Last = 1+above, shown-below
	}
	v := RankView{Rows: rows, close: closeAtTop(rows[:shown]), ranked: shown}
	v.Verdict = v.VerdictIn(lang.Dutch())
	return v
}

// Shown are the rows of the options that were shown, in order: all but the
// last ones, never shown.
func (v RankView) Shown() []RankRow {
	n := 0
	for n < len(v.Rows) && !v.Rows[n].NotShown {
		n++
	}
	return v.Rows[:n]
}

// Help are the lines that explain rows of a ranking as a screen lists them:
// RankHelp and RankBandHelp, and RankTooFewHelp when one of them has no
// figure.
func Help(rows []RankRow) []string { return HelpIn(lang.Dutch(), rows) }

// HelpIn is Help in the language of pr.
func HelpIn(pr *lang.Printer, rows []RankRow) []string {
	w := RankWords(pr)
	help := []string{w.Help, w.BandHelp}
	for _, r := range rows {
		if r.TooFew {
			return append(help, w.TooFewHelp)
		}
	}
	return help
}

// Ranked are the rows of the options with a figure and a place, in order: the
// first rows, before those with too little data and those never shown.
func (v RankView) Ranked() []RankRow {
	n := 0
	for n < len(v.Rows) && !v.Rows[n].NotShown && !v.Rows[n].TooFew {
		n++
	}
	return v.Rows[:n]
}

// closeAtTop is 0 when the first of rows has the first place to itself, and
// otherwise how many are close: the first up to the last that may also be first.
func closeAtTop(rows []RankRow) int {
	if len(rows) < 2 || rows[0].Last == 1 {
		return 0
	}
	k := 2
	for i, r := range rows {
		if r.First == 1 {
			k = max(k, i+1)
		}
	}
	return k
}

// VerdictIn is Verdict in the language of pr.
func (v RankView) VerdictIn(pr *lang.Printer) string {
	k := v.close
	switch {
	case k == 0:
		return ""
	case k == v.ranked && k == 2:
		return pr.T("result.rank.verdict_two")
	case k == v.ranked:
		return pr.N("result.rank.verdict_all", k, "Aantal", countWordIn(pr, k))
	}
	return pr.N("result.rank.verdict_first", k, "Aantal", countWordIn(pr, k))
}

// countWordIn is a small number in words, as B1 asks: "drie"; from 13 in digits.
func countWordIn(pr *lang.Printer, n int) string {
	if n >= 0 && n <= 12 {
		return pr.T("result.number." + strconv.Itoa(n))
	}
	return pr.Int(n)
}

// Shared is set when the option's place is not certain: it may be one of
// several (Place "1–3").
func (r RankRow) Shared() bool { return r.First != r.Last }

// Place is "2" for a place of its own, "1–3" for a shared one, "–" for an
// option without a figure or never shown.
func (r RankRow) Place() string {
	switch {
	case r.NotShown || r.TooFew:
		return "–"
	case r.Shared():
		return strconv.Itoa(r.First) + "–" + strconv.Itoa(r.Last)
	}
	return strconv.Itoa(r.First)
}

// ValueText is the figure as shown: "41%".
func (r RankRow) ValueText() string { return r.valueIn(lang.Dutch()) }

func (r RankRow) valueIn(pr *lang.Printer) string { return pr.Percent(float64(r.Value)) }

// BandText is the band as shown: "36–46%".
func (r RankRow) BandText() string { return r.bandIn(lang.Dutch()) }

func (r RankRow) bandIn(pr *lang.Printer) string {
	return pr.T("result.rank.band", "Laag", pr.Int(r.Low), "Hoog", pr.Int(r.High))
}

// Figure is the figure with its band, "kans gekozen uit drie 41%,
// onzekerheid (90%): 36–46%", or for an option without one "te weinig
// gegevens" (Line adds how often it was chosen, which says why).
func (r RankRow) Figure() string { return r.FigureIn(lang.Dutch()) }

// FigureIn is Figure in the language of pr.
func (r RankRow) FigureIn(pr *lang.Printer) string {
	w := RankWords(pr)
	if r.TooFew {
		return w.TooFew
	}
	return pr.T("result.rank.figure", "Naam", w.Name, "Kans", r.valueIn(pr), "BandNaam", w.BandName, "Band", r.bandIn(pr))
}

// Chosen is the raw count in words: "gekozen in 22 van 36 keren getoond".
func (r RankRow) Chosen() string { return r.ChosenIn(lang.Dutch()) }

// ChosenIn is Chosen in the language of pr.
func (r RankRow) ChosenIn(pr *lang.Printer) string {
	return pr.N("result.rank.chosen", int(r.Shown), "Gekozen", pr.Int(int(r.Wins)))
}

// Line is the option on one line of text with label as given (clipped by the
// caller): "1–3. Groen — kans gekozen uit drie 41%, onzekerheid (90%):
// 36–46%", with chosen followed by "; gekozen in 22 van 36 keren getoond"; an
// option without a figure is "–. Groen — te weinig gegevens; gekozen in 1 van
// 1 keren getoond", one never shown "–. Groen — niet getoond".
func (r RankRow) Line(label string, chosen bool) string { return r.LineIn(lang.Dutch(), label, chosen) }

// LineIn is Line in the language of pr.
func (r RankRow) LineIn(pr *lang.Printer, label string, chosen bool) string {
	if r.NotShown {
		return pr.T("result.rank.line_not_shown", "Plaats", r.Place(), "Optie", label)
	}
	if chosen || r.TooFew { // without a figure the count is all there is
		return pr.T("result.rank.line_chosen", "Plaats", r.Place(), "Optie", label, "Cijfer", r.FigureIn(pr), "Gekozen", r.ChosenIn(pr))
	}
	return pr.T("result.rank.line", "Plaats", r.Place(), "Optie", label, "Cijfer", r.FigureIn(pr))
}

// pct100 is a fraction 0..1 as 0..100, NaN as 0. Only a figure outside 0..1,
// which the fit never gives, is held to the scale; a band is never widened to
// contain its figure (the band is what the data say).
func pct100(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return math.Max(0, math.Min(100, 100*f))
}

func whole(f float64) int { return int(math.Round(f)) }
