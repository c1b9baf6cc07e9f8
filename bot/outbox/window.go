package outbox

import (
	"math"
	"slices"
	"time"
)

// maxBurst is the most sends a window lets go back to back, whatever a channel's
// Limits.Burst says: a platform's limit is a rate, and a burst of hundreds (a burst
// equal to the rate) is what its flood control punishes. Above 200 a second the burst
// is 20 ms worth of sends instead: on a busy machine a timer wakes the sender several
// milliseconds late, and a smaller burst would lose those milliseconds' sends for good.
const maxBurst = 4

// slowAfter is how long an unanswered send holds its place in a window as unanswered.
// After that it counts as if answered then: one hung request must not take a slot for
// as long as it hangs (one slow chat never delays the others).
const slowAfter = 2 * time.Second

// window lets at most n sends through in any span of w. A send holds its place from
// the moment it is let through until w after its answer came back, not after it was
// let through: a request that leaves after another's answer came back also arrives
// after that other one, so however long requests travel, the platform never sees n+1
// in any span of w. Within that, sends are spaced w/n apart after a burst of at most
// burst (the generic cell rate algorithm), so a second's sends spread over the second
// instead of bunching at its start.
//
// A send may count as several messages (an album: Telegram counts each of its
// images): it takes that many places, all of them if it has more, and the steady rate
// spaces the next send as many intervals after it.
//
// A window is not safe for concurrent use; the sender guards it.
type window struct {
	n         int
	w         time.Duration
	interval  time.Duration // w/n
	tolerance time.Duration // (burst-1) intervals
	bucket    bool          // no count of sends in w: the rate and burst alone (newBucket)
	tat       time.Time     // when the next send is due at the steady rate (GCRA)
	inflight  []slot        // the unanswered sends
	done      []time.Time   // a place for each message answered in the last w, oldest first, from head on
	head      int
}

// slot is an unanswered send: when it was let through, and the places it holds.
type slot struct {
	at     time.Time
	places int
}

// newWindow is the window for perSecond sends a second with the given burst; nil (no
// limit) when perSecond is not positive. Below one a second, n is 1 and the span
// longer (0.5 a second: one in any 2 s).
func newWindow(perSecond float64, burst int) *window {
	if perSecond <= 0 || math.IsInf(perSecond, 1) || math.IsNaN(perSecond) {
		return nil
	}
	return newWindowOf(perSecond, burst)
}

// newBucket is a limit of burst sends at once and then perSecond (WhatsApp's pair
// rate: 45 to one resident, then one every 6 s): the cell rate algorithm alone, with
// the whole burst, and no window counting sends; nil without a limit.
func newBucket(perSecond float64, burst int) *window {
	if perSecond <= 0 || math.IsInf(perSecond, 1) || math.IsNaN(perSecond) {
		return nil
	}
	interval := time.Duration(float64(time.Second) / perSecond)
	return &window{n: max(burst, 1), w: interval * time.Duration(max(burst, 1)), interval: interval,
		tolerance: time.Duration(max(burst, 1)-1) * interval, bucket: true}
}

func newWindowOf(perSecond float64, burst int) *window {
	n, w := int(perSecond), time.Second
	if perSecond < 1 {
		n, w = 1, time.Duration(float64(time.Second)/perSecond)
	}
	b := max(min(max(burst, 1), n, maxBurst), n/50)
	interval := w / time.Duration(n)
	return &window{n: n, w: w, interval: interval, tolerance: time.Duration(b-1) * interval}
}

// prune drops the answers that no longer hold a place at now.
func (l *window) prune(now time.Time) {
	for l.head < len(l.done) && !l.done[l.head].Add(l.w).After(now) {
		l.head++
	}
	if l.head == len(l.done) || l.head > 64 && 2*l.head > len(l.done) {
		l.done = append(l.done[:0], l.done[l.head:]...)
		l.head = 0
	}
}

// wait is how long until a send of messages messages may be let through: 0 now;
// otherwise the time to wait at most before asking again (an answer coming back may
// free a place sooner). A send holds its places until w after its answer or,
// unanswered, w after slowAfter.
func (l *window) wait(now time.Time, messages int) time.Duration {
	l.prune(now)
	if l.bucket {
		if d := l.tat.Add(-l.tolerance).Sub(now); d > 0 {
			return d
		}
		return 0
	}
	held, free := len(l.done)-l.head, time.Duration(math.MaxInt64)
	if held > 0 {
		free = l.done[l.head].Add(l.w).Sub(now)
	}
	for _, s := range l.inflight {
		if end := s.at.Add(slowAfter + l.w); end.After(now) {
			held += s.places
			free = min(free, end.Sub(now))
		}
	}
	if held > 0 && held+min(messages, l.n) > l.n {
		return free
	}
	if d := l.tat.Add(-l.tolerance).Sub(now); d > 0 {
		return d
	}
	return 0
}

// take lets a send of messages messages through at now (after wait said 0) and
// returns its token for answered or cancel.
func (l *window) take(now time.Time, messages int) time.Time {
	messages = max(messages, 1)
	l.tat = latest(l.tat, now).Add(time.Duration(messages) * l.interval)
	l.inflight = append(l.inflight, slot{at: now, places: min(messages, l.n)})
	return now
}

// answered records that the send let through at token was answered at at.
func (l *window) answered(token, at time.Time) {
	s, ok := l.forget(token)
	if !ok {
		return
	}
	// answers come back nearly in order: insert from the end
	i := len(l.done)
	for i > l.head && l.done[i-1].After(at) {
		i--
	}
	l.done = slices.Insert(l.done, i, slices.Repeat([]time.Time{at}, s.places)...)
}

// cancel gives back the places of a send that was let through but did not go (the
// message was no longer true, or went back to the queue).
func (l *window) cancel(token time.Time, messages int) {
	if _, ok := l.forget(token); ok {
		l.tat = l.tat.Add(-time.Duration(max(messages, 1)) * l.interval)
	}
}

func (l *window) forget(token time.Time) (slot, bool) {
	i := slices.IndexFunc(l.inflight, func(s slot) bool { return s.at.Equal(token) })
	if i < 0 {
		return slot{}, false
	}
	s := l.inflight[i]
	l.inflight = slices.Delete(l.inflight, i, i+1)
	return s, true
}

// idle reports whether the window holds nothing any more at now, so its chat can be
// forgotten.
func (l *window) idle(now time.Time) bool {
	l.prune(now)
	return len(l.inflight) == 0 && len(l.done) == l.head && !l.tat.After(now)
}
