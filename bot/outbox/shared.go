package outbox

import (
	"container/heap"
	"context"
	"math"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// Several replicas send for one bot, and the platform counts them together. So a
// send goes only when both its process's windows (window.go: they hold a place until
// after the answer, which only the process knows) and the limits the replicas share
// in Redis let it (storage.TakeRate: the channel's and the chat's rate and a 429's
// pause, one script, one round trip). Each worker asks just before its request; one
// at a time per channel (the gate), and not before the next turn is within reach, so
// a lone replica asks once a send.
//
// Redis decides when a send may go; the platform counts when it arrives. Between the
// two lie the answer's way back, a goroutine's wake-up and the request's way there,
// and these vary: a send let go one spacing after another may arrive less than one
// spacing after it. So the shared rate is stricter than the platform's: n places in
// every span of a second plus jitterBudget, with a burst of one. Then n+1 arrivals
// within one second would need two sends whose ways differed by more than the
// budget. At 30 a second that is 28.6 a second, 0.95 of the limit, at any rate.
//
// A 429 pauses the channel here at once, and in Redis (PauseRate) for the others.
// Every ask reads the pause, and a worker asks just before its request (its turn at
// most turnAhead, 20 ms, later), so another replica sends nothing from 20 ms after the
// pause is written, a round trip after the 429's answer came back: within
// milliseconds, far inside a retry_after (at least a second). What was already on
// its way by then cannot be called back.
//
// Without a limit (PerSecond 0 and PerChatPerSecond 0) nothing is asked, and a pause
// another replica wrote is not seen: such a channel expects no 429.

// jitterBudget is how much longer one send's way from Redis's decision to the
// platform may take than another's, for the shared limits to hold at the platform.
const jitterBudget = 50 * time.Millisecond

// turnAhead is how far ahead a send may be given its turn in the shared limit, so
// that the next send asks while this one waits, and a worker that wakes up to 20 ms
// late to ask (a busy machine) still gets the turn it was due, not a later one lost
// for good: with a burst of one nothing makes up for it (at 5 ms two replicas on this
// project's shared test machine reached 0.85 of 30 a second, at 20 ms 0.95). A
// pause written meanwhile is missed by the sends whose turn was given already: at
// most turnAhead's worth, far inside the ~200 ms a pause may take to reach the others.
const turnAhead = 20 * time.Millisecond

// sharedLimit is a channel's limits as the replicas share them.
func sharedLimit(l bot.Limits) storage.RateLimit {
	lim := storage.RateLimit{Every: sharedEvery(l.PerSecond), PerChatEvery: sharedEvery(l.PerChatPerSecond)}
	if l.PerChatBucket && l.PerChatBurst > 1 && lim.PerChatEvery > 0 {
		// a bucket: the whole burst at once, then the rate
		lim.PerChatEvery = time.Duration(float64(time.Second)/l.PerChatPerSecond) + jitterBudget
		lim.PerChatTolerance = time.Duration(l.PerChatBurst-1) * lim.PerChatEvery
	}
	if lim.Every > 0 {
		lim.Ahead = turnAhead
	}
	return lim
}

// sharedEvery is the spacing for perSecond a second: n places in w (as newWindow
// counts them) plus jitterBudget; 0 without a limit.
func sharedEvery(perSecond float64) time.Duration {
	if perSecond <= 0 || math.IsInf(perSecond, 1) || math.IsNaN(perSecond) {
		return 0
	}
	n, w := int(perSecond), time.Second
	if perSecond < 1 {
		n, w = 1, time.Duration(float64(time.Second)/perSecond)
	}
	return (w + jitterBudget) / time.Duration(n)
}

// shared reports whether the channel has limits the replicas share.
func (s *sender) shared() bool { return s.sharedLim.Every > 0 || s.sharedLim.PerChatEvery > 0 }

// takeShared takes a message's places in the shared limits and waits for its turn: 0
// when it may go now, or how long its chat must wait (another replica sent to it).
// errLost when its lease went elsewhere meanwhile. A 429 while it waited for its
// turn cancels the turn: after the pause it asks again.
func (s *sender) takeShared(ctx context.Context, it *item) (time.Duration, error) {
	for {
		turn, chatWait, err := s.turn(ctx, it)
		if err != nil || chatWait > 0 {
			return chatWait, err
		}
		if err := sleepUntil(ctx, turn); err != nil {
			return 0, err
		}
		s.mu.Lock()
		paused := s.pausedUntil.After(time.Now())
		s.mu.Unlock()
		if !paused {
			return 0, nil
		}
	}
}

// turn asks for a message's places through the gate: when its turn comes, or how
// long its chat must wait.
func (s *sender) turn(ctx context.Context, it *item) (time.Time, time.Duration, error) {
	select {
	case s.gate <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, 0, ctx.Err()
	}
	defer func() { <-s.gate }()
	places := s.places(it.env.Message)
	for {
		if err := sleepUntil(ctx, s.sharedNext); err != nil {
			return time.Time{}, 0, err
		}
		if err := s.waitPause(ctx, it); err != nil {
			return time.Time{}, 0, err
		}
		asked := time.Now()
		got, err := s.o.store.TakeRate(ctx, s.name, it.chat, places, s.sharedLim)
		if err != nil {
			return time.Time{}, 0, err
		}
		switch got.Why {
		case storage.RateTaken:
			// Redis decided after asked: the turn after this one comes within
			// Ahead no earlier than this
			turn := asked.Add(got.Wait)
			s.sharedNext = turn.Add(time.Duration(places)*s.sharedLim.Every - s.sharedLim.Ahead)
			return turn, 0, nil
		case storage.RatePaused:
			s.log.Debug("channel paused by a 429 another replica got", "for", got.Wait)
			s.pause(time.Now().Add(got.Wait))
		case storage.RateChat:
			return time.Time{}, max(got.Wait, time.Millisecond), nil
		default:
			s.sharedNext = time.Now().Add(got.Wait)
		}
	}
}

// deferChat puts a picked message back at the head of its chat, which waits d: its
// place in the shared limit is not free yet (another replica sent to the chat).
// Other chats go on meanwhile.
func (s *sender) deferChat(it *item, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unpickLocked(it)
	c := s.chatLocked(it.chat)
	c.parked = time.Now().Add(d)
	heap.Push(&s.parking, parked{at: c.parked, chat: c})
}

// sharePause tells the other replicas about a 429's pause.
func (s *sender) sharePause(ctx context.Context, d time.Duration) {
	if err := s.o.store.PauseRate(ctx, s.name, d); err != nil && ctx.Err() == nil {
		s.log.Warn("tell the other replicas about the platform's pause", "err", err)
	}
}

// sleepUntil waits until t (real clock) or ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
