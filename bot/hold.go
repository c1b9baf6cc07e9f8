package bot

import (
	"context"
	"sync"
	"time"
)

// Hold keeps a channel's sending requests back while a 429's retry_after runs. The
// outbox pauses a channel when a send reports *RateLimitedError, but it looks before
// each message, and by then other senders' requests may be past that look, and one
// message may be several requests (a long text in parts). A channel's transport is
// the last step before the wire: it calls Wait before every sending request and
// Pause with the retry_after of every 429, so that nothing is sent inside it. The
// zero value holds nothing; it is safe for concurrent use.
type Hold struct {
	mu    sync.Mutex
	until time.Time
}

// Pause holds requests until d from now, or longer if a pause already runs longer.
func (h *Hold) Pause(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.until = latest(h.until, time.Now().Add(d))
}

// Wait returns once no pause runs (at once if none does), or with ctx's error.
func (h *Hold) Wait(ctx context.Context) error {
	for {
		h.mu.Lock()
		d := time.Until(h.until)
		h.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C: // a pause may have been made longer meanwhile: look again
		}
	}
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
