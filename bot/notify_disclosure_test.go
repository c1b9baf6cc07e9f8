package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/results"
)

// TestSendResultsTooFew: in a round with fewer respondents than the threshold
// the participant and the stuurgroep get "te weinig deelnemers om de uitslag
// te tonen" and what happens next, without a count, a percentage or a chart.
func TestSendResultsTooFew(t *testing.T) {
	sg := bot.Address{Channel: "test", ChatID: "-100"}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Stuurgroep = []bot.Address{sg} })
	s := engPeiling(h.cfg.Location)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("1701", "1701")
	u.join("25 – 44 jaar", "Dalfsen")
	engAnswerAll(t, u)
	h.close(r.ID)
	h.drain()

	res := results.Compute(s, results.RoundInfo{ID: r.ID}, h.tallies(r.ID), nil, 10)
	if !res.TooFew {
		t.Fatalf("one respondent of threshold 10: TooFew not set")
	}
	if ok, err := h.sendResults(r, res, u.pid()); !ok || err != nil {
		t.Fatalf("send results: got %v, %v", ok, err)
	}
	if err := h.eng.SendStuurgroep(h.ctx, r, res); err != nil {
		t.Fatal(err)
	}
	got := h.drain()
	if len(got) != 2 {
		t.Fatalf("queued: got %d messages, want the results and the stuurgroep summary, no charts", len(got))
	}
	digits := regexp.MustCompile(`[0-9]+`)
	for _, m := range got {
		if m.Image != nil || m.Document != nil || len(m.Album) > 0 {
			t.Errorf("message to %v carries a file", m.To)
		}
		if !strings.Contains(m.Text, "Te weinig deelnemers om de uitslag te tonen") || strings.Contains(m.Text, "%") {
			t.Errorf("message to %v:\n%s\nwant the too-few message and no percentage", m.To, m.Text)
		}
		for _, d := range digits.FindAllString(strings.ReplaceAll(m.Text, r.ID, ""), -1) {
			if d != "10" && d != "15" && d != "2027" { // the threshold and "15 februari 2027"
				t.Errorf("message to %v holds the number %s:\n%s", m.To, d, m.Text)
			}
		}
	}
	if !strings.Contains(got[0].Text, "terugkoppeling volgt zoals beloofd") {
		t.Errorf("results: no word that the terugkoppeling follows:\n%s", got[0].Text)
	}
}
