package results

import (
	"math"
	"sort"
	"strconv"

	"github.com/participatiebot/participatiebot/internal/dutch"
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
const (
	RankName  = "kans gekozen uit drie"
	RankTitle = "Kans gekozen uit drie"
)

// RankHelp explains the figure in one line, on every screen that shows it.
const RankHelp = RankTitle + ": hoe vaak iemand deze keuze kiest als die naast twee willekeurige andere " +
	"uit de lijst staat. Gemiddeld is dat 33%."

// RankTooFewHelp explains "te weinig gegevens", on every screen that shows an
// option without a figure (RankView.Help).
var RankTooFewHelp = "Te weinig gegevens: minder dan " + countWord(RankMinShown) +
	" keer getoond, of altijd of nooit gekozen. Dan is er geen betrouwbare kans en geen plaats."

// RankBandLevel is the level of the band ScoreLow–ScoreHigh in percent (see
// stats.ChosenBands; its coverage is checked by simulation).
const RankBandLevel = 90

// RankBandName names the band with its level, as every screen shows it:
// "onzekerheid (90%)". RankBandTitle is the same as a heading.
var (
	RankBandName  = "onzekerheid (" + strconv.Itoa(RankBandLevel) + "%)"
	RankBandTitle = "Onzekerheid (" + strconv.Itoa(RankBandLevel) + "%)"
)

// RankBandHelp explains the band and the shared places in one line.
var RankBandHelp = RankBandTitle + ": de kans ligt met " + strconv.Itoa(RankBandLevel) + "% zekerheid tussen deze twee getallen. " +
	"Lopen die van twee keuzes in elkaar over, dan is hun volgorde niet zeker en delen ze een plaats, zoals 1–3."

// noClearWinner starts the verdict of a ranking whose first place is shared.
const noClearWinner = "Geen duidelijke winnaar: "

// RankView is a wie-van-de-drie ranking as every screen shows it.
type RankView struct {
	// Rows are the options, by their shown figure (Value) highest first, equal
	// figures by label; then the options without a figure (TooFew), by how
	// often they were chosen; the options never shown come last, by label.
	Rows []RankRow
	// Verdict is "Geen duidelijke winnaar: de verschillen tussen de eerste
	// drie zijn klein." when the first place is shared, "" otherwise.
	Verdict string
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
	return RankView{Rows: rows, Verdict: verdict(rows[:shown])}
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
func Help(rows []RankRow) []string {
	help := []string{RankHelp, RankBandHelp}
	for _, r := range rows {
		if r.TooFew {
			return append(help, RankTooFewHelp)
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

// verdict is "" when the first of rows has the first place to itself, and
// otherwise says how many are close: the first up to the last that may also be
// first.
func verdict(rows []RankRow) string {
	if len(rows) < 2 || rows[0].Last == 1 {
		return ""
	}
	k := 2
	for i, r := range rows {
		if r.First == 1 {
			k = max(k, i+1)
		}
	}
	switch {
	case k == len(rows) && k == 2:
		return noClearWinner + "de verschillen tussen de twee zijn klein."
	case k == len(rows):
		return noClearWinner + "de verschillen tussen alle " + countWord(k) + " zijn klein."
	}
	return noClearWinner + "de verschillen tussen de eerste " + countWord(k) + " zijn klein."
}

// countWord is a small number in words, as B1 asks: "drie"; from 13 in digits.
func countWord(n int) string {
	words := []string{"nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
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
func (r RankRow) ValueText() string { return strconv.Itoa(r.Value) + "%" }

// BandText is the band as shown: "36–46%".
func (r RankRow) BandText() string { return strconv.Itoa(r.Low) + "–" + strconv.Itoa(r.High) + "%" }

// Figure is the figure with its band, "kans gekozen uit drie 41%,
// onzekerheid (90%): 36–46%", or for an option without one "te weinig
// gegevens" (Line adds how often it was chosen, which says why).
func (r RankRow) Figure() string {
	if r.TooFew {
		return TooFewText
	}
	return RankName + " " + r.ValueText() + ", " + RankBandName + ": " + r.BandText()
}

// TooFewText stands where an option without a figure would have it.
const TooFewText = "te weinig gegevens"

// Chosen is the raw count in words: "gekozen in 22 van 36 keren getoond".
func (r RankRow) Chosen() string {
	return "gekozen in " + dutch.Int(r.Wins) + " van " + dutch.Int(r.Shown) + " keren getoond"
}

// Line is the option on one line of text with label as given (clipped by the
// caller): "1–3. Groen — kans gekozen uit drie 41%, onzekerheid (90%):
// 36–46%", with chosen followed by "; gekozen in 22 van 36 keren getoond"; an
// option without a figure is "–. Groen — te weinig gegevens; gekozen in 1 van
// 1 keren getoond", one never shown "–. Groen — niet getoond".
func (r RankRow) Line(label string, chosen bool) string {
	if r.NotShown {
		return r.Place() + ". " + label + " — niet getoond"
	}
	s := r.Place() + ". " + label + " — " + r.Figure()
	if chosen || r.TooFew { // without a figure the count is all there is
		s += "; " + r.Chosen()
	}
	return s
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
