package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
)

// Webhook mode, https://core.telegram.org/bots/api#setwebhook: Telegram posts every
// update as JSON to the URL set, and repeats it until it gets an answer with a 2XY
// status. Each replica behind the load balancer takes those requests, as many at once
// as max_connections; the engine may handle any participant on any replica at once.
// setWebhook's secret_token comes back in the X-Telegram-Bot-Api-Secret-Token header
// of every request, so a request without it is not Telegram's.

// secretHeader carries setWebhook's secret_token on every webhook request.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// setWebhook: "max_connections … 1-100. Defaults to 40"; "secret_token … 1-256
// characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
const (
	defaultMaxConnections = 40
	maxMaxConnections     = 100
	maxSecretToken        = 256
)

// maxWebhookBody bounds a webhook request. An update is a few kilobytes (a message's
// text is at most 4096 characters); a megabyte leaves room for any entities.
const maxWebhookBody = 1 << 20

// CheckWebhookURL checks a webhook URL: Telegram posts to https only; plain http is
// taken for a loopback host, where tests run a fake Bot API.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("url %q: %w", raw, err)
	case u.Host == "":
		return fmt.Errorf("url %q has no host", raw)
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && loopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("url %q: Telegram posts to https only (http only on localhost)", raw)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validSecret(s string) bool {
	if len(s) < 1 || len(s) > maxSecretToken {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// runWebhook takes webhook requests until ctx ends. It sets the webhook at start, on
// every replica alike (the same URL and secret, so it is the same webhook), and
// leaves it set at the end, when the other replicas still take its requests.
func (c *Channel) runWebhook(ctx context.Context, h bot.Handler) error {
	c.handler.Store(&h)
	defer c.handler.Store(nil)
	for failures := 1; ; failures++ {
		err := c.setWebhook()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		cerr := classify(err, c.cfg.Token)
		if errors.Is(cerr, bot.ErrPermanent) {
			return fmt.Errorf("telegram: setWebhook: %w", cerr)
		}
		wait := pollBackoff(failures, cerr)
		c.log.Warn("telegram setWebhook failed", "err", cerr, "retry_in", wait)
		sleep(ctx, wait)
	}
	c.log.Info("telegram webhook set", "webhook", c.cfg.WebhookURL, "max_connections", c.cfg.MaxConnections)
	<-ctx.Done()
	return nil
}

// setWebhook calls setWebhook. The library's WebhookConfig (v5.5.1) has no
// secret_token, so the request is made with its MakeRequest.
func (c *Channel) setWebhook() error {
	params := tgbotapi.Params{"url": c.cfg.WebhookURL, "secret_token": c.cfg.WebhookSecret}
	params.AddNonZero("max_connections", c.cfg.MaxConnections)
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	_, err := c.api.MakeRequest("setWebhook", params)
	return err
}

// WebhookHandler serves Telegram's webhook requests; mount it at the path of
// Config.WebhookURL. A request is answered 200 once the engine handled the update or
// set it aside, and 500 when it failed and wants the update again, which Telegram
// then redelivers (maybe to another replica). Without the secret it is refused with
// 401 and nothing is handled; outside Run, 503 asks Telegram to come again.
func (c *Channel) WebhookHandler() http.Handler {
	return http.HandlerFunc(c.serveWebhook)
}

func (c *Channel) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !c.secretOK(r.Header.Get(secretHeader)) {
		c.refuse(r)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	h := c.handler.Load()
	if h == nil {
		http.Error(w, "not running", http.StatusServiceUnavailable)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
	u, err := c.api.HandleUpdate(r)
	if err != nil {
		status := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		c.log.Warn("telegram webhook: unreadable update", "err", err)
		http.Error(w, "bad update", status)
		return
	}
	if err := c.handle(r.Context(), *h, *u); err != nil {
		c.log.Error("handle update, Telegram will redeliver it", "update_id", u.UpdateID, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// secretOK compares in constant time, so the answer's timing tells nothing about how
// much of a guess was right (ConstantTimeCompare returns at once on a length that
// differs, which gives away only the length).
func (c *Channel) secretOK(got string) bool {
	return c.cfg.WebhookSecret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.cfg.WebhookSecret)) == 1
}

// refuse counts a request without the right secret and logs the 1st, 2nd, 4th, 8th …
// of them, so that a flood of them cannot flood the log. What was sent is never
// logged: it may be a secret that is almost right.
func (c *Channel) refuse(r *http.Request) {
	if n, log := c.refused.Add(); log {
		c.log.Warn("telegram webhook: request without the right secret refused",
			"refused", n, "remote", r.RemoteAddr, "has_header", r.Header.Get(secretHeader) != "")
	}
}

// WebhookRefused is the number of webhook requests refused for their secret.
func (c *Channel) WebhookRefused() int64 { return c.refused.Count() }
