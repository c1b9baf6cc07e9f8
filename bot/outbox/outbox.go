package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// Outbox is the one way messages leave the service. Messages are queued in Redis
// first (so a crash loses none, and a dedupe key sends a broadcast message once),
// then sent per channel within the platform's limits, replies before bulk. The outbox
// alone decides about retries: channels only classify failures (bot.ErrRecipientGone,
// bot.ErrPermanent, *bot.RateLimitedError, anything else temporary).
type Outbox struct {
	store    Store
	channels map[string]bot.Channel
	quiet    QuietHours
	now      func() time.Time
	log      *slog.Logger
	onGone   func(ctx context.Context, pid string) error
	cfg      Config
	wake     map[string]chan struct{} // per channel, poked by Post; fixed after New

	mu      sync.Mutex
	fresh   bot.Freshness
	senders map[string]*sender // while Run runs
}

var _ bot.BatchPoster = (*Outbox)(nil)

// DefaultLease is how long a claimed message is held for its sender when the sender
// does not renew it: its heartbeat renews it every third of a lease, so after a crash
// its messages come back within DefaultLease.
const DefaultLease = 15 * time.Second

// Config configures an Outbox.
type Config struct {
	Quiet QuietHours
	// Now is the clock of the queue (due times, leases, backoff); time.Now when nil.
	// The platform's limits and retry_after always run on the real clock.
	Now func() time.Time
	// OnGone is told about recipients that are gone (blocked the bot).
	OnGone func(ctx context.Context, pid string) error
	// Fresh, when set, is asked just before a message with About is sent whether it
	// is still true, and for the message to send (the Engine), once the message is
	// 5 seconds old (freshAfter). SetFresh sets it later.
	Fresh bot.Freshness
	// Workers is the number of parallel sends per channel (default: enough for 50 ms
	// a request at the channel's rate, 4 to 32; 4 without a limit). Messages to one
	// chat still go one at a time, in order.
	Workers int
	// Lease is how long a claimed message is held without its sender's heartbeat
	// (default DefaultLease, 15 s).
	Lease time.Duration
	// MaxAttempts is how many temporary failures a message survives (default 8).
	MaxAttempts int
	// Dead bounds the dead letters per channel (default storage.DefaultDeadKeep:
	// 30 days, 10,000).
	Dead storage.DeadKeep
}

// Validate checks the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("outbox: workers %d: want 0 (default) or more", c.Workers))
	}
	if c.Lease < 0 || c.Lease > 0 && c.Lease < 300*time.Millisecond {
		errs = append(errs, fmt.Errorf("outbox: lease %s: want 0 (default %s) or at least 300ms", c.Lease, DefaultLease))
	}
	if c.MaxAttempts < 0 {
		errs = append(errs, fmt.Errorf("outbox: max attempts %d: want 0 (default) or more", c.MaxAttempts))
	}
	if c.Dead.Age < 0 || c.Dead.Max < 0 {
		errs = append(errs, fmt.Errorf("outbox: dead letters kept %s, %d: want 0 (default) or more", c.Dead.Age, c.Dead.Max))
	}
	return errors.Join(errs...)
}

// envelope is a queued message as stored.
type envelope struct {
	Message bot.Message `json:"m"`
	Quiet   bool        `json:"q,omitempty"`
	// At is when it was queued (unix ms, the queue's clock); 0 in earlier versions.
	At int64 `json:"t,omitempty"`
}

// freshAfter is the age from which a message with About is checked (Freshness) before
// it is sent. A younger one goes as it was rendered: it was true when it was queued a
// moment ago, and what it depends on may not be saved yet (the engine saves a
// resident's session just after it queues the next prompt), so a check would judge it
// by the state before. What the check is for waited far longer: behind a broadcast,
// through quiet hours, or a lease after a crash (at least a lease after it was queued).
const freshAfter = 5 * time.Second

// New returns an outbox for the given channels.
func New(store Store, channels []bot.Channel, cfg Config, log *slog.Logger) *Outbox {
	o := &Outbox{store: store, channels: map[string]bot.Channel{}, quiet: cfg.Quiet, now: cfg.Now,
		log: log, onGone: cfg.OnGone, wake: map[string]chan struct{}{}, cfg: cfg, fresh: cfg.Fresh,
		senders: map[string]*sender{}}
	if o.now == nil {
		o.now = time.Now
	}
	for _, c := range channels {
		o.channels[c.Name()] = c
		o.wake[c.Name()] = make(chan struct{}, 1)
	}
	return o
}

// SetFresh sets Config.Fresh, for an engine that is built after the outbox (it posts
// through it). Call it before Run.
func (o *Outbox) SetFresh(f bot.Freshness) {
	o.mu.Lock()
	o.fresh = f
	o.mu.Unlock()
}

func (o *Outbox) freshness() bot.Freshness {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.fresh
}

// Post queues a message. It reports whether it was queued (false: the dedupe key was
// used before). A message for a channel that is not running is queued all the same and
// goes out once that channel runs. A reply's dedupe key lives at most bot.Redelivery.
func (o *Outbox) Post(ctx context.Context, m bot.Message, p bot.Post) (bool, error) {
	queued, err := o.PostBatch(ctx, []bot.Outgoing{{Message: m, Post: p}})
	if err != nil {
		return false, err
	}
	return queued[0], nil
}

// PostBatch queues many messages in a few round trips per channel (storage's
// EnqueueBatch: pipelines of a thousand); queued[i] says whether out[i] was queued.
// Posting a batch again after an error is safe for messages with a dedupe key.
func (o *Outbox) PostBatch(ctx context.Context, out []bot.Outgoing) ([]bool, error) {
	queued := make([]bool, len(out))
	byChannel := map[string][]int{}
	var order []string
	for i, g := range out {
		ch := g.Message.To.Channel
		if _, ok := byChannel[ch]; !ok {
			order = append(order, ch)
		}
		byChannel[ch] = append(byChannel[ch], i)
	}
	now := o.now()
	for _, ch := range order {
		idx := byChannel[ch]
		entries := make([]storage.OutboxEntry, len(idx))
		for j, i := range idx {
			e, err := o.entry(out[i].Message, out[i].Post, now)
			if err != nil {
				return queued, err
			}
			entries[j] = e
		}
		q, err := o.store.EnqueueBatch(ctx, ch, entries)
		for j, ok := range q {
			queued[idx[j]] = ok
		}
		if len(q) > 0 {
			o.poke(ch)
		}
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}

func (o *Outbox) entry(m bot.Message, p bot.Post, now time.Time) (storage.OutboxEntry, error) {
	payload, err := json.Marshal(envelope{Message: m, Quiet: p.Quiet, At: now.UnixMilli()})
	if err != nil {
		return storage.OutboxEntry{}, fmt.Errorf("encode message: %w", err)
	}
	due := now
	if p.Quiet {
		due = o.quiet.Until(due)
	}
	keep := p.DedupeFor
	if p.Priority == bot.Reply && (keep <= 0 || keep > bot.Redelivery) {
		keep = bot.Redelivery
	}
	return storage.OutboxEntry{Payload: payload, Due: due, Dedupe: p.Dedupe, Keep: keep, Bulk: p.Priority == bot.Bulk}, nil
}

func (o *Outbox) poke(channel string) {
	if w := o.wake[channel]; w != nil {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// Run sends queued messages for every channel until ctx ends.
func (o *Outbox) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(o.channels))
	for name, ch := range o.channels {
		s := newSender(o, ch, o.log.With("channel", name))
		o.mu.Lock()
		o.senders[name] = s
		o.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("outbox %s: %w", name, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Stats count what a channel's sender did since Run started.
type Stats struct {
	Sent        int // sends the platform accepted
	Skipped     int // not sent: no longer true when their turn came (Freshness)
	Retried     int // temporary failures put back for a retry
	RateLimited int // 429s from the platform
	Buried      int // given up on (dead letters)
	LeaseLost   int // settles refused because another sender held the message
}

// Stats reports a running channel's counts (zero before Run).
func (o *Outbox) Stats(channel string) Stats {
	o.mu.Lock()
	s := o.senders[channel]
	o.mu.Unlock()
	if s == nil {
		return Stats{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}
