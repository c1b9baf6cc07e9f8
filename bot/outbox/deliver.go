package outbox

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/storage"
)

// errLost says a message's lease went to another sender before it was sent.
var errLost = errors.New("lease lost before sending")

// deliver does a worker's part for one picked message: put it back, or check it is
// still true, send it and settle it in the store (ack, retry or bury).
func (s *sender) deliver(ctx context.Context, it *item) {
	if it.job != jobSend {
		s.finish(it, time.Time{}, nil)
		s.putBack(ctx, it, it.due, false)
		return
	}
	if it.chat == undecodable {
		s.finish(it, time.Time{}, nil)
		s.bury(ctx, it, "onleesbaar bericht")
		return
	}
	m := it.env.Message
	if m.About != nil && s.fresh != nil && s.o.now().Sub(time.UnixMilli(it.env.At)) >= freshAfter {
		out, send, err := s.fresh.Current(ctx, m)
		switch {
		case err != nil && ctx.Err() != nil:
			s.finish(it, time.Time{}, nil) // shutting down: the lease brings it back
			return
		case err != nil:
			s.failedBefore(ctx, it, fmt.Errorf("check that the message is still true: %w", err))
			return
		case !send:
			s.finish(it, time.Time{}, nil)
			s.log.Debug("message no longer true, not sent", "kind", m.About.Kind, "round", m.About.Round)
			s.mu.Lock()
			s.stats.Skipped++
			it.skipped = true
			s.mu.Unlock()
			s.acks <- it
			return
		}
		out.To, out.Participant = m.To, m.Participant
		m = out
	}
	if err := s.attachments(ctx, &m); err != nil {
		s.finish(it, time.Time{}, nil)
		if errors.Is(err, storage.ErrNotFound) {
			s.log.Error("attachment expired, giving up", "id", it.ID, "err", err)
			s.bury(ctx, it, "bijlage niet meer beschikbaar")
			return
		}
		s.log.Warn("load attachment", "id", it.ID, "err", err)
		s.putBack(ctx, it, s.o.now().Add(time.Second), true)
		return
	}
	// the last check, just before the request: a 429 that another worker got while
	// this one waited for its turn pauses this send too
	if err := s.waitPause(ctx, it); err != nil {
		s.finish(it, time.Time{}, nil) // shutting down, or lost: the lease decides
		return
	}
	if s.shared() {
		wait, err := s.takeShared(ctx, it)
		switch {
		case errors.Is(err, errLost) || ctx.Err() != nil:
			s.finish(it, time.Time{}, nil)
			return
		case err != nil:
			// never unlimited: without Redis's word the message waits
			s.failedBefore(ctx, it, err)
			return
		case wait > 0:
			s.deferChat(it, wait)
			return
		}
	}
	err := s.ch.Send(ctx, m)
	s.settle(ctx, it, time.Now(), err)
}

// settle acts on the answer to a send made at at.
func (s *sender) settle(ctx context.Context, it *item, at time.Time, err error) {
	var limited *bot.RateLimitedError
	switch {
	case err == nil:
		s.finish(it, at, nil)
		s.mu.Lock()
		s.stats.Sent++
		s.mu.Unlock()
		s.acks <- it
	case errors.As(err, &limited):
		if !limited.ChatOnly { // a chat's own limit holds that chat only
			s.pause(time.Now().Add(limited.RetryAfter))
			s.sharePause(ctx, limited.RetryAfter)
		}
		s.log.Warn("rate limited by platform", "retry_after", limited.RetryAfter, "chat_only", limited.ChatOnly)
		due := ceilMilli(s.o.now().Add(limited.RetryAfter))
		s.finish(it, at, &chatHold{id: it.ID, until: due})
		s.mu.Lock()
		s.stats.RateLimited++
		s.mu.Unlock()
		s.putBack(ctx, it, due, false)
	case errors.Is(err, bot.ErrRecipientGone):
		s.finish(it, at, nil)
		m := it.env.Message
		s.log.Info("recipient gone, marking inactive", "participant", m.Participant)
		if m.Participant != "" && s.o.onGone != nil {
			if gerr := s.o.onGone(ctx, m.Participant); gerr != nil {
				s.log.Error("mark participant inactive", "err", gerr)
			}
		}
		s.bury(ctx, it, "ontvanger onbereikbaar (bot geblokkeerd of account weg)")
	case errors.Is(err, bot.ErrPermanent):
		s.finish(it, at, nil)
		s.log.Error("message refused by platform, giving up", "id", it.ID, "err", err)
		s.bury(ctx, it, "door het platform geweigerd: "+safeReason(err))
	case ctx.Err() != nil:
		s.finish(it, at, nil) // shutting down mid-send: the lease brings it back
	case storage.Unavailable(err):
		// the channel's own state in Redis (WhatsApp's window and held messages)
		// could not be read or written: as before the send, not the message's fault
		s.unavailable(ctx, it, at, err)
	default:
		s.failed(ctx, it, at, err)
	}
}

// failed retries a message after a temporary failure, with backoff, or gives up on
// it after MaxAttempts. Later messages of its priority to the chat wait behind it.
func (s *sender) failed(ctx context.Context, it *item, at time.Time, err error) {
	if it.Attempts+1 >= s.maxAttempts {
		s.finish(it, at, nil)
		s.log.Error("message failed too often, giving up", "id", it.ID, "attempts", it.Attempts+1, "err", err)
		s.bury(ctx, it, fmt.Sprintf("opgegeven na %s: %s", dutch.Plural(int64(it.Attempts+1), "poging", "pogingen"), safeReason(err)))
		return
	}
	delay := backoff(it.Attempts)
	due := ceilMilli(s.o.now().Add(delay))
	s.log.Warn("send failed, will retry", "id", it.ID, "in", delay, "err", err)
	s.finish(it, at, &chatHold{id: it.ID, until: due})
	s.putBack(ctx, it, due, true)
}

// failedBefore retries a message whose check before the send failed. When Redis was
// down or failing over (storage.Unavailable) that is not the message's fault: it
// waits as long as a failed attempt would, but the attempt is not counted, so that
// no outage buries a message, however long it lasts.
func (s *sender) failedBefore(ctx context.Context, it *item, err error) {
	if !storage.Unavailable(err) {
		s.failed(ctx, it, time.Time{}, err)
		return
	}
	s.unavailable(ctx, it, time.Time{}, err)
}

// unavailable retries a message whose sending failed on Redis being down or failing
// over, without counting the attempt (failedBefore); at is when the platform
// answered, zero when no request went.
func (s *sender) unavailable(ctx context.Context, it *item, at time.Time, err error) {
	delay := backoff(it.Attempts)
	due := ceilMilli(s.o.now().Add(delay))
	s.log.Warn("redis unavailable, will retry", "id", it.ID, "in", delay, "err", err)
	s.finish(it, at, &chatHold{id: it.ID, until: due})
	s.putBack(ctx, it, due, false)
}

// finish ends the worker's turn with it (sched.doneLocked).
func (s *sender) finish(it *item, answeredAt time.Time, hold *chatHold) {
	s.mu.Lock()
	s.doneLocked(it, answeredAt, hold)
	s.mu.Unlock()
}

// putBack returns a message to the queue, due at due, and forgets it here.
func (s *sender) putBack(ctx context.Context, it *item, due time.Time, countAttempt bool) {
	s.settling.Lock()
	defer s.settling.Unlock()
	err := s.o.store.Retry(ctx, s.name, it.ID, due, countAttempt)
	s.report("put message back", it, err)
	s.mu.Lock()
	if err == nil && countAttempt {
		s.stats.Retried++
	}
	s.settledLocked(it)
	s.mu.Unlock()
}

// bury gives up on a message, with a reason for `participatiebot outbox dead`.
func (s *sender) bury(ctx context.Context, it *item, reason string) {
	s.settling.Lock()
	defer s.settling.Unlock()
	err := s.o.store.Bury(ctx, s.name, it.ID, s.o.now(), reason, s.o.cfg.Dead)
	s.report("give up on message", it, err)
	s.mu.Lock()
	if err == nil {
		s.stats.Buried++
	}
	s.settledLocked(it)
	s.mu.Unlock()
}

func (s *sender) report(what string, it *item, err error) {
	switch {
	case err == nil:
	case errors.Is(err, storage.ErrLeaseLost):
		s.log.Warn(what+": another sender holds it now", "id", it.ID)
		s.mu.Lock()
		s.stats.LeaseLost++
		s.mu.Unlock()
	default:
		s.log.Error(what+"; its lease brings it back", "id", it.ID, "err", err)
	}
}

// waitPause waits out a platform pause (429) and reports errLost when the message's
// lease went elsewhere meanwhile.
func (s *sender) waitPause(ctx context.Context, it *item) error {
	for {
		s.mu.Lock()
		d, lost := time.Until(s.pausedUntil), it.lost
		s.mu.Unlock()
		switch {
		case lost:
			return errLost
		case d <= 0:
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// pause stops the channel's sends until until (real clock).
func (s *sender) pause(until time.Time) {
	s.mu.Lock()
	if until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
	s.notifyLocked()
	s.mu.Unlock()
}

// attachments loads the data of attachments sent by reference: the image, the
// document and every image of an album (bot.LoadFiles).
func (s *sender) attachments(ctx context.Context, m *bot.Message) error {
	return bot.LoadFiles(ctx, m, s.o.store.Blob)
}

// backoff is 2s, 4s, 8s … capped at 5 minutes.
func backoff(attempts int) time.Duration {
	d := 2 * time.Second << min(attempts, 8)
	return min(d, 5*time.Minute)
}

// longNumber is a run of digits as long as a chat or user id.
var longNumber = regexp.MustCompile(`[0-9]{5,}`)

// safeReason is an error as a dead letter keeps it: without anything that could be a
// chat or user id, and short.
func safeReason(err error) string {
	r := []rune(longNumber.ReplaceAllString(err.Error(), "…"))
	if len(r) > 200 {
		r = append(r[:200], '…')
	}
	return string(r)
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
