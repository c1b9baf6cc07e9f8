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

// RankName is the name of the figure, RankResult.Score on a scale of 0 to 100,
// in plain Dutch (taalniveau B1); RankTitle is the same as a heading.
const (
	RankName  = "voorkeur"
	RankTitle = "Voorkeur"
)

// RankHelp explains the figure in one line, on every screen that shows it.
const RankHelp = RankTitle + ": hoe vaak deze keuze zou winnen van een willekeurige andere keuze uit de lijst, " +
	"op een schaal van 0 tot 100; 50 is gemiddeld."

// RankBandLevel is the level of the band ScoreLow–ScoreHigh in percent: the
// 5th to the 95th percentile of the bootstrap of stats.PairScores.
const RankBandLevel = 90

// RankBandName names the band with its level, as every screen shows it:
// "onzekerheid (90%)". RankBandTitle is the same as a heading.
var (
	RankBandName  = "onzekerheid (" + strconv.Itoa(RankBandLevel) + "%)"
	RankBandTitle = "Onzekerheid (" + strconv.Itoa(RankBandLevel) + "%)"
)

// RankBandHelp explains the band and the shared places in one line.
var RankBandHelp = RankBandTitle + ": de voorkeur ligt waarschijnlijk tussen deze twee getallen. Lopen die van " +
	"twee keuzes in elkaar over, dan is hun volgorde niet zeker en delen ze een plaats, zoals 1–3."

// noClearWinner starts the verdict of a ranking whose first place is shared.
const noClearWinner = "Geen duidelijke winnaar: "

// RankView is a wie-van-de-drie ranking as every screen shows it.
type RankView struct {
	// Rows are the options, by their shown figure (Value) highest first, equal
	// figures by label; the options never shown come last, by label.
	Rows []RankRow
	// Verdict is "Geen duidelijke winnaar: de eerste drie liggen dicht bij
	// elkaar." when the first place is shared, "" otherwise.
	Verdict string
}

// RankRow is one option of a RankView.
type RankRow struct {
	ID, Label string
	// Wins is how often the option was picked, Shown how often it was in a
	// triad that was answered (RankResult).
	Wins, Shown int64
	NotShown    bool
	// Value is the figure (RankName) as shown, Low and High its band
	// (RankBandName): RankResult.Score and its band on a scale of 0 to 100,
	// rounded to whole numbers, with Low <= Value <= High.
	Value, Low, High int
	// First and Last are the places the option may have: First is one more
	// than the options whose band lies wholly above its band, Last the number
	// of options shown less those whose band lies wholly below it. First ==
	// Last is a place of its own; 0 when never shown.
	First, Last int
}

// Ranked is the ranking of a wie-van-de-drie question as every screen shows
// it: rows in order, their places, and the verdict on the first place. Whether
// two bands overlap is decided on the whole numbers shown, so that what a
// reader sees agrees with the places.
func Ranked(rank []RankResult) RankView {
	rows := make([]RankRow, len(rank))
	for i, rr := range rank {
		rows[i] = RankRow{ID: rr.ID, Label: rr.Label, Wins: rr.Wins, Shown: rr.Shown, NotShown: rr.NotShown}
		if rr.NotShown {
			continue
		}
		s := clamp100(rr.Score)
		lo, hi := math.Min(clamp100(rr.ScoreLow), s), math.Max(clamp100(rr.ScoreHigh), s)
		rows[i].Value, rows[i].Low, rows[i].High = whole(s), whole(lo), whole(hi)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch {
		case a.NotShown != b.NotShown:
			return b.NotShown
		case a.Value != b.Value:
			return a.Value > b.Value
		case a.Label != b.Label:
			return a.Label < b.Label
		}
		return a.ID < b.ID
	})
	shown := len(RankView{Rows: rows}.Shown())
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
		return noClearWinner + "de twee liggen dicht bij elkaar."
	case k == len(rows):
		return noClearWinner + "alle " + countWord(k) + " liggen dicht bij elkaar."
	}
	return noClearWinner + "de eerste " + countWord(k) + " liggen dicht bij elkaar."
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
// option never shown.
func (r RankRow) Place() string {
	switch {
	case r.NotShown:
		return "–"
	case r.Shared():
		return strconv.Itoa(r.First) + "–" + strconv.Itoa(r.Last)
	}
	return strconv.Itoa(r.First)
}

// ValueText is the figure as shown: "69".
func (r RankRow) ValueText() string { return strconv.Itoa(r.Value) }

// BandText is the band as shown: "47–89".
func (r RankRow) BandText() string { return strconv.Itoa(r.Low) + "–" + strconv.Itoa(r.High) }

// Figure is the figure with its band: "voorkeur 69, onzekerheid (90%): 47–89".
func (r RankRow) Figure() string {
	return RankName + " " + r.ValueText() + ", " + RankBandName + ": " + r.BandText()
}

// Chosen is the raw count in words: "gekozen in 22 van 36 keren getoond".
func (r RankRow) Chosen() string {
	return "gekozen in " + dutch.Int(r.Wins) + " van " + dutch.Int(r.Shown) + " keren getoond"
}

// Line is the option on one line of text with label as given (clipped by the
// caller): "1–3. Groen — voorkeur 69, onzekerheid (90%): 47–89", with chosen
// followed by "; gekozen in 22 van 36 keren getoond"; an option never shown is
// "-. Groen — niet getoond".
func (r RankRow) Line(label string, chosen bool) string {
	if r.NotShown {
		return "-. " + label + " — niet getoond"
	}
	s := r.Place() + ". " + label + " — " + r.Figure()
	if chosen {
		s += "; " + r.Chosen()
	}
	return s
}

// clamp100 is a fraction 0..1 as 0..100, NaN as 0.
func clamp100(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return math.Max(0, math.Min(100, 100*f))
}

func whole(f float64) int { return int(math.Round(f)) }
