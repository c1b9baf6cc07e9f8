package outbox

import (
	"container/heap"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// The sender holds the messages it claimed in memory, per chat, and picks the next one
// to send: a reply before bulk, the oldest chat first, never a chat that is sending or
// has reached its own limit. So one chat that must wait (its per-chat limit, a failed
// message waiting for a retry) never holds up the others, and messages to one chat of
// one priority go in the order they were queued. Replies may overtake bulk to the same
// chat: that is the point of priorities (an invitation still queued when the resident
// already started is then not sent at all: see Freshness).
//
// Everything here is guarded by sender.mu. Memory is bounded by what is claimed (the
// claim caps) plus the chats that sent within the last window: chats are forgotten
// once idle (sweep).

// Priorities, as indexes of the per-priority queues.
const (
	prioReply = 0
	prioBulk  = 1
)

// jobKind is what a worker does with a picked message.
type jobKind int

const (
	jobSend   jobKind = iota // send it (through the limits taken)
	jobBehind                // put it back behind an earlier message to the chat that waits for a retry
	jobQuiet                 // put it back until quiet hours end
)

// item is a claimed message, held until it is settled (acked, retried, buried).
type item struct {
	storage.OutboxItem
	env  envelope
	chat string
	prio int
	// set when picked
	job                    jobKind
	due                    time.Time // jobBehind, jobQuiet: when it is due again
	globalToken, chatToken time.Time // the window places taken for jobSend
	lost                   bool      // the lease went to another sender: do not send
	picked                 bool      // taken out of its chat's queue
	skipped                bool      // acked without sending: no longer true
}

// chatHold is a message to a chat that failed and waits for its retry: later messages
// of its priority wait behind it.
type chatHold struct {
	id    string
	until time.Time // when it is due again (queue clock)
}

// chatState is one chat's messages and limits.
type chatState struct {
	id      string
	queue   [2][]*item // per priority, in id (queueing) order
	busy    bool       // a message of the chat is with a worker
	win     *window    // the per-chat limit; nil: none
	hold    [2]*chatHold
	inReady [2]bool
	parked  time.Time // the parking entry that counts; zero: not parked
}

func (c *chatState) empty() bool { return len(c.queue[prioReply]) == 0 && len(c.queue[prioBulk]) == 0 }

// headPrio is the priority of the message the chat sends next.
func (c *chatState) headPrio() int {
	if len(c.queue[prioReply]) > 0 {
		return prioReply
	}
	return prioBulk
}

// insert puts it in its queue in id order (ids are zero-padded, so they sort as numbers).
func (c *chatState) insert(it *item) {
	q := c.queue[it.prio]
	i := len(q)
	for i > 0 && q[i-1].ID > it.ID {
		i--
	}
	q = append(q, nil)
	copy(q[i+1:], q[i:])
	q[i] = it
	c.queue[it.prio] = q
}

func (c *chatState) remove(it *item) {
	q := c.queue[it.prio]
	for i, x := range q {
		if x == it {
			c.queue[it.prio] = append(q[:i], q[i+1:]...)
			return
		}
	}
}

// fifo is a queue of chats.
type fifo struct {
	q    []*chatState
	head int
}

func (f *fifo) push(c *chatState) { f.q = append(f.q, c) }

func (f *fifo) pop() (*chatState, bool) {
	if f.head == len(f.q) {
		return nil, false
	}
	c := f.q[f.head]
	f.q[f.head] = nil
	f.head++
	if f.head == len(f.q) || f.head > 1024 && f.head*2 > len(f.q) {
		f.q = append(f.q[:0], f.q[f.head:]...)
		f.head = 0
	}
	return c, true
}

func (f *fifo) len() int { return len(f.q) - f.head }

// parking is a min-heap of chats waiting for their per-chat limit, by when.
type parking []parked

type parked struct {
	at   time.Time
	chat *chatState
}

func (p parking) Len() int           { return len(p) }
func (p parking) Less(i, j int) bool { return p[i].at.Before(p[j].at) }
func (p parking) Swap(i, j int)      { p[i], p[j] = p[j], p[i] }
func (p *parking) Push(x any)        { *p = append(*p, x.(parked)) }
func (p *parking) Pop() any {
	old := *p
	x := old[len(old)-1]
	*p = old[:len(old)-1]
	return x
}

// sched is the sender's in-memory state.
type sched struct {
	chats   map[string]*chatState
	items   map[string]*item // every message held, by id
	held    [2]int           // items held per priority
	ready   [2]fifo          // chats whose next message (of that priority) may be picked
	album   *chatState       // a chat whose album waits for its places in the global window: next
	parking parking
	swept   time.Time
}

func newSched() sched {
	return sched{chats: map[string]*chatState{}, items: map[string]*item{}}
}

// addLocked takes a claimed message in; false when it is held already (its lease ran
// out here and this sender claimed it again).
func (s *sender) addLocked(it *item) bool {
	if _, ok := s.items[it.ID]; ok {
		return false
	}
	s.items[it.ID] = it
	s.held[it.prio]++
	c := s.chatLocked(it.chat)
	c.insert(it)
	s.scheduleLocked(c)
	return true
}

func (s *sender) chatLocked(id string) *chatState {
	c := s.chats[id]
	if c == nil {
		c = &chatState{id: id, win: chatWindow(s.limits)}
		s.chats[id] = c
	}
	return c
}

// scheduleLocked makes a chat with a message to send pickable.
func (s *sender) scheduleLocked(c *chatState) {
	if c.busy || c.empty() {
		return
	}
	if p := c.headPrio(); !c.inReady[p] {
		c.inReady[p] = true
		s.ready[p].push(c)
	}
}

// nextLocked picks the message to hand to a worker at now, taking its places in the
// limits; or, when none may go now, says how long to wait at most (negative: until
// something changes).
func (s *sender) nextLocked(now time.Time) (*item, time.Duration) {
	if now.Sub(s.swept) > time.Second {
		s.sweepLocked(now)
	}
	if d := s.pausedUntil.Sub(now); d > 0 {
		return nil, d
	}
	if s.global != nil {
		if d := s.global.wait(now, 1); d > 0 {
			return nil, d
		}
	}
	for s.parking.Len() > 0 && !s.parking[0].at.After(now) {
		p := heap.Pop(&s.parking).(parked)
		if p.chat.parked.Equal(p.at) {
			p.chat.parked = time.Time{}
			s.scheduleLocked(p.chat)
		}
	}
	qnow := s.o.now()
	for p := range s.ready {
		for {
			c, ok := s.album, s.album != nil && p == prioBulk // replies still go first
			if ok {
				s.album = nil
			} else if c, ok = s.ready[p].pop(); ok {
				c.inReady[p] = false
			} else {
				break
			}
			if c.busy || c.empty() {
				continue // scheduled again when its worker is done
			}
			if c.parked.After(now) {
				continue // scheduled again when its parking ends
			}
			prio := c.headPrio()
			it := c.queue[prio][0]
			if it.lost {
				c.queue[prio] = c.queue[prio][1:]
				s.settledLocked(it)
				s.scheduleLocked(c)
				continue
			}
			if until, ok := s.behindLocked(c, it, qnow); ok {
				return s.pickLocked(c, it, jobBehind, until), 0
			}
			if it.env.Quiet {
				if until := s.o.quiet.Until(qnow); until.After(qnow) {
					return s.pickLocked(c, it, jobQuiet, until), 0
				}
			}
			k := s.places(it.env.Message)
			if c.win != nil {
				if d := c.win.wait(now, k); d > 0 {
					c.parked = now.Add(d)
					heap.Push(&s.parking, parked{at: c.parked, chat: c})
					continue
				}
			}
			if s.global != nil && k > 1 {
				if d := s.global.wait(now, k); d > 0 {
					// an album waits for all its places in the global window, and
					// the chats behind it wait too, or single messages would keep
					// taking the places it needs
					if s.album != nil && s.album != c {
						// the one waiting before is in no queue now: back into one,
						// or it would wait for good
						s.scheduleLocked(s.album)
					}
					s.album = c
					return nil, d
				}
			}
			if c.win != nil {
				it.chatToken = c.win.take(now, k)
			}
			if s.global != nil {
				it.globalToken = s.global.take(now, k)
			}
			return s.pickLocked(c, it, jobSend, time.Time{}), 0
		}
	}
	if s.parking.Len() > 0 {
		return nil, s.parking[0].at.Sub(now)
	}
	return nil, -1
}

func (s *sender) pickLocked(c *chatState, it *item, job jobKind, due time.Time) *item {
	c.queue[it.prio] = c.queue[it.prio][1:]
	c.busy = true
	it.job, it.due, it.picked = job, due, true
	return it
}

// holdForget is how long after it was due a hold whose message has not come back here
// (another replica took it) is forgotten.
const holdForget = 2 * time.Minute

// behindLocked reports whether it must wait for an earlier message of its priority to
// its chat that waits for a retry, and until when: no earlier than that one is due, as
// the queue gives messages due at the same time in id order; and a second ahead at
// least, should that one be late.
func (s *sender) behindLocked(c *chatState, it *item, qnow time.Time) (time.Time, bool) {
	h := c.hold[it.prio]
	switch {
	case h == nil || it.ID <= h.id:
		return time.Time{}, false
	case qnow.After(h.until.Add(holdForget)):
		c.hold[it.prio] = nil
		return time.Time{}, false
	}
	return latest(h.until, ceilMilli(qnow.Add(time.Second))), true
}

// doneLocked ends a worker's turn with it: the chat may send again, after hold (when a
// failure set one), and the limits learn when the answer came (zero: nothing was sent).
func (s *sender) doneLocked(it *item, answeredAt time.Time, hold *chatHold) {
	c := s.chatLocked(it.chat)
	if it.job == jobSend {
		k := s.places(it.env.Message)
		if s.global != nil {
			if answeredAt.IsZero() {
				s.global.cancel(it.globalToken, k)
			} else {
				s.global.answered(it.globalToken, answeredAt)
			}
		}
		if c.win != nil {
			if answeredAt.IsZero() {
				c.win.cancel(it.chatToken, k)
			} else {
				c.win.answered(it.chatToken, answeredAt)
			}
		}
	}
	switch {
	case hold != nil:
		c.hold[it.prio] = hold
	case c.hold[it.prio] != nil && c.hold[it.prio].id == it.ID && !answeredAt.IsZero():
		c.hold[it.prio] = nil // the held message went
	}
	c.busy = false
	s.scheduleLocked(c)
	s.notifyLocked()
}

// unpickLocked undoes nextLocked for a message no worker took.
func (s *sender) unpickLocked(it *item) {
	s.doneLocked(it, time.Time{}, nil)
	s.chatLocked(it.chat).insert(it)
	it.picked = false
}

// settledLocked forgets a message that is settled in the store (or lost).
func (s *sender) settledLocked(it *item) {
	if _, ok := s.items[it.ID]; !ok {
		return
	}
	delete(s.items, it.ID)
	s.held[it.prio]--
	if it.prio == prioBulk && s.held[prioBulk] == s.bulkCap*3/4 || it.prio == prioReply && s.held[prioReply] == s.replyCap*3/4 {
		select {
		case s.room <- struct{}{}:
		default:
		}
	}
}

// loseLocked drops messages whose lease another sender has now.
func (s *sender) loseLocked(ids []string) {
	for _, id := range ids {
		it := s.items[id]
		if it == nil {
			continue
		}
		it.lost = true
		if !it.picked {
			s.chatLocked(it.chat).remove(it)
			s.settledLocked(it)
		}
	}
}

// sweepLocked forgets idle chats: nothing queued or sending, no hold, limits empty.
func (s *sender) sweepLocked(now time.Time) {
	s.swept = now
	qnow := s.o.now()
	for id, c := range s.chats {
		for p, h := range c.hold {
			if h != nil && qnow.After(h.until.Add(holdForget)) {
				c.hold[p] = nil
			}
		}
		if c.busy || !c.empty() || c.hold[0] != nil || c.hold[1] != nil || c.inReady[0] || c.inReady[1] || !c.parked.IsZero() {
			continue
		}
		if c.win != nil && !c.win.idle(now) {
			continue
		}
		delete(s.chats, id)
	}
}

func (s *sender) notifyLocked() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// chatWindow is one chat's limit: a window, or a bucket where the platform's is one.
func chatWindow(l bot.Limits) *window {
	if l.PerChatBucket {
		return newBucket(l.PerChatPerSecond, l.PerChatBurst)
	}
	return newWindow(l.PerChatPerSecond, l.PerChatBurst)
}

// places is how many platform messages m becomes, as the limits count them: the
// channel says, where it knows better (bot.Counter), else m.Messages().
func (s *sender) places(m bot.Message) int {
	if c, ok := s.ch.(bot.Counter); ok {
		return max(c.Messages(m), 1)
	}
	return m.Messages()
}
