// Package discord is the Discord channel: slash commands, buttons, select menus and
// modals over the gateway with discordgo, conversations in DMs. The REST base is
// configurable (a rate-limit proxy in production, a fake in tests). With several
// replicas, each gateway shard is held by one of them under a lease (gateway.go),
// and every replica sends.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/lease"
)

var _ bot.Channel = (*Channel)(nil)

// DefaultLimits follow Discord's documented limits (discord.com/developers/docs/topics/rate-limits):
// 50 requests per second globally; creating messages in one channel is bucketed at
// about 5 per 5 seconds. custom_id holds at most 100 characters. A message's
// content is "up to 2000 characters" (discord.com/developers/docs/resources/message#create-message),
// counted in characters (code points), also when it goes with a file.
var DefaultLimits = bot.Limits{PerSecond: 45, Burst: 5, PerChatPerSecond: 1, PerChatBurst: 5, MaxChoiceData: 100,
	MaxText: 2000, MaxCaption: 2000, Unit: bot.Runes}

// Config configures the channel.
type Config struct {
	// Token is the bot token. Never logged.
	Token string
	// APIBase replaces https://discord.com/ for REST (and the gateway address it hands
	// out), e.g. a rate-limit proxy; empty means Discord itself.
	APIBase string
	// GuildID, when set, registers the slash commands for that server only (they appear
	// at once); otherwise globally.
	GuildID string
	// Limits override the rate limits of DefaultLimits (zero: the defaults); the
	// text limits are Discord's own, zero fields take DefaultLimits'.
	Limits bot.Limits
	// Lease, when set, holds each gateway shard on one replica at a time, under a
	// lease named discord:shard:<i>/<n>: every replica sends (REST), the holder of a
	// shard receives and answers its interactions. nil: this process opens every
	// shard itself (one process, tests).
	Lease lease.Store
	// Replica names this replica as the owner of its leases; required with Lease.
	Replica string
	// Shards is the number of gateway shards (zero: 1). Discord requires sharding
	// from 2500 guilds on; a municipality's bot is in one, so more shards only
	// spread the DMs' shard 0 and the guild's shard over replicas.
	Shards int
	// LeaseTTL is a shard lease's lifetime (zero: DefaultLeaseTTL): a replica that
	// stops renewing loses its shards within it, and another one takes them over.
	LeaseTTL time.Duration
	// Buckets, when set, shares Discord's per-route rate limit buckets between the
	// replicas (buckets.go); nil: each process follows them alone (discordgo).
	Buckets BucketStore
	// ImageBase, when set, is the public address shared images (File.Ref, the
	// results' charts) are served at, by reference (PUBLIC_URL + /bijlage/): an album
	// of them goes as embeds whose image is that URL, which Discord's media proxy
	// fetches once, instead of an upload in every member's message. Empty: uploaded.
	ImageBase string
	// IdentifyWindow is the time in which Discord starts max_concurrency sessions
	// (zero: DefaultIdentifyWindow, Discord's); tests against a fake may shorten it.
	IdentifyWindow time.Duration
}

// DefaultLeaseTTL is a shard lease's lifetime: interactions of a replica that died
// fail for about that long, before another replica has identified for its shard.
const DefaultLeaseTTL = 10 * time.Second

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Token == "" {
		return errors.New("discord: token is empty (set DISCORD_TOKEN or DISCORD_TOKEN_FILE)")
	}
	if c.APIBase != "" {
		if u, err := url.Parse(c.APIBase); err != nil || u.Host == "" {
			return fmt.Errorf("discord: API base %q is not a URL", c.APIBase)
		}
	}
	if c.Shards < 0 {
		return fmt.Errorf("discord: shards: want at least 1, got %d", c.Shards)
	}
	if c.Lease != nil && c.Replica == "" {
		return errors.New("discord: a lease store needs the replica's name")
	}
	if c.ImageBase != "" {
		if u, err := url.Parse(c.ImageBase); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("discord: image base %q is not an http(s) URL", c.ImageBase)
		}
	}
	if c.LeaseTTL < 0 || c.IdentifyWindow < 0 {
		return errors.New("discord: lease ttl and identify window may not be negative")
	}
	return nil
}

// Channel is the Discord channel.
type Channel struct {
	cfg Config
	dg  *discordgo.Session
	log *slog.Logger

	// hold keeps the sending requests back while a 429's retry_after runs (call).
	hold bot.Hold
	// buckets are the route buckets shared with the other replicas (buckets.go)
	buckets *routeBuckets

	// work holds acknowledged interactions, sharded by user so one resident's taps are
	// handled in the order they were made while residents are handled in parallel.
	work queues

	// gate spaces the IDENTIFYs of the gateway sessions, of all replicas with a lease.
	gate *identifyGate

	regMu      sync.Mutex
	registered bool // the slash commands, once per Run

	// live are the gateway sessions of the shards this replica holds, for Ready
	live liveShards
}

type job struct {
	ev   bot.Event
	user string
}

const workers = 8

// New prepares a session; it connects in Run.
func New(cfg Config, log *slog.Logger) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Limits.PerSecond == 0 {
		cfg.Limits = DefaultLimits
	}
	if cfg.Limits.MaxText == 0 {
		cfg.Limits.MaxText, cfg.Limits.MaxCaption, cfg.Limits.Unit = DefaultLimits.MaxText, DefaultLimits.MaxCaption, DefaultLimits.Unit
	}
	if cfg.Limits.MaxChoiceData == 0 {
		cfg.Limits.MaxChoiceData = DefaultLimits.MaxChoiceData
	}
	if cfg.Shards == 0 {
		cfg.Shards = 1
	}
	if cfg.LeaseTTL == 0 {
		cfg.LeaseTTL = DefaultLeaseTTL
	}
	if cfg.IdentifyWindow == 0 {
		cfg.IdentifyWindow = DefaultIdentifyWindow
	}
	c := &Channel{cfg: cfg, log: log, buckets: &routeBuckets{store: cfg.Buckets, log: log}}
	dg, err := c.session()
	if err != nil {
		return nil, err
	}
	// The REST session never opens the gateway: sending works on every replica,
	// whichever shards it holds. Each held shard has a session of its own.
	c.dg = dg
	c.gate = &identifyGate{store: cfg.Lease, owner: cfg.Replica, window: cfg.IdentifyWindow, rest: dg, log: log,
		next: map[int]time.Time{}}
	return c, nil
}

// session is a discordgo session as this channel uses it, for REST or a shard.
func (c *Channel) session() (*discordgo.Session, error) {
	dg, err := discordgo.New("Bot " + c.cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// The outbox decides about retries; discordgo would otherwise retry 429s without end.
	dg.ShouldRetryOnRateLimit = false
	// Handlers run in the gateway's order: a tick and a "Klaar" right after it must not
	// overtake each other. The handler only acknowledges and queues, so it is quick.
	dg.SyncEvents = true
	dg.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	if c.cfg.APIBase != "" {
		base, _ := url.Parse(c.cfg.APIBase)
		dg.Client = &http.Client{Timeout: 20 * time.Second, Transport: &rebase{base: base, next: http.DefaultTransport}}
	}
	return dg, nil
}

// Name is "discord".
func (c *Channel) Name() string { return "discord" }

// Limits are the sending limits.
func (c *Channel) Limits() bot.Limits { return c.cfg.Limits }

// rebase sends requests for discord.com to another base URL. discordgo computes its
// endpoints at package init, so rewriting the host is the one clean way to move them.
type rebase struct {
	base *url.URL
	next http.RoundTripper
}

func (r *rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "discord.com" {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = r.base.Scheme, r.base.Host
		req.Host = r.base.Host
	}
	return r.next.RoundTrip(req)
}

// Run holds the gateway shards it can (all of them without a lease store), hands
// their interactions to h and registers the slash commands at the first READY, until
// ctx ends.
func (c *Channel) Run(ctx context.Context, h bot.Handler) error {
	c.live.running(true)
	defer c.live.running(false)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // before wg.Wait: the workers stop also when a shard fails
	c.regMu.Lock()
	c.registered = false
	c.regMu.Unlock()
	// the workers end when the shards are closed and the queues drained: an
	// interaction acknowledged just before the stop is handled all the same
	for _, w := range c.work.open(workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range w {
				c.handleOnce(ctx, h, j)
			}
		}()
	}
	defer c.work.close()
	n := c.cfg.Shards
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- c.holdShard(ctx, i, n) }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel() // one shard that cannot connect stops the channel, as one session did
		}
	}
	return first
}

// drainTimeout bounds how long a stopping channel goes on with the interactions it
// acknowledged already.
const drainTimeout = 10 * time.Second

// handleOnce handles one acknowledged interaction to its end, also when the channel
// stops meanwhile: the member saw their tap taken, and Discord does not deliver it
// again, so a restart must not drop it half-way.
func (c *Channel) handleOnce(ctx context.Context, h bot.Handler, j job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
	defer cancel()
	c.handle(ctx, h, j)
}

// queues are the workers' queues of one Run. A put after close (an interaction
// the gateway delivered while its session was closing) is refused.
type queues struct {
	mu     sync.RWMutex
	closed bool
	work   []chan job
}

func (q *queues) open(n int) []chan job {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed, q.work = false, make([]chan job, n)
	for i := range q.work {
		q.work[i] = make(chan job, 256)
	}
	return q.work
}

// put queues j for worker i, waiting while that queue is full; false once closed.
func (q *queues) put(i int, j job) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed || len(q.work) == 0 {
		return false
	}
	q.work[i%len(q.work)] <- j
	return true
}

func (q *queues) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		for _, w := range q.work {
			close(w)
		}
	}
}

// register overwrites the slash commands in one call (bulk overwrite is idempotent).
func (c *Channel) register(botID string, r *discordgo.Ready) error {
	appID := botID
	if r.Application != nil && r.Application.ID != "" {
		appID = r.Application.ID
	}
	if _, err := c.dg.ApplicationCommandBulkOverwrite(appID, c.cfg.GuildID, commands); err != nil {
		return fmt.Errorf("discord: register slash commands: %w", err)
	}
	return nil
}
