package results

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/themes"
)

// BenchmarkThemes3000Answers themes 3,000 open answers of about 1,000 characters
// (the default max_length), a large round.
func BenchmarkThemes3000Answers(b *testing.B) {
	words := strings.Fields("meer groen in het dorp graag betere fietspaden en een bankje bij de speeltuin openbaar vervoer naar Zwolle jongeren hebben niets te doen winkels verdwijnen verkeersveiligheid bij de school")
	texts := make([]string, 3000)
	for i := range texts {
		var sb strings.Builder
		for sb.Len() < 1000 {
			sb.WriteString(words[(i*7+sb.Len())%len(words)] + " ")
		}
		texts[i] = sb.String()
	}
	b.ResetTimer()
	for b.Loop() {
		themes.Themes(texts, 0, 0)
	}
}

// BenchmarkWeigh10000 rakes 10,000 respondents on kern (6 groups) and leeftijd (4)
// and weighs a single-choice and a likert question.
func BenchmarkWeigh10000(b *testing.B) {
	s := weighSurvey()
	kernen := []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum"}
	ages := []string{"16-24", "25-44", "45-64", "65+"}
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 11144, "Nieuwleusen": 9566, "Lemelerveld": 4798,
		"Hoonhorst": 1604, "Oudleusen": 1783, "Ankum": 808}, Leeftijd: map[string]int{"16-24": 3000, "25-44": 6500, "45-64": 8000, "65+": 6200}}
	var rs []Respondent
	for i := range 10000 {
		rs = append(rs, respondentsFor(kernen[i*7%6], ages[i*3%4], 1, i%3, i%2)...)
	}
	tallies := tallyRespondents(s, rs)
	b.ResetTimer()
	for b.Loop() {
		res := Compute(s, RoundInfo{}, tallies, nil, 10)
		res.Weigh(rs, pop)
	}
}
