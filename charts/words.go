package charts

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot/text"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
)

// words are a question chart's own words in one language: its subtitles, alt
// texts, figures and the words of wie van de drie, from the catalogue
// lang/locales/chart.<language>.yaml and the printer's numbers. The texts of
// the question and its options are not among them: they come with the result,
// already in the resident's language (results.Results.In).
type words struct {
	pr *lang.Printer
}

func wordsFor(pr *lang.Printer) words {
	if pr == nil {
		pr = lang.Dutch()
	}
	return words{pr}
}

// rtl reports whether the language is written right to left.
func (w words) rtl() bool { return w.pr.Lang().RTL() }

// percent is a percentage (0..100) with one decimal: "62,5%", "62.5%", "%62,5".
func (w words) percent(p float64) string {
	return w.pr.T("percent", "N", w.pr.Decimal(p, 1))
}

// list joins parts the language's way: "a, b, c" ("،" in Arabic).
func (w words) list(parts []string) string { return strings.Join(parts, w.pr.T("list_sep")) }

// int writes a count.
func (w words) int(n int64) string { return w.pr.Int(int(n)) }

// figure is a percentage with its count: "62,5% (25)".
func (w words) figure(p float64, n int64) string { return w.percent(p) + " (" + w.int(n) + ")" }

// median is a median, whole when it is whole: "7", "6,5".
func (w words) median(x float64) string {
	if x == math.Trunc(x) {
		return w.pr.Decimal(x, 0)
	}
	return w.pr.Decimal(x, 1)
}

// questionTitle is the question text on one line, or "Vraag" without one.
func (w words) questionTitle(s string) string {
	if s = clean(s); s != "" {
		return s
	}
	return w.pr.T("chart.question_default")
}

// questionTitle is words.questionTitle in Dutch, for the charts of the
// dashboard and the stuurgroep (Trend).
func questionTitle(s string) string { return wordsFor(nil).questionTitle(s) }

// drawn is s as a label is drawn in style sty: in the words of the language
// "(niet te tonen)" when the font can show nothing of it (drawable).
func (w words) drawn(sty text.Style, s string) string {
	if s != "" && drawable(sty, s) == unshown {
		return w.pr.T("chart.unshown")
	}
	return s
}

// agreeText names a Likert question's top two boxes with the question's own
// labels of its agreeing points, as results.AgreeText does in Dutch: "helemaal
// mee eens of mee eens".
func (w words) agreeText(q results.QuestionResult) string {
	four, five := w.pr.T("chart.agree_default_4"), w.pr.T("chart.agree_default_5")
	for _, o := range q.Options {
		switch l := clean(o.Label); {
		case l == "":
		case o.ID == "4":
			four = l
		case o.ID == "5":
			five = l
		}
	}
	return lowerFirst(w.pr.T("chart.agree_label", "Vijf", five, "Vier", lowerFirst(four)))
}

// lowerFirst lower-cases the first letter: "Mee eens" → "mee eens".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// The words of wie van de drie are results' (RankWords, RankView.VerdictIn,
// RankRow.LineIn), in the language of the printer: every screen says the same.

// rankHelp is results.RankHelp in the printer's language.
func (w words) rankHelp() string { return results.RankWords(w.pr).Help }

// rankBandName is results.RankBandName: "onzekerheid (90%)".
func (w words) rankBandName() string { return results.RankWords(w.pr).BandName }

// tooFew is results.TooFewText.
func (w words) tooFew() string { return results.RankWords(w.pr).TooFew }

// verdict is the verdict of view (RankView.Verdict) in the language: "" when
// the first place is not shared.
func (w words) verdict(view results.RankView) string { return view.VerdictIn(w.pr) }

// rankLine is RankRow.Line(label, false) in the language: "1–3. Groen — kans
// gekozen uit drie 41%, onzekerheid (90%): 36–46%".
func (w words) rankLine(r results.RankRow, label string) string { return r.LineIn(w.pr, label, false) }

// rankValue is the figure as shown: "41%".
func (w words) rankValue(r results.RankRow) string { return w.pr.Percent(float64(r.Value)) }
