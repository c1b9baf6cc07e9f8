package charts

import (
	"image"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
	"gopkg.in/yaml.v3"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// textCanvas records the texts drawn on it (recordText), as written.
type textCanvas struct {
	recorder.Canvas
	texts []string
}

func (c *textCanvas) drewText(txt string) { c.texts = append(c.texts, txt) }

// drawnIn lays out and draws the chart of q in the language of pr and returns
// the texts it drew and its alt text.
func drawnIn(t *testing.T, pr *lang.Printer, q results.QuestionResult) (texts []string, alt string) {
	t.Helper()
	f, alt, ok, err := questionFrame(wordsFor(pr), q)
	if err != nil || !ok {
		t.Fatalf("%s: got ok %v, err %v, want a chart", q.ID, ok, err)
	}
	var c textCanvas
	f.draw(draw.Canvas{Canvas: &c, Rectangle: vg.Rectangle{Max: vg.Point{X: width, Y: f.height()}}})
	if len(c.texts) == 0 {
		t.Fatalf("%s: no text recorded", q.ID)
	}
	return c.texts, alt
}

// relabel is q with its question and option texts replaced, as results.In
// gives them in another language; options beyond labels get label and number.
func relabel(q results.QuestionResult, text string, labels ...string) results.QuestionResult {
	q.Text = text
	label := func(i int) string {
		if i < len(labels) {
			return labels[i]
		}
		return labels[len(labels)-1] + " " + strconv.Itoa(i+1)
	}
	q.Options = append([]results.OptionResult(nil), q.Options...)
	for i := range q.Options {
		q.Options[i].Label = label(i)
	}
	q.Ranking = append([]results.RankResult(nil), q.Ranking...)
	for i := range q.Ranking {
		q.Ranking[i].Label = label(i)
	}
	return q
}

// withTooFew is the wie-van-de-drie fixture with two options without a figure.
func withTooFew() results.QuestionResult {
	q := waarden()
	q.Ranking = append([]results.RankResult(nil), q.Ranking...)
	q.Ranking[3].TooFew, q.Ranking[3].Wins, q.Ranking[3].Shown = true, 1, 4
	q.Ranking[5].TooFew, q.Ranking[5].Wins, q.Ranking[5].Shown = true, 4, 4
	return q
}

// translatedFixtures are questions of every type with a chart, their texts in
// language c.
func translatedFixtures(c lang.Code) map[string]results.QuestionResult {
	multi := choice("thema", surveys.Multiple, "", []string{"a", "b", "c"}, []int64{5, 3, 4})
	multi.N = 7
	untitled := positie(3, 4)
	if c == lang.AR {
		return map[string]results.QuestionResult{
			"single": relabel(vertrouwen(), "ما مدى ثقتك في طريقة إدارة البلدية؟",
				"ثقة كبيرة جدًا", "ثقة كبيرة", "ثقة متوسطة", "ثقة قليلة", "ثقة قليلة جدًا"),
			"likert": relabel(luistert(), "تستمع البلدية بما يكفي إلى رأي السكان.",
				"لا أوافق بشدة", "لا أوافق", "محايد", "أوافق", "أوافق بشدة"),
			"likert default words": relabel(luistert(), "تستمع البلدية بما يكفي إلى رأي السكان.", ""),
			"rating":               relabel(cijfer(), "ما الدرجة التي تعطيها للبلدية على تعاونها مع السكان؟", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
			"ranking":              relabel(waarden(), "أيّ هذه الثلاثة يناسب دالفسن أكثر؟", "الخيار"),
			"too few":              relabel(withTooFew(), "أيّ هذه الثلاثة يناسب دالفسن أكثر؟", "الخيار"),
			"multiple":             relabel(multi, "ما المواضيع المهمة لك؟", "الخضرة", "حركة المرور", "السكن"),
			"untitled":             relabel(untitled, "", "نعم", "لا"),
			"emoji":                relabel(untitled, "👍", "👍🏽", "لا"),
		}
	}
	return map[string]results.QuestionResult{
		"single": relabel(vertrouwen(), "How much do you trust the way the municipality is run?",
			"A great deal of trust", "A lot of trust", "Some trust", "Little trust", "Very little trust"),
		"likert": relabel(luistert(), "The municipality listens enough to what residents think.",
			"Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"),
		"likert default words": relabel(luistert(), "The municipality listens enough to what residents think.", ""),
		"rating":               relabel(cijfer(), "What mark do you give the municipality for working with residents?", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
		"ranking":              relabel(waarden(), "Which of these three fits Dalfsen best?", "Option"),
		"too few":              relabel(withTooFew(), "Which of these three fits Dalfsen best?", "Option"),
		"multiple":             relabel(multi, "Which topics matter to you?", "Green", "Traffic", "Housing"),
		"untitled":             relabel(untitled, "", "Yes", "No"),
		"emoji":                relabel(untitled, "👍", "👍🏽", "No"),
	}
}

var placeholderRE = regexp.MustCompile(`{{[^}]*}}`)

// catalogueWords are the words, lower-case, of the texts of the chart
// catalogue in language code.
func catalogueWords(t *testing.T, code lang.Code) map[string]bool {
	t.Helper()
	buf, err := os.ReadFile(filepath.Join("..", "lang", "locales", "chart."+string(code)+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(buf, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	add := func(s string) {
		s = placeholderRE.ReplaceAllString(s, " ")
		for _, w := range wordsOf(s) {
			out[w] = true
		}
	}
	for _, v := range raw {
		switch v := v.(type) {
		case string:
			add(v)
		case map[string]any:
			for _, s := range v {
				add(s.(string))
			}
		}
	}
	return out
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// TestQuestionInLanguage draws a question of every type in English and in
// Arabic: neither the texts drawn nor the alt text hold a word of the Dutch
// catalogue that is not also a word of the language's own (such as "top"),
// the figures are written the language's way, and the Arabic ones hold no
// Latin letter at all.
func TestQuestionInLanguage(t *testing.T) {
	dutchWords := catalogueWords(t, lang.NL)
	for _, code := range []lang.Code{lang.EN, lang.AR} {
		pr := lang.For(code, false)
		own := catalogueWords(t, code)
		for name, q := range translatedFixtures(code) {
			t.Run(string(code)+"/"+name, func(t *testing.T) {
				texts, alt := drawnIn(t, pr, q)
				texts = append(texts, alt)
				for _, s := range texts {
					for _, w := range wordsOf(s) {
						if dutchWords[w] && !own[w] {
							t.Errorf("got Dutch word %q in %q", w, s)
						}
					}
					if code == lang.AR && strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) >= 0 {
						t.Errorf("got Latin letters in %q", s)
					}
				}
				c, ok, err := QuestionIn(pr, q)
				if err != nil || !ok || c.Alt != alt || len(c.PNG) == 0 {
					t.Errorf("QuestionIn: got ok %v, err %v, alt %q, want the chart with alt %q", ok, err, c.Alt, alt)
				}
			})
		}
	}
	_, alt := drawnIn(t, lang.For(lang.EN, false), translatedFixtures(lang.EN)["single"])
	if want := "Bar chart: How much do you trust the way the municipality is run? 177 answers, percentage of those who answered. A great deal of trust 5.1% (9),"; !strings.HasPrefix(alt, want) {
		t.Errorf("got alt %q, want it to start %q", alt, want)
	}
	_, alt = drawnIn(t, lang.For(lang.AR, false), translatedFixtures(lang.AR)["single"])
	if want := "مخطط شريطي: ما مدى ثقتك في طريقة إدارة البلدية؟ 177 إجابة، النسبة المئوية ممن أجابوا. ثقة كبيرة جدًا 5.1٪ (9)"; !strings.HasPrefix(alt, want) {
		t.Errorf("got alt %q, want it to start %q", alt, want)
	}
	_, alt = drawnIn(t, lang.For(lang.TR, false), translatedFixtures(lang.EN)["multiple"])
	if !strings.Contains(alt, "%100") || !strings.Contains(alt, "%41,7 (5)") {
		t.Errorf("got Turkish alt %q, want %%100 and %%41,7 (5)", alt)
	}
}

// TestQuestionDutchDefault checks that Question and QuestionIn with Dutch or
// no printer draw the same chart.
func TestQuestionDutchDefault(t *testing.T) {
	for _, q := range []results.QuestionResult{vertrouwen(), luistert(), waarden()} {
		want := render(t, q)
		for _, pr := range []*lang.Printer{nil, lang.Dutch()} {
			c, ok, err := QuestionIn(pr, q)
			if err != nil || !ok || c.Alt != want.Alt || string(c.PNG) != string(want.PNG) || c.Name != want.Name {
				t.Errorf("%s: QuestionIn(%v) differs from Question", q.ID, pr)
			}
		}
	}
}

// TestRankWordsDutch holds the Dutch words of wie van de drie in the chart
// catalogue to those of package results, which every other screen shows.
func TestRankWordsDutch(t *testing.T) {
	w := wordsFor(lang.Dutch())
	if got := w.rankHelp(); got != results.RankHelp {
		t.Errorf("got help %q, want results.RankHelp %q", got, results.RankHelp)
	}
	if got := w.rankBandName(); got != results.RankBandName {
		t.Errorf("got band %q, want results.RankBandName %q", got, results.RankBandName)
	}
	if got := w.tooFew(); got != results.TooFewText {
		t.Errorf("got %q, want results.TooFewText %q", got, results.TooFewText)
	}
	short := waarden()
	short.Ranking = short.Ranking[8:]
	pair := waarden()
	pair.Ranking = pair.Ranking[:2]
	pair.Ranking[0].ScoreLow = .70
	four := waarden()
	four.Ranking = four.Ranking[:4]
	for i := range four.Ranking {
		four.Ranking[i].Score, four.Ranking[i].ScoreLow, four.Ranking[i].ScoreHigh = .5, .3, .7
	}
	for _, q := range []results.QuestionResult{waarden(), short, pair, four, withTooFew()} {
		view := results.Ranked(q.Ranking)
		if got := w.verdict(view); got != view.Verdict {
			t.Errorf("got verdict %q, want %q", got, view.Verdict)
		}
		for _, r := range view.Rows {
			if got, want := w.rankLine(r, r.Label), r.Line(r.Label, false); got != want {
				t.Errorf("got line %q, want %q", got, want)
			}
			if got, want := w.rankValue(r), r.ValueText(); got != want {
				t.Errorf("got value %q, want %q", got, want)
			}
		}
	}
	q := luistert()
	if got, want := w.agreeText(q), results.AgreeText(q); got != want {
		t.Errorf("got agree text %q, want %q", got, want)
	}
	q.Options = nil
	if got, want := w.agreeText(q), results.AgreeText(q); got != want {
		t.Errorf("got default agree text %q, want %q", got, want)
	}
}

// TestArabicRightAligned checks that a chart in Arabic sets its title, its
// subtitle and the labels above its bars against the right margin.
func TestArabicRightAligned(t *testing.T) {
	ar := lang.For(lang.AR, false)
	q := woonomgevingArabisch()
	c, ok, err := QuestionIn(ar, q)
	if err != nil || !ok {
		t.Fatalf("got ok %v, err %v", ok, err)
	}
	img := decode(t, c)
	bars := runs(img, okBlue, 0, 1)
	if len(bars) != len(q.Options) {
		t.Fatalf("got %d bars, want %d", len(bars), len(q.Options))
	}
	// the title, on one line
	top := image.Rect(margin, margin, width-margin, margin+titleLine)
	inkX := func(r image.Rectangle) (lo, hi int) {
		lo, hi = width, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if dark(img, x, y) {
					lo, hi = min(lo, x), max(hi, x)
				}
			}
		}
		return lo, hi
	}
	if lo, hi := inkX(top); hi < width-margin-8 || lo < margin+100 {
		t.Errorf("got the title inked over x %d..%d, want them against the right margin %d", lo, hi, width-margin)
	}
	trackEnd := 0 // the rightmost pixel of the track
	for x := width - 1; x > 0 && trackEnd == 0; x-- {
		if is(img, x, bars[0].mid(), track) {
			trackEnd = x
		}
	}
	for i, b := range bars {
		label := image.Rect(margin, b.y0-textLine-8, width-margin, b.y0-2)
		if lo, hi := inkX(label); hi < trackEnd-8 || hi > trackEnd+2 || lo < margin+100 {
			t.Errorf("bar %d: got its label inked over x %d..%d, want it ending at the track's end %d", i, lo, hi, trackEnd)
		}
	}
}
