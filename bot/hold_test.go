package bot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

func TestHold(t *testing.T) {
	var h bot.Hold
	if err := h.Wait(t.Context()); err != nil {
		t.Fatalf("no pause: got %v", err)
	}
	start := time.Now()
	h.Pause(150 * time.Millisecond)
	h.Pause(10 * time.Millisecond) // a shorter pause does not shorten it
	if err := h.Wait(t.Context()); err != nil || time.Since(start) < 150*time.Millisecond {
		t.Errorf("pause of 150ms: returned after %s (%v)", time.Since(start), err)
	}
	h.Pause(time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := h.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ended context: got %v, want its error", err)
	}
}
