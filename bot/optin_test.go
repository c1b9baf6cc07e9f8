package bot_test

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// TestConsentNamesWhoWrites: the consent question is the opt-in that WhatsApp's
// business policy asks for: it names the municipality and what it will send.
func TestConsentNamesWhoWrites(t *testing.T) {
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Municipality = "Gemeente Dalfsen" })
	u := h.user("7001", "7001")
	u.command("start")
	msgs := u.press("45 – 64 jaar")
	var consent string
	for _, m := range msgs {
		if strings.Contains(m.Text, "Gaat u akkoord?") {
			consent = m.Text
		}
	}
	want := "Met ‘Ja’ mag Gemeente Dalfsen u in deze chat uitnodigen voor nieuwe vragenrondes en u herinneringen, de uitslag en het besluit sturen."
	if !strings.Contains(consent, want) {
		t.Errorf("consent question:\n%s\nwant it to contain %q", consent, want)
	}
}
