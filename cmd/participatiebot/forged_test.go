package main

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestForgedButtonsThroughTelegram sends what a modified client can send (issue 9: a
// verb no button has with a valid round code crashed the binary, and as the update was
// never confirmed, every restart crashed on it again): the service keeps running,
// confirms every update and answers the next resident.
func TestForgedButtonsThroughTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.serve()
	h.cli("rounds", "open", "e2e")
	a := h.resident(7001)
	if err := a.join(ageLabels[1], "Dalfsen"); err != nil {
		t.Fatal(err)
	}
	inv, code := invitationWithCode(t, h.tg, a.uid)
	forged := []string{"zz:" + code, "zz:" + code + ":1", "a:" + code, "a:" + code + ":999:0", "a:" + code + ":0:999",
		"p:" + code + ":0:0:0:1:2:3", "t:" + code + ":0:0:7", "w:" + code + ":0:0", "go:" + code + ":1", "age:99",
		"ok:-1", "kern:x", "stop", "me:x", "forget:maybe", "", ":", "\x00", strings.Repeat("x", 64)}
	for _, data := range forged {
		h.tg.Press(a.uid, inv.MessageID, data)
	}
	h.tg.WaitFor(t, 20*time.Second, "every forged update confirmed", func() bool { return h.tg.Pending() == 0 })
	select {
	case code := <-h.done:
		t.Fatalf("serve exited with %d after forged buttons; log:\n%s", code, h.logs.String())
	default:
	}
	if _, err := a.await("Deze knop hoort bij een eerdere vraag"); err != nil {
		t.Fatal(err)
	}
	// the next resident is answered, and the forger goes on as normal
	b := h.resident(7002)
	if err := b.join(ageLabels[2], "Nieuwleusen"); err != nil {
		t.Fatal(err)
	}
	if err := a.press(inv, "Doe mee"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.await("Vraag 1 van"); err != nil {
		t.Fatal(err)
	}
	// nothing the forger sent was stored as an answer
	if got := roundTallies(t, h)[surveys.FieldRespondents]; got != 0 {
		t.Errorf("respondents after forged buttons: got %d, want 0", got)
	}
}

// invitationWithCode finds the newest message with a "Doe mee" button and the round
// code in its data.
func invitationWithCode(t *testing.T, tg *telegramtest.Server, uid int64) (inv telegramtest.Sent, code string) {
	t.Helper()
	tg.WaitFor(t, 20*time.Second, "an invitation with a Doe mee button", func() bool {
		msgs := tg.Chat(uid)
		for i := len(msgs) - 1; i >= 0; i-- {
			for _, row := range msgs[i].Keyboard {
				for _, b := range row {
					if c, ok := strings.CutPrefix(b.Data, "go:"); ok && b.Text == "Doe mee" {
						inv, code = msgs[i], c
						return true
					}
				}
			}
		}
		return false
	})
	return inv, code
}

// roundTallies are the counters of the newest round.
func roundTallies(t *testing.T, h *harness) map[string]int64 {
	t.Helper()
	st, err := storage.Open(t.Context(), h.redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rounds, err := st.Rounds(t.Context())
	if err != nil || len(rounds) == 0 {
		t.Fatalf("rounds: got %d, %v", len(rounds), err)
	}
	m, err := st.Tallies(t.Context(), rounds[len(rounds)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
