package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
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

// RoundTrip sends r through next, held while a pause runs when sending says r is a
// sending request, and pauses the hold the moment an answer is a 429, for what
// pauseOf reads from it (its body, read once, is given to pauseOf and put back for
// the client library): not once the library has read the answer and the error is
// classified, which under load can take long enough for other senders' requests to
// go meanwhile.
func (h *Hold) RoundTrip(next http.RoundTripper, r *http.Request, sending func(path string) bool,
	pauseOf func(header http.Header, body []byte) time.Duration) (*http.Response, error) {
	if sending(r.URL.Path) {
		if err := h.Wait(r.Context()); err != nil {
			return nil, err
		}
	}
	resp, err := next.RoundTrip(r)
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		h.Pause(pauseOf(resp.Header, body))
	}
	return resp, err
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
