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
