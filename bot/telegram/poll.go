package telegram

import (
	"context"
	"errors"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/lease"
)

// PollLease is the lease under which one replica polls (Config.Lease).
const PollLease = "telegram:poll"

// allowedUpdates are the update types the channel maps (event); Telegram sends no
// others, by getUpdates or by webhook.
var allowedUpdates = []string{"message", "callback_query"}

// Run receives updates until ctx ends: by webhook when Config.WebhookURL is set,
// else by long polling, under the poll lease when Config.Lease is set.
func (c *Channel) Run(ctx context.Context, h bot.Handler) error {
	c.ctx.ctx.Store(&ctx)
	if c.cfg.WebhookURL != "" {
		return c.runWebhook(ctx, h)
	}
	c.leaveWebhook()
	if c.cfg.Lease == nil {
		c.poll(ctx, h)
		return nil
	}
	return lease.Hold(ctx, c.cfg.Lease, PollLease, c.cfg.Replica, c.cfg.LeaseTTL, c.log,
		func(ctx context.Context, _ int64) error {
			c.poll(ctx, h)
			return nil
		})
}

// leaveWebhook deletes the webhook of a bot that ran in webhook mode before, as
// Telegram refuses getUpdates while one is set. It asks first, so a bot that always
// polled makes no needless call. Without an answer it polls anyway: the polls' errors
// then say what is wrong. This happens once at start, not at every lease taken, so
// that during a switch to webhooks an old replica that takes the lease over does not
// delete the webhook the new ones set.
func (c *Channel) leaveWebhook() {
	info, err := c.api.GetWebhookInfo()
	if err != nil {
		c.log.Warn("telegram getWebhookInfo failed, polling anyway", "err", redact(err, c.cfg.Token))
		return
	}
	if !info.IsSet() {
		return
	}
	c.log.Warn("telegram webhook set, deleting it to poll (the bot switched from webhook to polling)",
		"webhook", info.URL, "pending_updates", info.PendingUpdateCount)
	// pending updates stay: the poll gets them
	if _, err := c.api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		c.log.Warn("telegram deleteWebhook failed", "err", redact(err, c.cfg.Token))
	}
}

// poll calls getUpdates until ctx ends. The offset moves past an update only after the
// engine handled it, so a failure or a crash makes Telegram deliver it again (the engine
// handles a repeated update_id once). Telegram keeps the offset: a replica that takes
// the poll lease over starts without one and is given the updates its predecessor
// handled but had not confirmed yet, which the engine recognises.
func (c *Channel) poll(ctx context.Context, h bot.Handler) {
	api := c.poller(ctx)
	offset, failures := 0, 0
	for ctx.Err() == nil {
		cfg := tgbotapi.UpdateConfig{Offset: offset, Timeout: int(c.cfg.PollTimeout / time.Second),
			AllowedUpdates: allowedUpdates}
		updates, err := api.GetUpdates(cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			c.polls.failed(redact(err, c.cfg.Token))
			wait := pollBackoff(failures, classify(err, c.cfg.Token))
			c.log.Warn("telegram getUpdates failed", "err", redact(err, c.cfg.Token), "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		failures = 0
		c.polls.succeeded()
		for _, u := range updates {
			if err := c.handle(ctx, h, u); err != nil {
				if ctx.Err() == nil {
					c.log.Error("handle update, will retry", "update_id", u.UpdateID, "err", err)
					sleep(ctx, time.Second)
				}
				break
			}
			offset = u.UpdateID + 1
		}
	}
}

// poller is a client for getUpdates whose requests end with ctx: under a lease, the
// poll waiting at Telegram stops the moment the lease is lost, before another replica
// may poll, while the channel's other calls (sends, on Run's context) go on.
func (c *Channel) poller(ctx context.Context) *tgbotapi.BotAPI {
	api := *c.api
	api.Client = &http.Client{Transport: boundTransport{base: c.ctx.base, ctx: ctx}, Timeout: c.cfg.PollTimeout + 30*time.Second}
	return &api
}

// boundTransport sends every request with one context.
type boundTransport struct {
	base http.RoundTripper
	ctx  context.Context
}

func (t boundTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}

func pollBackoff(failures int, err error) time.Duration {
	var limited *bot.RateLimitedError
	if errors.As(err, &limited) {
		return limited.RetryAfter
	}
	return min(time.Second<<min(failures, 5), 30*time.Second)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
