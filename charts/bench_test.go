package charts

import (
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkQuestionChart renders one five-option bar chart (1080 px wide PNG).
func BenchmarkQuestionChart(b *testing.B) {
	q := results.QuestionResult{ID: "vertrouwen", Type: string(surveys.Single), Text: "Hoeveel vertrouwen heeft u in de gemeente?", N: 400}
	for i, l := range []string{"Zeer veel", "Veel", "Neutraal", "Weinig", "Zeer weinig"} {
		c := int64(40 + 30*i)
		q.Options = append(q.Options, results.OptionResult{ID: l, Label: l, Count: c, Percent: 100 * float64(c) / 400})
	}
	for b.Loop() {
		if _, _, err := Question(q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuestionChartScript renders the same five-option bar chart with
// Latin labels and with the labels translated into Arabic, which are shaped
// (shape.go): "arabic" keeps the shaped lines between renders, as a server
// rendering the charts of one round does, "arabic-cold" shapes them anew for
// every chart.
func BenchmarkQuestionChartScript(b *testing.B) {
	question := func(text string, labels []string) results.QuestionResult {
		q := results.QuestionResult{ID: "tevreden", Type: string(surveys.Single), Text: text, N: 400}
		for i, l := range labels {
			c := int64(40 + 30*i)
			q.Options = append(q.Options, results.OptionResult{ID: l, Label: l, Count: c, Percent: 100 * float64(c) / 400})
		}
		return q
	}
	latin := question("Hoe tevreden bent u over uw woonomgeving?",
		[]string{"Zeer tevreden", "Tevreden", "Niet tevreden, niet ontevreden", "Ontevreden", "Zeer ontevreden"})
	arabic := question("ما مدى رضاك عن محيط سكنك؟",
		[]string{"راضٍ جداً", "راضٍ", "لا راضٍ ولا غير راضٍ", "غير راضٍ", "غير راضٍ جداً"})
	run := func(q results.QuestionResult, cold bool) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				if cold {
					shaper.Lock()
					shaper.lines = nil
					shaper.Unlock()
				}
				if _, _, err := Question(q); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("latin", run(latin, false))
	b.Run("arabic", run(arabic, false))
	b.Run("arabic-cold", run(arabic, true))
}
