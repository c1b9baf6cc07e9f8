package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// engWithAbout returns the one message of ms with About of the kind.
func engWithAbout(t *testing.T, ms []bot.Message, kind string) bot.Message {
	t.Helper()
	for _, m := range ms {
		if m.About != nil && m.About.Kind == kind {
			return m
		}
	}
	t.Fatalf("no %s among %q", kind, engTexts(ms))
	return bot.Message{}
}

func engLabels(m bot.Message) []string {
	var out []string
	for _, row := range m.Choices {
		for _, c := range row {
			out = append(out, c.Label)
		}
	}
	return out
}

// current asks the engine whether m is still true, as the outbox does before sending it.
func (h *engHarness) current(m bot.Message) (bot.Message, bool) {
	h.t.Helper()
	out, send, err := h.eng.Current(h.ctx, m)
	if err != nil {
		h.t.Fatalf("Current(%q): %v", m.Text, err)
	}
	return out, send
}

// A prompt is true while it is the resident's step, and is then rendered from the
// session as it is at send time: a multiple-choice prompt shows the ticks stored.
func TestEngineCurrentPrompt(t *testing.T) {
	h := engNew(t)
	u := h.user("1401", "1401")
	u.join("25 – 44 jaar", "Dalfsen")
	h.drain()
	r := h.open("peiling", "peiling-2026-11")
	if ok, err := h.invite(r, u.pid()); !ok || err != nil {
		t.Fatalf("invite: got %v, %v", ok, err)
	}
	inv := engWithAbout(t, h.drain(), bot.AboutInvite)
	if inv.About.Round != r.ID {
		t.Errorf("invitation about %+v, want round %s", inv.About, r.ID)
	}
	if _, send := h.current(inv); !send {
		t.Errorf("invitation before the resident started: got not true, want true")
	}

	first := engWithAbout(t, u.press("Doe mee"), bot.AboutPrompt)
	if want := (bot.About{Kind: bot.AboutPrompt, Round: r.ID, Question: "positie"}); *first.About != want {
		t.Errorf("prompt about %+v, want %+v", *first.About, want)
	}
	if _, send := h.current(inv); send {
		t.Errorf("invitation after the resident started: got true, want not sent")
	}
	if out, send := h.current(first); !send || out.Text != first.Text {
		t.Errorf("current prompt: got %v %q, want it as queued", send, out.Text)
	}

	second := engWithAbout(t, u.press("Bewoner"), bot.AboutPrompt) // Welke kansen ziet u? (multiple)
	if _, send := h.current(first); send {
		t.Errorf("prompt of an answered question: got true, want not sent")
	}
	u.press("☐ Meer groen") // ticks it: the prompt is edited, the session keeps the tick
	out, send := h.current(second)
	if !send || !slices.Contains(engLabels(out), "✅ Meer groen") || !slices.Contains(engLabels(out), "☐ Sport") {
		t.Errorf("repeated multiple-choice prompt: got %v %q, want the tick as stored", send, engLabels(out))
	}
	if out.To != second.To || out.Participant != second.Participant || !strings.Contains(out.Text, "Vraag 2 van 8") {
		t.Errorf("rendered again: got %+v, want the same chat and question", out)
	}

	// a prompt queued just before the session moved on to it still goes
	ahead := second
	ahead.About = &bot.About{Kind: bot.AboutPrompt, Round: r.ID, Question: "luistert"}
	if _, send := h.current(ahead); !send {
		t.Errorf("prompt of the next, unanswered step: got not sent, want sent as queued")
	}
	third := engWithAbout(t, u.press("Klaar"), bot.AboutPrompt)
	if _, send := h.current(second); send {
		t.Errorf("prompt of a confirmed multiple choice: got true, want not sent")
	}

	if ok, err := h.remind(r, 0, u.pid()); !ok || err != nil {
		t.Fatalf("remind: got %v, %v", ok, err)
	}
	rem := engWithAbout(t, h.drain(), bot.AboutReminder)
	if _, send := h.current(rem); !send {
		t.Errorf("reminder before finishing: got not sent, want sent")
	}
	if _, err := h.store.Complete(h.ctx, r.ID, u.pid()); err != nil {
		t.Fatal(err)
	}
	if _, send := h.current(rem); send {
		t.Errorf("reminder after finishing: got true, want not sent")
	}

	h.close(r.ID)
	for _, m := range []bot.Message{third, inv, rem} {
		if _, send := h.current(m); send {
			t.Errorf("%s after the round closed: got true, want not sent", m.About.Kind)
		}
	}
	plain := bot.Message{Text: "Bedankt!", To: third.To, Participant: third.Participant}
	if _, send := h.current(plain); !send {
		t.Errorf("message without About: got not sent, want sent")
	}
}
