package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
)

// minRetryAfter is the shortest pause a 429 asks for: Discord gives retry_after in
// seconds with millisecond precision (discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit),
// and discordgo keeps whole milliseconds, so a retry_after of 0.0004 arrives as 0.
const minRetryAfter = time.Millisecond

// call is one REST call of the channel: discordgo's request options that tie it
// to ctx, and the status and headers of its last answer, which discordgo's
// errors leave out and a 429 needs (Retry-After, X-RateLimit-Reset-After).
type call struct {
	opts []discordgo.RequestOption
	tap  *answerTap
}

func (c *Channel) newCall(ctx context.Context) *call {
	base := c.dg.Client
	next := base.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	tap := &answerTap{next: next, hold: &c.hold, buckets: c.buckets}
	client := &http.Client{Transport: tap, Timeout: base.Timeout, CheckRedirect: base.CheckRedirect, Jar: base.Jar}
	return &call{opts: []discordgo.RequestOption{discordgo.WithClient(client), discordgo.WithContext(ctx)}, tap: tap}
}

// classify maps a failure of the call onto the bot errors the outbox acts on (the
// tap has paused the channel's other sending requests at a global 429 already,
// bot.Hold).
func (k *call) classify(err error) error {
	status, header, global := k.tap.last()
	return classify(err, status, header, global)
}

// answerTap remembers the status and headers of the last answer through it, and
// holds a sending request while the channel's hold runs.
type answerTap struct {
	next    http.RoundTripper
	hold    *bot.Hold
	buckets *routeBuckets
	mu      sync.Mutex
	status  int
	header  http.Header
	global  bool // the last answer was a global 429
}

func (t *answerTap) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.buckets.wait(r.Context(), r); err != nil {
		return nil, err
	}
	resp, err := t.hold.RoundTrip(t.next, r, sending, t.pauseOf)
	if resp != nil {
		t.buckets.learn(r.Context(), r, resp.Header)
		t.mu.Lock()
		t.status, t.header = resp.StatusCode, resp.Header.Clone()
		t.mu.Unlock()
	}
	return resp, err
}

// pauseOf is how long every sending request of the channel waits after a 429
// answer: its retry_after (from the body and headers, as classify reads them) when
// the limit is the bot's global one, else nothing: a route's limit (one DM
// channel's messages) holds that chat only, which the outbox does
// (bot.RateLimitedError.ChatOnly), while the others go on.
func (t *answerTap) pauseOf(header http.Header, body []byte) time.Duration {
	var limited struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	var wait time.Duration
	jerr := json.Unmarshal(body, &limited)
	if jerr == nil && limited.RetryAfter > 0 && limited.RetryAfter < 1e6 {
		wait = time.Duration(limited.RetryAfter * float64(time.Second))
	}
	// a 429 without Discord's body or scope (a proxy's) holds everything, to be safe
	global := limited.Global || globalLimit(header) || jerr != nil && header.Get("X-RateLimit-Scope") == ""
	t.mu.Lock()
	t.global = global
	t.mu.Unlock()
	if !global {
		return 0
	}
	return retryAfter(wait, header)
}

// globalLimit reports whether a 429's headers say the limit is the bot's global one
// (X-RateLimit-Global, or X-RateLimit-Scope "global"); "user" and "shared" are a
// route's (discord.com/developers/docs/topics/rate-limits#header-format).
func globalLimit(header http.Header) bool {
	return strings.EqualFold(header.Get("X-RateLimit-Global"), "true") || strings.EqualFold(header.Get("X-RateLimit-Scope"), "global")
}

// sending reports whether a REST call sends to a channel (a message, a DM channel
// opened for one), which the outbox's pauses are about. Interaction callbacks are
// not held: Discord does not count them against the bot's limit, and a tap must
// be acknowledged within 3 seconds.
func sending(path string) bool {
	return strings.Contains(path, "/channels/") || strings.HasSuffix(path, "/users/@me/channels")
}

func (t *answerTap) last() (int, http.Header, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status, t.header, t.global
}

// classify maps discordgo failures onto the bot errors the outbox acts on. JSON error
// codes: 50007 cannot send messages to this user (DMs closed), 10003 unknown channel,
// 10013 unknown user; 10008 unknown message (an edit of a deleted message). A 429
// waits the longest of the body's retry_after, the Retry-After and
// X-RateLimit-Reset-After headers, and minRetryAfter. status and header are of the
// last answer (0 and nil when there was none); global says the 429 was the bot's
// global limit (from the body, which discordgo does not keep, or the headers): a
// route's limit is the chat's only (ChatOnly).
func classify(err error, status int, header http.Header, global bool) error {
	global = global || globalLimit(header)
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &bot.RateLimitedError{RetryAfter: retryAfter(rl.RetryAfter, header), ChatOnly: !global}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		if status == http.StatusTooManyRequests {
			// a 429 whose body discordgo could not read (a proxy's): the headers
			// decide, and without a scope it holds the whole channel, to be safe
			return &bot.RateLimitedError{RetryAfter: retryAfter(0, header),
				ChatOnly: header.Get("X-RateLimit-Scope") != "" && !global}
		}
		return err // network trouble: temporary
	}
	code := 0
	msg := ""
	if re.Message != nil {
		code, msg = re.Message.Code, re.Message.Message
	}
	status = re.Response.StatusCode
	switch {
	case code == 50007 || code == 10003 || code == 10013:
		return fmt.Errorf("%w: %d %s", bot.ErrRecipientGone, code, msg)
	case status == http.StatusTooManyRequests:
		return &bot.RateLimitedError{RetryAfter: retryAfter(0, re.Response.Header), ChatOnly: !global && !globalLimit(re.Response.Header)}
	case status >= 400 && status < 500:
		return fmt.Errorf("%w: %d %d %s", bot.ErrPermanent, status, code, msg)
	}
	return fmt.Errorf("discord error %d: %s", status, msg)
}

// retryAfter is the pause after a 429: never below what the body or a header
// says, and never below minRetryAfter. Retry-After is whole seconds;
// X-RateLimit-Reset-After has decimals (seconds with millisecond precision).
func retryAfter(body time.Duration, header http.Header) time.Duration {
	wait := max(body, minRetryAfter)
	for _, name := range []string{"Retry-After", "X-RateLimit-Reset-After"} {
		secs, err := strconv.ParseFloat(header.Get(name), 64)
		if err != nil || secs <= 0 || math.IsInf(secs, 0) || math.IsNaN(secs) {
			continue
		}
		wait = max(wait, time.Duration(math.Ceil(secs*1000))*time.Millisecond)
	}
	return wait
}
