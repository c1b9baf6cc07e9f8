package bot_test

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// FuzzEngineEvent hands the engine any command, button data or text from a resident
// who takes part in an open round, through a real Redis: nothing may panic (a panic is
// recovered and set aside, which this target reports as a failure) and nothing may fail.
func FuzzEngineEvent(f *testing.F) {
	h := engNew(f)
	r := h.open("peiling", "peiling-2026-11")
	member := h.user("9001", "9001")
	member.join("25 – 44 jaar", "Dalfsen")
	member.press("Doe mee")
	h.drain()
	for _, s := range []string{"zz:" + r.Code, "a:" + r.Code + ":0:1", "p:" + r.Code + ":6:0:0:1:2:1", "w:" + r.Code + ":6:1:2",
		"t:" + r.Code + ":1:3:1", "d:" + r.Code + ":1", "b:" + r.Code + ":2:0", "s:" + r.Code + ":5", "e:" + r.Code, "stop:n",
		"forget:n", "me", "kern:2", "age:u16"} {
		f.Add(uint8(bot.ChoiceEvent), s)
	}
	f.Add(uint8(bot.CommandEvent), "status")
	f.Add(uint8(bot.CommandEvent), "mijngegevens")
	f.Add(uint8(bot.TextEvent), "Korte lijnen met de gemeente")
	f.Fuzz(func(t *testing.T, kind uint8, s string) {
		h.t = t
		ev := member.event(bot.EventKind(kind%4 + 0))
		switch ev.Kind {
		case bot.CommandEvent:
			ev.Command = s
		case bot.ChoiceEvent:
			ev.Data, ev.MessageRef = s, member.last().ref
		default:
			ev.Text = s
		}
		if err := h.eng.Handle(h.ctx, ev); err != nil {
			t.Fatalf("handle %q: %v", s, err)
		}
		dead, err := h.store.SetAsideUpdates(h.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(dead) == 1 && dead[0].UpdateID == ev.UpdateID && strings.HasPrefix(dead[0].Reason, "panic") {
			t.Fatalf("handling %q panicked: %s", s, dead[0].Reason)
		}
		h.drain()
	})
}
