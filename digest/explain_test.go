package digest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
)

// TestDigestExplainsFigures: the digest explains each figure once, in the
// words of every report (package results), and names no formula or
// configuration variable outside the charts' own alt texts.
func TestDigestExplainsFigures(t *testing.T) {
	r := novemberReport(t)
	images := regexp.MustCompile(`!\[[^\n]*?\]\([^)]*\.png\)|alt="[^"]*"`)
	for name, doc := range map[string]string{"markdown": string(r.Markdown), "html": string(r.HTML), "chat": r.Chat} {
		text := images.ReplaceAllString(doc, "")
		for _, jargon := range []string{"÷", "ongewogen", "POPULATION_FILE", "95%-interval", "90%-band", "laagste gedeeld door hoogste respons per groep;"} {
			if strings.Contains(text, jargon) {
				t.Errorf("%s: got %q", name, jargon)
			}
		}
		if name == "chat" {
			continue
		}
		for _, help := range []string{results.RIndicatorHelp, results.RScoreHelp, results.WeightingHelp, results.RankHelp, results.RankBandHelp} {
			if !strings.Contains(text, help) {
				t.Errorf("%s: no %q", name, help)
			}
		}
	}
}
