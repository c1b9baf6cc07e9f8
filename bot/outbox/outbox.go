package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
	"golang.org/x/time/rate"
)

// Outbox is the one way messages leave the service. Messages are queued in Redis
// first (so a crash loses none, and a dedupe key sends a broadcast message once),
// then sent per channel within the platform's limits. The outbox alone decides about
// retries: channels only classify failures (bot.ErrRecipientGone, bot.ErrPermanent,
// *bot.RateLimitedError, anything else temporary).
type Outbox struct {
	store    *storage.Store
	channels map[string]bot.Channel
	quiet    QuietHours
	now      func() time.Time
	log      *slog.Logger
	// OnGone is called when a recipient is gone for good (blocked the bot).
	onGone func(ctx context.Context, pid string) error
	cfg    Config

	mu   sync.Mutex
	wake map[string]chan struct{}
}

// Config configures an Outbox.
type Config struct {
	Quiet QuietHours
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// OnGone is told about recipients that are gone (blocked the bot).
	OnGone func(ctx context.Context, pid string) error
	// Workers is the number of parallel senders per channel (default 8). Messages to one
	// chat always go through the same worker, in order.
	Workers int
	// Lease is how long a claimed message may take before another sender takes it over
	// (default 2 minutes).
	Lease time.Duration
	// MaxAttempts is how many temporary failures a message survives (default 8).
	MaxAttempts int
}

type envelope struct {
	Message bot.Message `json:"m"`
	Quiet   bool        `json:"q,omitempty"`
}

// New returns an outbox for the given channels.
func New(store *storage.Store, channels []bot.Channel, cfg Config, log *slog.Logger) *Outbox {
	o := &Outbox{store: store, channels: map[string]bot.Channel{}, quiet: cfg.Quiet, now: cfg.Now,
		log: log, onGone: cfg.OnGone, wake: map[string]chan struct{}{}, cfg: cfg}
	if o.now == nil {
		o.now = time.Now
	}
	for _, c := range channels {
		o.channels[c.Name()] = c
		o.wake[c.Name()] = make(chan struct{}, 1)
	}
	return o
}

// Post queues a message. It reports whether it was queued (false: the dedupe key was
// used before). A message for a channel that is not running is queued all the same and
// goes out once that channel runs.
func (o *Outbox) Post(ctx context.Context, m bot.Message, p bot.Post) (bool, error) {
	payload, err := json.Marshal(envelope{Message: m, Quiet: p.Quiet})
	if err != nil {
		return false, fmt.Errorf("encode message: %w", err)
	}
	due := o.now()
	if p.Quiet {
		due = o.quiet.Until(due)
	}
	ok, err := o.store.Enqueue(ctx, m.To.Channel, payload, due, p.Dedupe, p.DedupeFor)
	if err != nil {
		return false, err
	}
	if ok {
		o.poke(m.To.Channel)
	}
	return ok, nil
}

func (o *Outbox) poke(channel string) {
	o.mu.Lock()
	w := o.wake[channel]
	o.mu.Unlock()
	if w != nil {
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
		s := newSender(o, ch, o.cfg, o.log.With("channel", name))
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

// sender sends one channel's queue.
type sender struct {
	o           *Outbox
	ch          bot.Channel
	log         *slog.Logger
	lease       time.Duration
	maxAttempts int
	global      *rate.Limiter
	workers     []chan storage.OutboxItem

	mu          sync.Mutex
	inflight    map[string]bool
	perChat     map[string]*rate.Limiter
	held        map[string]chatHold // chat -> its failed message waiting for a retry
	pausedUntil time.Time
}

func newSender(o *Outbox, ch bot.Channel, cfg Config, log *slog.Logger) *sender {
	lim := ch.Limits()
	s := &sender{o: o, ch: ch, log: log, lease: cfg.Lease, maxAttempts: cfg.MaxAttempts,
		global:   rate.NewLimiter(rate.Limit(lim.PerSecond), max(lim.Burst, 1)),
		inflight: map[string]bool{}, perChat: map[string]*rate.Limiter{}, held: map[string]chatHold{}}
	if s.lease <= 0 {
		s.lease = 2 * time.Minute
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = 8
	}
	n := cfg.Workers
	if n <= 0 {
		n = 8
	}
	for range n {
		s.workers = append(s.workers, make(chan storage.OutboxItem, 64))
	}
	return s
}

func (s *sender) run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for item := range w {
				s.deliver(ctx, item)
			}
		}()
	}
	defer func() {
		for _, w := range s.workers {
			close(w)
		}
		wg.Wait()
	}()
	name := s.ch.Name()
	for {
		items, err := s.o.store.Claim(ctx, name, s.o.now(), s.lease, 100)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.log.Error("claim messages", "err", err)
		}
		for _, it := range items {
			if !s.begin(it.ID) {
				continue
			}
			var env envelope
			_ = json.Unmarshal(it.Payload, &env)
			select {
			case s.workers[shard(env.Message.To.ChatID, len(s.workers))] <- it:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(items) == 100 {
			continue
		}
		if err := s.idle(ctx); err != nil {
			return err
		}
	}
}

// idle waits for a poke or until the next message is due (at most a second, so messages
// queued by another process or replica are picked up soon).
func (s *sender) idle(ctx context.Context) error {
	wait := time.Second
	if due, ok, err := s.o.store.NextDue(ctx, s.ch.Name()); err == nil && ok {
		if d := due.Sub(s.o.now()); d < wait {
			wait = max(d, 5*time.Millisecond)
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	s.o.mu.Lock()
	wake := s.o.wake[s.ch.Name()]
	s.o.mu.Unlock()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-wake:
	case <-t.C:
	}
	return nil
}

func shard(chat string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(chat))
	return int(h.Sum32() % uint32(n))
}

// begin marks a message as being sent here, so a lease that runs out while it waits
// in a worker queue does not send it twice from this process.
func (s *sender) begin(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[id] {
		return false
	}
	s.inflight[id] = true
	return true
}

func (s *sender) end(id string) {
	s.mu.Lock()
	delete(s.inflight, id)
	s.mu.Unlock()
}
