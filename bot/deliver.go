package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"golang.org/x/time/rate"
)

// deliver sends one claimed message and settles it in the store: ack, retry or bury.
func (s *sender) deliver(ctx context.Context, it storage.OutboxItem) {
	defer s.end(it.ID)
	name := s.ch.Name()
	var env envelope
	if err := json.Unmarshal(it.Payload, &env); err != nil {
		s.log.Error("undecodable message, giving up", "id", it.ID, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now()))
		return
	}
	m := env.Message
	now := s.o.now()
	if env.Quiet {
		if until := s.o.quiet.Until(now); until.After(now) {
			s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, until, false))
			return
		}
	}
	if err := s.wait(ctx, m.To.ChatID); err != nil {
		return // shutting down: the lease brings the message back
	}
	err := s.ch.Send(ctx, m)
	var limited *RateLimitedError
	switch {
	case err == nil:
		s.settle(ctx, it, s.o.store.Ack(ctx, name, it.ID))
	case errors.As(err, &limited):
		until := s.o.now().Add(limited.RetryAfter)
		s.pause(until)
		s.log.Warn("rate limited by platform", "retry_after", limited.RetryAfter)
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, until, false))
	case errors.Is(err, ErrRecipientGone):
		s.log.Info("recipient gone, marking inactive", "participant", m.Participant)
		if m.Participant != "" && s.o.onGone != nil {
			if gerr := s.o.onGone(ctx, m.Participant); gerr != nil {
				s.log.Error("mark participant inactive", "err", gerr)
			}
		}
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now()))
	case errors.Is(err, ErrPermanent):
		s.log.Error("message refused by platform, giving up", "id", it.ID, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now()))
	case ctx.Err() != nil:
		// shutting down mid-send: the lease brings it back
	case it.Attempts+1 >= s.maxAttempts:
		s.log.Error("message failed too often, giving up", "id", it.ID, "attempts", it.Attempts+1, "err", err)
		s.settle(ctx, it, s.o.store.Bury(ctx, name, it.ID, s.o.now()))
	default:
		delay := backoff(it.Attempts)
		s.log.Warn("send failed, will retry", "id", it.ID, "in", delay, "err", err)
		s.settle(ctx, it, s.o.store.Retry(ctx, name, it.ID, s.o.now().Add(delay), true))
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
