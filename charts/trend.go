package charts

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// TrendSeries is one figure of a recurring survey across its rounds, in terms
// of the chart alone, so that charts need not know how a trend is built
// (trend.ChartOf makes one from a trend.Series).
type TrendSeries struct {
	// ID names the file: "trend-<slug of ID>.png".
	ID string
	// Title is the question, Measure the figure drawn ("(zeer) mee eens").
	Title, Measure string
	// Percent is true for shares on a 0–100 axis, false for a scale such as
	// a mean mark, drawn over the range of its values.
	Percent bool
	// Band names the interval around each point; "" is "95%-marge".
	Band   string
	Points []TrendPoint
	// Changes[i] is whether the change from point i to point i+1 is larger
	// than chance explains (len(Points)-1 of them; missing ones are not).
	Changes []bool
	// Target, when set, is drawn as a dashed line, named by TargetLabel
	// ("doel ≥ 50% in 2027"); Reference, when set, as a dotted line, named by
	// ReferenceLabel ("eerdere peiling 51% (2019)").
	Target         *float64
	TargetLabel    string
	Reference      *float64
	ReferenceLabel string
}

// TrendPoint is the figure of one round.
type TrendPoint struct {
	// At is when the round opened, labelled "mrt 2027"; without it the
	// round's id is the label.
	At    time.Time
	Round string
	// Value with its interval Low..High.
	Value, Low, High float64
	Weighted         bool
}

// Trend renders a line chart of one figure over the rounds, oldest first:
// each round's value with its interval as an error bar, the step from one
// round to the next drawn solid where it is larger than chance explains (its
// figure marked ↑ or ↓) and dashed where it stayed the same, the target and
// the reference as horizontal lines named in the legend. The alt text states
// every round's figure and every step with its verdict ("Van 42% in maart 2027
// naar 58% in maart 2028: gestegen").
func Trend(s TrendSeries) (c Chart, err error) {
	name := "trend.png"
	if id := slug(s.ID); id != "" {
		name = "trend-" + id + ".png"
	}
	defer func() {
		if r := recover(); r != nil {
			c, err = Chart{}, panicked(name, r)
		}
	}()
	if len(s.Points) == 0 {
		return Chart{}, renderError(name, errNoData)
	}
	for _, v := range s.values() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Chart{}, renderError(name, errors.New("a value is not a number"))
		}
	}
	title := questionTitle(s.Title)
	sub := s.subtitle()
	f := &frame{name: name, title: wrap(titleStyle, title, inner, maxTitle), subtitle: wrapParts(subtitleStyle, sub, inner, allLines)}
	p, legend, err := trendPlot(s)
	if err != nil {
		return Chart{}, renderError(name, err)
	}
	f.plot, f.plotHeight, f.legend = p, trendHeight, legend
	png, err := f.png()
	if err != nil {
		return Chart{}, err
	}
	alt := "Lijndiagram: " + sentence(title) + " " + sentence(strings.Join(sub, ", ")) + " " + s.words()
	return Chart{Name: name, PNG: png, Alt: strings.TrimSpace(alt)}, nil
}

// meaningful reports whether the step to point i (from i-1) is.
func (s TrendSeries) meaningful(i int) bool {
	return i > 0 && i-1 < len(s.Changes) && s.Changes[i-1]
}

// verdict is the step to point i in the words of the trend.
func (s TrendSeries) verdict(i int) string {
	switch d := s.Points[i].Value - s.Points[i-1].Value; {
	case !s.meaningful(i):
		return "gelijk gebleven"
	case d > 0:
		return "gestegen"
	case d < 0:
		return "gedaald"
	}
	return "gelijk gebleven"
}

// band is the name of the interval.
func (s TrendSeries) band() string { return cmp.Or(clean(s.Band), "95%-marge") }

// subtitle is the measure, what the error bars are and whether the figures
// are weighted.
func (s TrendSeries) subtitle() []string {
	sub := []string{cmp.Or(clean(s.Measure), "cijfer"), dutch.Plural(int64(len(s.Points)), "ronde", "rondes"),
		"lijn per ronde: " + s.band()}
	weighted := 0
	for _, p := range s.Points {
		if p.Weighted {
			weighted++
		}
	}
	switch {
	case weighted == len(s.Points):
		sub = append(sub, "gewogen")
	case weighted > 0:
		sub = append(sub, "gewogen waar de ronde gewogen is")
	}
	return sub
}

// values are all the numbers drawn.
func (s TrendSeries) values() []float64 {
	var vs []float64
	for _, p := range s.Points {
		vs = append(vs, p.Value, p.Low, p.High)
	}
	for _, v := range []*float64{s.Target, s.Reference} {
		if v != nil {
			vs = append(vs, *v)
		}
	}
	return vs
}

// figure writes a value: "47%", "47,5%", "6,8".
func (s TrendSeries) figure(v float64) string {
	if s.Percent {
		return strings.TrimSuffix(dutch.Decimal(v, 1), ",0") + "%"
	}
	return dutch.Decimal(v, 1)
}

// words is the alt text's figures: every round's value with its interval,
// every step with its verdict, the target and the reference.
func (s TrendSeries) words() string {
	var rounds []string
	for _, p := range s.Points {
		w := fmt.Sprintf("%s: %s (%s %s–%s)", spokenLabel(p), s.figure(p.Value), s.band(), s.figure(p.Low), s.figure(p.High))
		if p.Weighted {
			w += ", gewogen"
		}
		rounds = append(rounds, w)
	}
	out := sentence(strings.Join(rounds, "; "))
	for i := 1; i < len(s.Points); i++ {
		a, b := s.Points[i-1], s.Points[i]
		out += " " + sentence(fmt.Sprintf("Van %s in %s naar %s in %s: %s", s.figure(a.Value), spokenLabel(a),
			s.figure(b.Value), spokenLabel(b), s.verdict(i)))
	}
	if s.Target != nil {
		out += " " + sentence(capital(cmp.Or(clean(s.TargetLabel), "doel "+s.figure(*s.Target))))
	}
	if s.Reference != nil {
		out += " " + sentence(capital(cmp.Or(clean(s.ReferenceLabel), "vergelijking "+s.figure(*s.Reference))))
	}
	return out
}

// capital starts s with a capital letter.
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// shortMonths are the abbreviations of the months, as in a Dutch calendar.
var shortMonths = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

// axisLabel is a round's label under the axis: "mrt 2027", or its id.
func axisLabel(p TrendPoint) string {
	if p.At.IsZero() {
		return cmp.Or(clean(p.Round), "ronde")
	}
	return fmt.Sprintf("%s %d", shortMonths[p.At.Month()-1], p.At.Year())
}

// spokenLabel is a round in the alt text: "maart 2027", or its id.
func spokenLabel(p TrendPoint) string {
	if p.At.IsZero() {
		return "ronde " + cmp.Or(clean(p.Round), "zonder naam")
	}
	return fmt.Sprintf("%s %d", dutch.Month(p.At.Month()), p.At.Year())
}

// trendHeight is the height of the plot with its axes, in pixels.
const trendHeight vg.Length = 720
