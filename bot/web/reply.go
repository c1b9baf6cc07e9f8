package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// After a post the resident's input is shown in the transcript and the engine's reply
// awaited, so the page the browser is sent back to already holds the answer.

const (
	// pollEvery and settle pace the wait for the reply: the transcript is checked every
	// pollEvery, and once it changed, the wait ends when it stayed the same for settle
	// (the engine often edits the question and then sends the next one).
	pollEvery = 20 * time.Millisecond
	settle    = 60 * time.Millisecond
)

// echoed reports whether the form with this nonce was posted before (a double click,
// a reload, a retry after a failure): its input is in the transcript already.
func (c *Channel) echoed(ctx context.Context, chat, nonce string) (bool, error) {
	n, err := c.store.WebLen(ctx, chat)
	if err != nil {
		return false, err
	}
	// a repeat comes within seconds: the last messages are enough to look at
	_, tail, err := c.store.WebTranscript(ctx, chat, n-50)
	if err != nil {
		return false, err
	}
	for _, raw := range tail {
		var e entry
		if json.Unmarshal(raw, &e) == nil && e.From == fromInwoner && e.Nonce == nonce {
			return true, nil
		}
	}
	return false, nil
}

// echo is a resident's input that this response shows although the transcript keeps
// only a placeholder (entry.Withheld).
type echo struct{ nonce, text string }

// appendEcho shows the resident's input in the transcript, so the page reads like a
// chat; withheld marks text as the placeholder for an input that is not kept.
func (c *Channel) appendEcho(ctx context.Context, chat, nonce, text string, withheld bool) error {
	data, err := json.Marshal(entry{From: fromInwoner, Text: text, Nonce: nonce, Withheld: withheld})
	if err != nil {
		return fmt.Errorf("encode input: %w", err)
	}
	_, err = c.store.WebAppend(ctx, chat, data)
	return err
}

// snapshot is what awaitReply compares: the transcript's length and the message a
// pressed button was on (the engine edits it).
type snapshot struct {
	n      int
	edited string
}

func (c *Channel) snapshot(ctx context.Context, chat, ref string) snapshot {
	var s snapshot
	s.n, _ = c.store.WebLen(ctx, chat)
	if r, ok := parseRef(ref); ok {
		m, _ := c.store.WebMessage(ctx, chat, r.id)
		s.edited = string(m)
	}
	return s
}

// awaitReply waits until the engine's reply is in the transcript: until it changed and
// then settled, or ReplyWait passed (later messages come with the next poll or load).
func (c *Channel) awaitReply(ctx context.Context, chat, ref string, before snapshot) {
	deadline := time.Now().Add(c.cfg.ReplyWait)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	last, changed := before, time.Time{}
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := c.snapshot(ctx, chat, ref)
		switch {
		case now != last:
			last, changed = now, time.Now()
		case !changed.IsZero() && time.Since(changed) >= settle:
			return
		}
	}
}

// keyedMutex serialises the posts of one chat in this process, so a double-clicked
// form is echoed and handled one after the other, not interleaved.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
