// Package bottest is the conformance suite every channel runs, in the manner of
// courier's handlertest: tables of inbound platform payloads and the bot.Event each
// must become, outbound bot.Messages and the platform requests each must make,
// platform failures and the bot error each must be classified as, the platform's
// text limits, and a check that no secret (bot token, webhook or signing secret)
// appears in any error or log line.
//
// A channel's own _test.go implements Harness over the fake of its platform
// (telegramtest, discordtest, or for the web chat its store) and calls Run with
// its tables; the payloads are the platform's real JSON, in testdata files shaped
// as in the official documentation. Each case gets a fresh Harness.
package bottest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// Harness connects the suite to one channel and the fake of its platform.
type Harness interface {
	// Channel is the channel under test, connected to the fake.
	Channel() bot.Channel
	// Start runs the channel with h until the test ends, and returns once the
	// channel receives what Deliver hands over.
	Start(t *testing.T, h bot.Handler)
	// Chat is the chat of a resident the channel may send to.
	Chat() string
	// Deliver hands one inbound payload of the platform to the fake, which passes
	// it on to the running channel.
	Deliver(t *testing.T, payload string)
	// Fail makes the fake answer the channel's next request with f.
	Fail(t *testing.T, f Failure)
	// Requests is every request the channel made of the platform so far, in order.
	Requests() []Request
	// Texts is the text (or caption) of every message chat shows now, in order.
	Texts(chat string) []string
	// Violations are the fake's refusals of requests that broke a documented limit.
	Violations() []string
	// Secrets must never appear in an error or a log line.
	Secrets() []string
	// Logs is everything the channel logged so far.
	Logs() string
}

// Any, as a field of a wanted Event or the value of a wanted Request field,
// matches any value that is not empty: the parts a fake makes up (update ids,
// DM channel ids).
const Any = "*"

// Suite is one channel's tables. Cases the channel cannot have (the web chat
// has no network to fail) are left out of its tables.
type Suite struct {
	// New builds a fresh harness for one case.
	New func(t *testing.T) Harness
	// Inbound cases, and Probe: a payload that becomes an event, which the suite
	// delivers after a payload that must become none, so that "none" is seen
	// without waiting for a timeout.
	Inbound []Inbound
	Probe   Inbound
	// Outbound cases.
	Outbound []Outbound
	// Failures are platform failures and their classification.
	Failures []Failing
	// Pause is a 429 with a short retry_after (a second or less), for RunPause; left
	// out by a channel whose platform has none.
	Pause *Failure
	// AlbumRequests is how many requests an album of n new images takes; nil is
	// one (Telegram's sendMediaGroup, Discord's message with attachments). A
	// platform without albums (WhatsApp: an upload and a message per image) says
	// its own count, and RunLimits holds it to that.
	AlbumRequests func(n int) int
}

// Run runs every table of s, then the limits and album checks that every channel
// must pass whatever its tables (RunLimits).
func Run(t *testing.T, s Suite) {
	t.Run("inbound", func(t *testing.T) { RunInbound(t, s.New, s.Inbound, s.Probe) })
	t.Run("outbound", func(t *testing.T) { RunOutbound(t, s.New, s.Outbound) })
	t.Run("failures", func(t *testing.T) { RunFailures(t, s.New, s.Failures) })
	t.Run("limits", func(t *testing.T) { RunLimits(t, s.New, s.AlbumRequests) })
	if s.Pause != nil {
		t.Run("pause", func(t *testing.T) { RunPause(t, s.New, *s.Pause) })
	}
}

// CheckNoSecrets fails t when err or the harness's logs hold one of its secrets.
func CheckNoSecrets(t *testing.T, h Harness, err error) {
	t.Helper()
	logs := h.Logs()
	for _, secret := range h.Secrets() {
		if secret == "" {
			continue
		}
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", err), secret)) {
			t.Errorf("error leaks a secret: %v", err)
		}
		if strings.Contains(logs, secret) {
			t.Errorf("logs leak a secret:\n%s", logs)
		}
	}
}

// Kind is how the outbox treats a Send error.
type Kind string

// The kinds of Send outcome.
const (
	OK          Kind = "ok"
	Temporary   Kind = "temporary"    // retried with backoff
	Permanent   Kind = "permanent"    // bot.ErrPermanent: no retry
	Gone        Kind = "gone"         // bot.ErrRecipientGone: participant inactive
	RateLimited Kind = "rate limited" // *bot.RateLimitedError: wait RetryAfter
)

// Class is a Send outcome as the outbox sees it.
type Class struct {
	Kind       Kind
	RetryAfter time.Duration // for RateLimited
	ChatOnly   bool          // for RateLimited: the limit of this chat only, not the channel's
}

func (c Class) String() string {
	if c.Kind == RateLimited {
		if c.ChatOnly {
			return fmt.Sprintf("%s %s (this chat only)", c.Kind, c.RetryAfter)
		}
		return fmt.Sprintf("%s %s", c.Kind, c.RetryAfter)
	}
	return string(c.Kind)
}

// Classify is the class of a Send error, with errors.Is and errors.As as the
// outbox reads it.
func Classify(err error) Class {
	var limited *bot.RateLimitedError
	switch {
	case err == nil:
		return Class{Kind: OK}
	case errors.As(err, &limited):
		return Class{Kind: RateLimited, RetryAfter: limited.RetryAfter, ChatOnly: limited.ChatOnly}
	case errors.Is(err, bot.ErrRecipientGone):
		return Class{Kind: Gone}
	case errors.Is(err, bot.ErrPermanent):
		return Class{Kind: Permanent}
	}
	return Class{Kind: Temporary}
}

// send sends m through the harness's channel, to its chat unless m has one.
func send(h Harness, m bot.Message) error {
	if m.To.ChatID == "" {
		m.To = bot.Address{Channel: h.Channel().Name(), ChatID: h.Chat()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return h.Channel().Send(ctx, m)
}
