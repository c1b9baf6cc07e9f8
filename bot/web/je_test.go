package web

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestPageJeRegister: with Config.Je (AANSPREEKVORM=je) the page addresses the
// resident with je, and no visible text on the welcome, privacy and data pages says u.
func TestPageJeRegister(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Je = true
		c.Privacy = Privacy{Municipality: "Gemeente Dalfsen", Contact: "privacy@dalfsen.nl", Threshold: 10, Channels: []string{"Telegram"}}
	})
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	for path, wants := range map[string][]string{
		"/":             {"Via deze chat denk je mee over plannen van je gemeente.", "Jouw bericht"},
		"/privacy":      {"als je via Telegram meedoet", "Jouw rechten", "Ben je jonger dan 16?"},
		"/mijngegevens": {"Wij hebben niets van je opgeslagen"},
		"/vergeetmij":   {"Wij hebben niets van je opgeslagen"},
	} {
		body := h.client().get(path).Body.String()
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: no %q", path, want)
			}
		}
		text := tags.ReplaceAllString(body, " ")
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if w == "u" || w == "U" || w == "uw" || w == "Uw" {
				t.Errorf("GET %s: the page still says %q", path, w)
			}
		}
	}
}
