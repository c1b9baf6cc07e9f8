package discord_test

import (
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// TestReady: the channel is ready once its gateway session is open, not before.
func TestReady(t *testing.T) {
	h := newHarness(t).(*harness)
	if err := h.ch.Ready(); err == nil {
		t.Error("before Run: got ready, want an error")
	}
	h.Start(t, discardHandler{})
	testwait.For(t, 10*time.Second, "ready with the gateway open", func() bool { return h.ch.Ready() == nil })
	if got := h.srv.LiveShards(); len(got) != 1 {
		t.Errorf("live shards when ready: got %v, want one", got)
	}
}
