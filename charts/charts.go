package charts

import (
	"fmt"
	"image/color"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// Chart is one rendered chart.
type Chart struct {
	// Name is a safe ASCII file name, e.g. "vraag-vertrouwen.png".
	Name string
	PNG  []byte
	// Alt is the alt text or caption, in the chart's language (Dutch, or the
	// printer's of QuestionIn): the kind of chart, the title and every figure
	// in words.
	Alt string
}

// maxRanked is how many options of a wie-van-de-drie ranking are drawn.
const maxRanked = 10

// Question renders the chart that fits a question result: horizontal bars
// for single, multiple and rating questions (percent of N, the count in the
// label), one stacked 100% bar for a Likert statement, and for wie van de
// drie a ranking of the kans gekozen uit drie (percent) with its band, in the order and the
// words of every report (results.Ranked), at most the top 10. Options never
// shown, or without a figure, are left out (the latter named in the subtitle). It returns ok false, and no error, for a question
// without a chart (open) or without answers (N 0).
func Question(q results.QuestionResult) (c Chart, ok bool, err error) {
	return QuestionIn(lang.Dutch(), q)
}

// QuestionIn is Question in the language of pr (Dutch when pr is nil): the
// chart's own words (subtitle, alt text, the words of wie van de drie) from
// lang/locales/chart.<language>.yaml, the figures as the language writes
// them, and in a right-to-left language the title, subtitle and the labels
// above the bars right-aligned. The texts of the question and its options are
// drawn as q has them: translate the results first (results.Results.In).
func QuestionIn(pr *lang.Printer, q results.QuestionResult) (c Chart, ok bool, err error) {
	name := questionName(q.ID)
	defer func() {
		if r := recover(); r != nil {
			c, ok, err = Chart{}, false, panicked(name, r)
		}
	}()
	f, alt, ok, err := questionFrame(wordsFor(pr), q)
	if !ok || err != nil {
		return Chart{}, false, err
	}
	png, err := f.png()
	if err != nil {
		return Chart{}, false, err
	}
	return Chart{Name: name, PNG: png, Alt: alt}, true, nil
}

// questionFrame is the chart of q laid out, not yet drawn, with its alt text;
// ok false for a question without a chart.
func questionFrame(w words, q results.QuestionResult) (f *frame, alt string, ok bool, err error) {
	if q.N <= 0 {
		return nil, "", false, nil
	}
	name := questionName(q.ID)
	switch surveys.QuestionType(q.Type) {
	case surveys.Single, surveys.Multiple, surveys.Rating:
		if len(q.Options) == 0 {
			return nil, "", false, nil
		}
		f, alt, err = optionChart(w, name, q)
	case surveys.Likert:
		if len(q.Options) == 0 {
			return nil, "", false, nil
		}
		f, alt, err = likertChart(w, name, q)
	case surveys.WieVanDeDrie:
		view := results.Ranked(q.Ranking)
		if len(view.Ranked()) == 0 {
			return nil, "", false, nil
		}
		f, alt, err = rankingChart(w, name, q, view)
	default:
		return nil, "", false, nil
	}
	return f, alt, err == nil, err
}

// questionName is the file name of a question's chart: "vraag-<id>.png".
func questionName(id string) string {
	if s := slug(id); s != "" {
		return "vraag-" + s + ".png"
	}
	return "vraag.png"
}

// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), safe
// for the common forms of colour blindness, plus greys for text and tracks.
var (
	okOrange     = rgb(0xE6, 0x9F, 0x00)
	okSkyBlue    = rgb(0x56, 0xB4, 0xE9)
	okGreen      = rgb(0x00, 0x9E, 0x73)
	okYellow     = rgb(0xF0, 0xE4, 0x42)
	okBlue       = rgb(0x00, 0x72, 0xB2)
	okVermillion = rgb(0xD5, 0x5E, 0x00)
	okPurple     = rgb(0xCC, 0x79, 0xA7)

	ink     = rgb(0x1A, 0x1A, 0x1A) // text, 17:1 on white
	inkSoft = rgb(0x45, 0x45, 0x45) // subtitles, 9.6:1 on white
	neutral = rgb(0xBB, 0xBB, 0xBB) // the Likert middle
	track   = rgb(0xEC, 0xEC, 0xEC) // the 0–100 track behind a bar
	white   = rgb(0xFF, 0xFF, 0xFF)
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xFF} }

// renderError wraps what went wrong while rendering the chart name.
func renderError(name string, err error) error {
	return fmt.Errorf("render chart %s: %w", name, err)
}
