package bot_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// engMetrics records what the engine tells bot.Metrics.
type engMetrics struct {
	mu      sync.Mutex
	inbound []string // "<channel> <outcome> <age>"
	answers []string // "<channel> added|changed"
}

func (m *engMetrics) Inbound(channel, outcome string, age time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inbound = append(m.inbound, channel+" "+outcome+" "+age.String())
}

func (m *engMetrics) Answer(channel string, changed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	what := "added"
	if changed {
		what = "changed"
	}
	m.answers = append(m.answers, channel+" "+what)
}

func (m *engMetrics) take() (inbound, answers []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inbound, answers = m.inbound, m.answers
	m.inbound, m.answers = nil, nil
	return inbound, answers
}

// TestEngineMetrics: every inbound update is told once with its outcome (handled,
// duplicate, set aside, failed) and, when handled and dated by the platform, its
// age; every answer stored is told, the same answer again is not.
func TestEngineMetrics(t *testing.T) {
	rec := &engMetrics{}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Metrics = rec })
	h.open("peiling", "peiling-2026-11")
	u := h.user("7007", "7007")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	if in, _ := rec.take(); len(in) != 5 {
		t.Fatalf("joining and Doe mee: got %d inbound updates told %v, want 5", len(in), in)
	}

	press := u.pressEvent("Ondernemer")
	h.handle(press)
	h.handle(press) // delivered again: a duplicate, not a second answer
	u.press("◀ Vorige")
	change := u.pressEvent("Bewoner")
	h.handle(change)
	change.UpdateID = h.nextUpdate() // a double tap: the same answer again, stored not anew
	h.handle(change)
	dated := u.event(bot.CommandEvent)
	dated.Command, dated.At = "help", h.now.Add(-3*time.Second)
	h.handle(dated)
	h.handle(bot.Event{Kind: bot.TextEvent, Channel: engChannelName, UpdateID: h.nextUpdate(), UserID: "7007", ChatID: "7007",
		Problem: "payload could not be read"})
	gone, cancel := context.WithCancel(h.ctx)
	cancel()
	if err := h.eng.Handle(gone, u.event(bot.CommandEvent)); err == nil {
		t.Fatal("handle while shutting down: got nil, want an error")
	}

	in, answers := rec.take()
	wantIn := []string{"test handled 0s", "test duplicate 0s", "test handled 0s", "test handled 0s", "test handled 0s", "test handled 3s", "test set_aside 0s", "test failed 0s"}
	if !slices.Equal(in, wantIn) {
		t.Errorf("inbound: got %q, want %q", in, wantIn)
	}
	if want := []string{"test added", "test changed"}; !slices.Equal(answers, want) {
		t.Errorf("answers: got %q, want %q", answers, want)
	}
}
