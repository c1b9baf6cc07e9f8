package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
	"golang.org/x/time/rate"
)

// attachments loads the data of attachments sent by reference: the image, the
// document and every image of an album (bot.LoadFiles).
func (s *sender) attachments(ctx context.Context, m *bot.Message) error {
	return bot.LoadFiles(ctx, m, s.o.store.Blob)
}

// deliver sends one claimed message and settles it in the store: ack, retry or bury.
// A message to a chat that has an earlier message waiting for a retry is put back
// behind it, so messages to one chat keep their order.
func (s *sender) deliver(ctx context.Context, it storage.OutboxItem) {
	defer s.end(it.ID)
	name := s.ch.Name()
	var env envelope
	if err := json.Unmarshal(it.Payload, &env); err != nil {
		s.log.Error("undecodable message, giving up", "id", it.ID, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now(), "", storage.DeadKeep{}))
		return
	}
	m := env.Message
	chat := m.To.ChatID
	now := s.o.now()
	if env.Quiet {
		if until := s.o.quiet.Until(now); until.After(now) {
			s.release(chat, it.ID) // held back on purpose: later replies need not wait
			s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, until, false))
			return
		}
	}
	if until, ok := s.behind(chat, it.ID, now); ok {
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, until, false))
		return
	}
	if err := s.attachments(ctx, &m); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			s.log.Error("attachment expired, giving up", "id", it.ID, "err", err)
			s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now(), "", storage.DeadKeep{}))
			return
		}
		s.log.Warn("load attachment", "id", it.ID, "err", err)
		s.release(chat, it.ID)
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, s.o.now().Add(time.Second), true))
		return
	}
	if err := s.wait(ctx, chat); err != nil {
		return // shutting down: the lease brings the message back
	}
	err := s.ch.Send(ctx, m)
	s.release(chat, it.ID)
	var limited *bot.RateLimitedError
	switch {
	case err == nil:
		s.settle(ctx, it, s.o.store.Ack(ctx, name, it.ID))
	case errors.As(err, &limited):
		until := s.o.now().Add(limited.RetryAfter)
		s.pause(until)
		s.log.Warn("rate limited by platform", "retry_after", limited.RetryAfter)
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, s.hold(chat, it.ID, until), false))
	case errors.Is(err, bot.ErrRecipientGone):
		s.log.Info("recipient gone, marking inactive", "participant", m.Participant)
		if m.Participant != "" && s.o.onGone != nil {
			if gerr := s.o.onGone(ctx, m.Participant); gerr != nil {
				s.log.Error("mark participant inactive", "err", gerr)
			}
		}
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now(), "", storage.DeadKeep{}))
	case errors.Is(err, bot.ErrPermanent):
		s.log.Error("message refused by platform, giving up", "id", it.ID, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now(), "", storage.DeadKeep{}))
	case ctx.Err() != nil:
		// shutting down mid-send: the lease brings it back
	case it.Attempts+1 >= s.maxAttempts:
		s.log.Error("message failed too often, giving up", "id", it.ID, "attempts", it.Attempts+1, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now(), "", storage.DeadKeep{}))
	default:
		delay := backoff(it.Attempts)
		s.log.Warn("send failed, will retry", "id", it.ID, "in", delay, "err", err)
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, s.hold(chat, it.ID, s.o.now().Add(delay)), true))
	}
}

func (s *sender) settle(ctx context.Context, it storage.OutboxItem, err error) {
	if err != nil && ctx.Err() == nil {
		s.log.Error("settle message", "id", it.ID, "err", err)
	}
}

// backoff is 2s, 4s, 8s … capped at 5 minutes.
func backoff(attempts int) time.Duration {
	d := 2 * time.Second << min(attempts, 8)
	return min(d, 5*time.Minute)
}

// wait blocks until the channel may send to chat: after a platform-wide pause (429),
// within the global and the per-chat limits.
func (s *sender) wait(ctx context.Context, chat string) error {
	for {
		s.mu.Lock()
		d := s.pausedUntil.Sub(s.o.now())
		s.mu.Unlock()
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	if err := s.chatLimiter(chat).Wait(ctx); err != nil {
		return err
	}
	return s.global.Wait(ctx)
}

func (s *sender) pause(until time.Time) {
	s.mu.Lock()
	if until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
	s.mu.Unlock()
}

func (s *sender) chatLimiter(chat string) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.perChat[chat]
	if l == nil {
		lim := s.ch.Limits()
		if len(s.perChat) > 10000 { // forget idle chats; a fresh limiter starts full
			for k, v := range s.perChat {
				if v.Tokens() >= float64(v.Burst()) {
					delete(s.perChat, k)
				}
			}
		}
		l = rate.NewLimiter(rate.Limit(lim.PerChatPerSecond), max(lim.PerChatBurst, 1))
		s.perChat[chat] = l
	}
	return l
}

// chatHold is a message to a chat that failed and waits for its retry.
type chatHold struct {
	id    string
	until time.Time // when it is due again
}

// hold records that message id to chat is retried at until; later messages to chat
// wait behind it. It returns until rounded up to whole milliseconds, as the queue
// stores it.
func (s *sender) hold(chat, id string, until time.Time) time.Time {
	until = ceilMilli(until)
	s.mu.Lock()
	s.held[chat] = chatHold{id: id, until: until}
	s.mu.Unlock()
	return until
}

// release ends the hold of message id on chat, if it has one.
func (s *sender) release(chat, id string) {
	s.mu.Lock()
	if h, ok := s.held[chat]; ok && h.id == id {
		delete(s.held, chat)
	}
	s.mu.Unlock()
}

// behind reports whether message id must wait for an earlier message to chat that is
// held, and until when: no earlier than the held one is due, as the queue gives
// messages due at the same time in id (posting) order; and a second ahead at least,
// should the held one be late. A hold whose message has not come back a lease after it
// was due (another replica took it) is forgotten.
func (s *sender) behind(chat, id string, now time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.held[chat]
	switch {
	case !ok || id <= h.id: // ids are zero-padded, so they sort as numbers
		return time.Time{}, false
	case now.After(h.until.Add(s.lease)):
		delete(s.held, chat)
		return time.Time{}, false
	}
	return latest(h.until, ceilMilli(now.Add(time.Second))), true
}

func ceilMilli(t time.Time) time.Time {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return time.UnixMilli(ms)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
