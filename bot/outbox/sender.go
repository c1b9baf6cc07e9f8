package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// A sender sends one channel's queue with five goroutines' worth of parts: the claimer
// takes due messages from Redis into memory (replies always, bulk while there is room),
// the dispatcher picks the next one within the limits (sched.go), workers send, the
// acker settles sent messages in batches, and the heartbeat extends the leases of every
// message held. Two clocks: the queue (due times, leases) runs on Config.Now, the
// platform's limits and retry_after on the real clock, as the platform counts.

// startPause is how long a sender with limits waits before its first send: the
// platform's window, as a restart must not add its first second to the last one of
// the process before it.
const startPause = time.Second

// The claim caps: how many messages a sender holds in memory.
const (
	replyCap    = 1000 // replies are few; the cap only bounds memory
	maxBulkCap  = 1000
	perChatBulk = 4 // bulk messages to one chat held at once; the rest wait in Redis
)

// undecodable is the chat of a message whose payload does not decode: its worker
// buries it.
const undecodable = "\x00undecodable"

// sender sends one channel's queue.
type sender struct {
	o           *Outbox
	ch          bot.Channel
	name        string
	log         *slog.Logger
	limits      bot.Limits
	lease       time.Duration
	maxAttempts int
	workers     int
	replyCap    int
	bulkCap     int
	fresh       bot.Freshness
	acks        chan *item
	wake        chan struct{} // a Post for this channel
	room        chan struct{} // held messages fell to three quarters of a cap
	changed     chan struct{} // something the dispatcher waits for changed

	// settling holds a claim together with taking its messages in, and a settle in the
	// store together with forgetting the message here: so a claim that returns a
	// message whose lease ran out while it was sent (same owner) never makes a second
	// copy of it, sent after its ack.
	settling sync.Mutex

	// sharedLim is the channel's limit as the replicas share it (shared.go); the
	// gate lets one worker at a time take places in it, and sharedNext, guarded by
	// the gate, is when the place after this process's last one is due.
	sharedLim  storage.RateLimit
	gate       chan struct{}
	sharedNext time.Time

	mu          sync.Mutex
	global      *window // nil: no global limit
	pausedUntil time.Time
	stats       Stats
	sched
}

func newSender(o *Outbox, ch bot.Channel, log *slog.Logger) *sender {
	lim := ch.Limits()
	cfg := o.cfg
	s := &sender{o: o, ch: ch, name: ch.Name(), log: log, limits: lim, lease: cfg.Lease, maxAttempts: cfg.MaxAttempts,
		workers: cfg.Workers, replyCap: replyCap, fresh: o.freshness(), acks: make(chan *item, 4096),
		wake: o.wake[ch.Name()], room: make(chan struct{}, 1), changed: make(chan struct{}, 1),
		global: newWindow(lim.PerSecond, lim.Burst), sharedLim: sharedLimit(lim), gate: make(chan struct{}, 1), sched: newSched()}
	if s.lease <= 0 {
		s.lease = DefaultLease
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = 8
	}
	if s.workers <= 0 {
		s.workers = defaultWorkers(lim.PerSecond)
	}
	if s.global != nil || lim.PerChatPerSecond > 0 {
		// The process before this one (killed a moment ago) may have used the
		// platform's last second, and its sends are in no window here: start after it.
		s.pausedUntil = time.Now().Add(startPause)
	}
	// enough bulk in memory for half a second at the channel's pace, and for every worker
	s.bulkCap = maxBulkCap
	if lim.PerSecond > 0 && lim.PerSecond/2 < maxBulkCap {
		s.bulkCap = max(int(lim.PerSecond/2), 2*s.workers)
	}
	return s
}

// defaultWorkers is the parallel sends of a channel: enough to keep its rate when a
// request takes 50 ms (a platform's API over the internet), 4 to 32; 4 without a limit
// (a local API server). More is not faster where requests are quick: each parallel
// request needs a connection of its own, Go's HTTP client keeps only two idle per
// host, and the rest are dialled anew.
func defaultWorkers(perSecond float64) int {
	if perSecond <= 0 || math.IsInf(perSecond, 1) {
		return 4
	}
	return int(min(max(math.Ceil(perSecond/20), 4), 32))
}

func (s *sender) run(ctx context.Context) error {
	jobs := make(chan *item)
	var workers, helpers sync.WaitGroup
	for range s.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for it := range jobs {
				s.deliver(ctx, it)
			}
		}()
	}
	acked := make(chan struct{})
	go func() {
		defer close(acked)
		s.ackLoop()
	}()
	helpers.Add(2)
	go func() {
		defer helpers.Done()
		s.claimLoop(ctx)
	}()
	go func() {
		defer helpers.Done()
		s.heartbeat(ctx)
	}()
	err := s.dispatch(ctx, jobs)
	close(jobs)
	workers.Wait()
	helpers.Wait()
	close(s.acks)
	<-acked
	s.releaseUnsent()
	return err
}

// claimLoop keeps the sender supplied: every due reply, and bulk up to the cap.
func (s *sender) claimLoop(ctx context.Context) {
	for ctx.Err() == nil {
		s.mu.Lock()
		replies, bulk := max(s.replyCap-s.held[prioReply], 0), max(s.bulkCap-s.held[prioBulk], 0)
		s.mu.Unlock()
		full := false
		if replies+bulk > 0 {
			s.settling.Lock()
			items, err := s.o.store.ClaimEach(ctx, s.name, s.o.now(), s.lease, replies, bulk, replies+bulk)
			back := s.take(items)
			s.settling.Unlock()
			if err != nil && ctx.Err() == nil {
				s.log.Error("claim messages", "err", err)
			}
			for _, it := range back {
				s.putBack(context.Background(), it, it.due, false)
			}
			full = len(items) == replies+bulk
		}
		if !full {
			s.idle(ctx)
		}
	}
}

// take holds claimed messages; a bulk message to a chat that already has perChatBulk
// held is to go back to the queue behind them (returned), so that one chat's backlog
// leaves room for the others.
func (s *sender) take(items []storage.OutboxItem) (back []*item) {
	in := make([]*item, len(items))
	for i, oi := range items { // decoded before the lock: the dispatcher needs it
		it := &item{OutboxItem: oi, prio: prioReply}
		if oi.Bulk {
			it.prio = prioBulk
		}
		if err := json.Unmarshal(oi.Payload, &it.env); err != nil {
			it.env = envelope{} // buried by its worker as undecodable
			it.chat = undecodable
		} else {
			it.chat = it.env.Message.To.ChatID
		}
		in[i] = it
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range in {
		if !s.addLocked(it) {
			continue
		}
		if c := s.chats[it.chat]; it.prio == prioBulk && len(c.queue[prioBulk]) > perChatBulk {
			last := c.queue[prioBulk][len(c.queue[prioBulk])-1]
			c.remove(last)
			last.picked, last.job = true, jobBehind
			last.due = ceilMilli(s.o.now().Add(time.Second))
			if c.hold[prioBulk] == nil || last.ID < c.hold[prioBulk].id {
				c.hold[prioBulk] = &chatHold{id: last.ID, until: last.due}
			}
			back = append(back, last)
		}
	}
	s.notifyLocked()
	return back
}

// idle waits for a Post, for room, or until the next message is due (at most a second,
// so messages queued by another replica are picked up soon).
func (s *sender) idle(ctx context.Context) {
	wait := time.Second
	if due, ok, err := s.o.store.NextDue(ctx, s.name); err == nil && ok {
		if d := due.Sub(s.o.now()); d < wait {
			wait = max(d, 5*time.Millisecond)
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-s.wake:
	case <-s.room:
	case <-t.C:
	}
}

// dispatch hands the next message to a free worker, whenever the limits allow.
func (s *sender) dispatch(ctx context.Context, jobs chan<- *item) error {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		s.mu.Lock()
		it, wait := s.nextLocked(time.Now())
		s.mu.Unlock()
		if it != nil {
			select {
			case jobs <- it:
				continue
			case <-ctx.Done():
				s.mu.Lock()
				s.unpickLocked(it) // so that releaseUnsent puts it back
				s.mu.Unlock()
				return ctx.Err()
			}
		}
		if wait < 0 {
			wait = time.Second // nothing to do: look again now and then (sweeps the chats)
		}
		t.Reset(wait) // since Go 1.23 a reset timer never delivers a stale tick
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.changed:
		case <-t.C:
		}
	}
}

// ackLoop settles sent messages in batches: whatever was sent while the last batch
// was on its way goes in the next. It runs until acks is closed, and outlives the
// sender's context so that nothing sent is sent again for want of an ack.
func (s *sender) ackLoop() {
	for it := range s.acks {
		batch := []*item{it}
	more:
		for len(batch) < 500 {
			select {
			case it, ok := <-s.acks:
				if !ok {
					break more
				}
				batch = append(batch, it)
			default:
				break more
			}
		}
		s.ack(batch)
	}
}

func (s *sender) ack(batch []*item) {
	var sent, skipped []string
	for _, it := range batch {
		if it.skipped {
			skipped = append(skipped, it.ID)
		} else {
			sent = append(sent, it.ID)
		}
	}
	s.settling.Lock()
	defer s.settling.Unlock()
	lost := s.ackIDs(sent, false) + s.ackIDs(skipped, true)
	s.mu.Lock()
	s.stats.LeaseLost += lost
	for _, it := range batch {
		s.settledLocked(it)
	}
	s.mu.Unlock()
}

// ackIDs acks ids (retrying while Redis restarts) and returns how many another sender held.
func (s *sender) ackIDs(ids []string, skipped bool) int {
	if len(ids) == 0 {
		return 0
	}
	var lost []string
	var err error
	for attempt := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		lost, err = s.o.store.AckMany(ctx, s.name, ids, skipped)
		cancel()
		if err == nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	if err != nil {
		s.log.Error("ack messages; their leases bring them back", "count", len(ids), "err", err)
	}
	if len(lost) > 0 {
		s.log.Warn("acked messages whose lease another sender had taken; they may go twice", "count", len(lost))
	}
	return len(lost)
}

// heartbeat extends the lease of every message held, three times a lease, and drops
// those another sender took meanwhile. Every hour it trims the dead letters.
func (s *sender) heartbeat(ctx context.Context) {
	tick := time.NewTicker(s.lease / 3)
	defer tick.Stop()
	trimmed := time.Time{}
	for {
		if time.Since(trimmed) > time.Hour {
			trimmed = time.Now()
			if err := s.o.store.TrimDead(ctx, s.name, s.o.now(), s.o.cfg.Dead); err != nil && ctx.Err() == nil {
				s.log.Error("trim dead letters", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.mu.Lock()
		ids := make([]string, 0, len(s.items))
		for id := range s.items {
			ids = append(ids, id)
		}
		s.mu.Unlock()
		lost, err := s.o.store.Extend(ctx, s.name, ids, s.o.now().Add(s.lease))
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("extend leases", "count", len(ids), "err", err)
			}
			continue
		}
		if len(lost) > 0 {
			s.log.Warn("leases taken over by another sender", "count", len(lost))
		}
		s.mu.Lock()
		s.stats.LeaseLost += len(lost)
		s.loseLocked(lost)
		s.mu.Unlock()
	}
}

// releaseUnsent puts the messages held but never handed to a worker back in the queue,
// due now, so that a restart sends them at once rather than after their lease.
func (s *sender) releaseUnsent() {
	s.mu.Lock()
	var back []*item
	for _, it := range s.items {
		if !it.picked {
			back = append(back, it)
		}
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, it := range back {
		if err := s.o.store.Retry(ctx, s.name, it.ID, s.o.now(), false); err != nil && !errors.Is(err, storage.ErrLeaseLost) {
			s.log.Warn("release message at shutdown; its lease brings it back", "id", it.ID, "err", err)
			return
		}
	}
}
