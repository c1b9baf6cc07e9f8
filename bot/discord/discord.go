// Package discord is the Discord channel: slash commands, buttons, select menus and
// modals over the gateway with discordgo, conversations in DMs. The REST base is
// configurable (a rate-limit proxy in production, a fake in tests).
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
}

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
	return nil
}

// Channel is the Discord channel.
type Channel struct {
	cfg Config
	dg  *discordgo.Session
	log *slog.Logger

	mu  sync.Mutex
	dms map[string]string // user id -> DM channel id

	// hold keeps the sending requests back while a 429's retry_after runs (call).
	hold bot.Hold

	// work holds acknowledged interactions, sharded by user so one resident's taps are
	// handled in the order they were made while residents are handled in parallel.
	work []chan job
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
	dg, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// The outbox decides about retries; discordgo would otherwise retry 429s without end.
	dg.ShouldRetryOnRateLimit = false
	// Handlers run in the gateway's order: a tick and a "Klaar" right after it must not
	// overtake each other. The handler only acknowledges and queues, so it is quick.
	dg.SyncEvents = true
	dg.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	if cfg.APIBase != "" {
		base, _ := url.Parse(cfg.APIBase)
		dg.Client = &http.Client{Timeout: 20 * time.Second, Transport: &rebase{base: base, next: http.DefaultTransport}}
	}
	c := &Channel{cfg: cfg, dg: dg, log: log, dms: map[string]string{}}
	for range workers {
		c.work = append(c.work, make(chan job, 256))
	}
	return c, nil
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

// Run registers the slash commands, connects to the gateway and hands interactions to
// h until ctx ends.
func (c *Channel) Run(ctx context.Context, h bot.Handler) error {
	var wg sync.WaitGroup
	for _, w := range c.work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-w:
					c.handle(ctx, h, j)
				}
			}
		}()
	}
	defer wg.Wait()
	remove := c.dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		defer c.recoverInteraction(ctx, ic)
		c.interaction(ctx, ic)
	})
	defer remove()
	ready := make(chan *discordgo.Ready, 1)
	removeReady := c.dg.AddHandlerOnce(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	defer removeReady()
	if err := c.dg.Open(); err != nil {
		return fmt.Errorf("discord: connect: %w", err)
	}
	defer c.dg.Close()
	select {
	case r := <-ready:
		if err := c.register(r.User.ID, r); err != nil {
			return err
		}
		c.log.Info("discord connected", "bot", r.User.Username)
	case <-time.After(30 * time.Second):
		return errors.New("discord: no READY from the gateway within 30s")
	case <-ctx.Done():
		return nil
	}
	<-ctx.Done()
	return nil
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
