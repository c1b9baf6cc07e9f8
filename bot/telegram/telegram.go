// Package telegram is the Telegram channel: updates by long polling (poll.go) or by
// webhook (webhook.go), and the Bot API for sending, through go-telegram-bot-api v5
// pointed at a configurable endpoint (a local Bot API server in production if
// wanted, a fake in tests).
//
// Telegram serves getUpdates to one consumer per bot: a second poll ends the first
// with 409 Conflict. So with several replicas either every replica takes webhook
// requests behind the load balancer (WebhookURL), or only the holder of a lease in
// Redis polls (Lease).
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/lease"
)

var _ bot.Channel = (*Channel)(nil)

// DefaultEndpoint is the public Bot API, in the library's "…/bot%s/%s" form.
const DefaultEndpoint = tgbotapi.APIEndpoint

// Config configures the channel.
type Config struct {
	// Token is the bot token from @BotFather. Never logged.
	Token string
	// APIEndpoint is the Bot API URL pattern (default the public API), "…/bot%s/%s".
	APIEndpoint string
	// PollTimeout is the long-polling timeout (default 30s).
	PollTimeout time.Duration
	// Limits override the rate limits (tests raise them); zero uses DefaultLimits.
	// The text limits are Telegram's own: zero fields take DefaultLimits'.
	Limits bot.Limits

	// WebhookURL, when set, has Telegram post updates to this URL (setWebhook)
	// instead of being polled; https, or http on a loopback host for tests. Every
	// replica serves WebhookHandler at its path.
	WebhookURL string
	// WebhookSecret is setWebhook's secret_token, which every webhook request must
	// carry: 1–256 of A-Z a-z 0-9 _ -, the same on every replica; required with
	// WebhookURL. Never logged.
	WebhookSecret string
	// MaxConnections is setWebhook's max_connections, how many requests Telegram
	// sends at once, 1–100 (default 40, Telegram's own default).
	MaxConnections int

	// Lease, when set, makes only the replica holding the PollLease poll; nil
	// polls without one, for one process.
	Lease lease.Store
	// Replica names this replica as the lease's owner; required with Lease.
	Replica string
	// LeaseTTL is the poll lease's lifetime (default 15s): a replica that dies
	// holding it is taken over that long after its last renewal at the latest.
	LeaseTTL time.Duration
}

// DefaultLimits follow the Bot API FAQ ("My bot is hitting limits, how do I avoid
// this?", core.telegram.org/bots/faq): no more than about 30 messages per second
// overall, and in one chat no more than one per second, short bursts allowed.
// Spacing 28/s with a burst of 2 keeps any one-second window at 30 at most; a chat
// gets one a second and no burst (an album counts as its images).
// Texts (core.telegram.org/bots/api#sendmessage, #sendphoto, #inlinekeyboardbutton):
// message text "1-4096 characters", captions "0-1024 characters", both after
// entities parsing and counted in UTF-16 code units like entity offsets (an emoji
// counts two); callback_data 1–64 bytes.
var DefaultLimits = bot.Limits{PerSecond: 28, Burst: 2, PerChatPerSecond: 1, PerChatBurst: 1, MaxChoiceData: 64,
	MaxText: 4096, MaxCaption: 1024, Unit: bot.UTF16}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Token == "" {
		return errors.New("telegram: token is empty (set TELEGRAM_TOKEN or TELEGRAM_TOKEN_FILE)")
	}
	if c.WebhookURL != "" {
		if err := CheckWebhookURL(c.WebhookURL); err != nil {
			return fmt.Errorf("telegram: webhook: %w", err)
		}
		if !validSecret(c.WebhookSecret) {
			return errors.New("telegram: webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
		}
	}
	if c.MaxConnections < 0 || c.MaxConnections > maxMaxConnections {
		return fmt.Errorf("telegram: max connections %d: want 1-%d", c.MaxConnections, maxMaxConnections)
	}
	if c.Lease != nil && c.Replica == "" {
		return errors.New("telegram: a poll lease needs the replica's name")
	}
	return nil
}

// Channel is the Telegram channel.
type Channel struct {
	cfg  Config
	api  *tgbotapi.BotAPI
	ctx  *ctxTransport
	log  *slog.Logger
	name string
	// photos are the file_ids of shared attachments (fileIDs).
	photos fileIDs
	// poll is how the last getUpdates went (Ready).
	polls pollState
	// answered are the callback queries answered (handle).
	answered answeredSet
	// handler is Run's handler while Run takes webhook requests, else nil.
	handler atomic.Pointer[bot.Handler]
	// refused counts webhook requests without the right secret.
	refused bot.Refusals
}

// New connects to the Bot API (getMe) and returns the channel.
func New(cfg Config, log *slog.Logger) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIEndpoint == "" {
		cfg.APIEndpoint = DefaultEndpoint
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = defaultMaxConnections
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 15 * time.Second
	}
	if cfg.Limits.PerSecond == 0 {
		cfg.Limits = DefaultLimits
	}
	cfg.Limits = withTextLimits(cfg.Limits)
	// the outbox's senders share one host: keep a connection for each idle (the
	// default keeps two, so the others dial anew for every request)
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 32
	tr := &ctxTransport{base: base, hold: new(bot.Hold)}
	client := &http.Client{Transport: tr, Timeout: cfg.PollTimeout + 30*time.Second}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, client)
	if err != nil {
		return nil, fmt.Errorf("telegram: connect: %w", redact(err, cfg.Token))
	}
	log.Info("telegram connected", "bot", api.Self.UserName)
	return &Channel{cfg: cfg, api: api, ctx: tr, log: log, name: "telegram"}, nil
}

// withTextLimits fills the text limits l leaves zero with Telegram's.
func withTextLimits(l bot.Limits) bot.Limits {
	d := DefaultLimits
	if l.MaxText == 0 {
		l.MaxText = d.MaxText
	}
	if l.MaxCaption == 0 {
		l.MaxCaption = d.MaxCaption
	}
	if l.Unit == bot.Runes {
		l.Unit = d.Unit
	}
	if l.MaxChoiceData == 0 {
		l.MaxChoiceData = d.MaxChoiceData
	}
	return l
}

// Name is "telegram".
func (c *Channel) Name() string { return c.name }

// Limits are the sending limits.
func (c *Channel) Limits() bot.Limits { return c.cfg.Limits }

// ctxTransport ties requests to Run's context, so they end at shutdown (the library's
// calls take no context; the poll has its own, poller), and holds the sending requests while a 429's
// retry_after runs (bot.Hold, paused the moment a 429 arrives).
type ctxTransport struct {
	base http.RoundTripper
	ctx  atomic.Pointer[context.Context]
	hold *bot.Hold
}

func (t *ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if ctx := t.ctx.Load(); ctx != nil {
		r = r.WithContext(*ctx)
	}
	return t.hold.RoundTrip(t.base, r, sending, pauseOf)
}

// pauseOf is the retry_after of a 429 answer, as classify reads it.
func pauseOf(_ http.Header, body []byte) time.Duration {
	var answer struct {
		Description string `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	_ = json.Unmarshal(body, &answer) // a body that is no JSON pauses the least, a second
	return retryAfter(answer.Parameters.RetryAfter, answer.Description)
}

// sending reports whether a Bot API call (.../bot<token>/<method>) is one that
// Telegram's flood control counts: sending, copying, forwarding or editing a message.
// getUpdates and answerCallbackQuery are not held: a pause must not stop the
// residents' taps from being acknowledged.
func sending(path string) bool {
	method := path[strings.LastIndexByte(path, '/')+1:]
	for _, verb := range []string{"send", "edit", "copy", "forward"} {
		if strings.HasPrefix(method, verb) {
			return true
		}
	}
	return false
}

// handle turns one update into an event, for the poll loop and the webhook alike.
// Button presses are acknowledged at once so the spinner on the resident's button
// stops, whatever the engine does next; once, also when the update comes again after
// a failure (c.answered remembers it until the update was handled).
func (c *Channel) handle(ctx context.Context, h bot.Handler, u tgbotapi.Update) error {
	ev, ok := safeEvent(u)
	if !ok {
		return nil
	}
	cq := u.CallbackQuery
	if cq != nil && c.answered.first(cq.ID) {
		if _, err := c.api.Request(tgbotapi.NewCallback(cq.ID, "")); err != nil {
			c.log.Warn("answer callback query", "err", redact(err, c.cfg.Token))
		}
	}
	if err := h.Handle(ctx, ev); err != nil {
		return err
	}
	if cq != nil {
		c.answered.forget(cq.ID)
	}
	return nil
}

// answeredSet holds the callback queries answered for updates that may come again
// (their handling failed), safe for the webhook's concurrent requests.
type answeredSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

// maxAnswered bounds the set; past it the set starts over, and at worst a button
// whose update keeps failing is answered once more.
const maxAnswered = 10_000

// first marks id answered and reports whether it was not yet.
func (a *answeredSet) first(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ids[id] {
		return false
	}
	if a.ids == nil || len(a.ids) >= maxAnswered {
		a.ids = map[string]bool{}
	}
	a.ids[id] = true
	return true
}

func (a *answeredSet) forget(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.ids, id)
}

// safeEvent is event with a panic turned into an event the engine sets aside, so that an
// update that cannot be mapped is confirmed instead of crashing every restart.
func safeEvent(u tgbotapi.Update) (ev bot.Event, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			ev, ok = bot.Event{Channel: "telegram", UpdateID: strconv.Itoa(u.UpdateID), Problem: fmt.Sprintf("map update: panic: %v", v)}, true
		}
	}()
	return event(u)
}

// event maps an update from a private chat; group chats and other updates are ignored.
func event(u tgbotapi.Update) (bot.Event, bool) {
	ev := bot.Event{Channel: "telegram", UpdateID: strconv.Itoa(u.UpdateID)}
	switch {
	case u.CallbackQuery != nil:
		cq := u.CallbackQuery
		if cq.Message == nil || cq.Message.Chat == nil || !cq.Message.Chat.IsPrivate() || cq.From == nil {
			return ev, false
		}
		ev.Kind, ev.Data = bot.ChoiceEvent, cq.Data
		ev.UserID = strconv.FormatInt(cq.From.ID, 10)
		ev.Lang = cq.From.LanguageCode
		ev.ChatID = strconv.FormatInt(cq.Message.Chat.ID, 10)
		ev.MessageRef = ev.ChatID + ":" + strconv.Itoa(cq.Message.MessageID)
	case u.Message != nil:
		m := u.Message
		if m.Chat == nil || !m.Chat.IsPrivate() || m.From == nil || m.From.IsBot {
			return ev, false
		}
		ev.UserID = strconv.FormatInt(m.From.ID, 10)
		ev.Lang = m.From.LanguageCode // the IETF tag of the user's app language, when Telegram gives it
		ev.ChatID = strconv.FormatInt(m.Chat.ID, 10)
		if m.Date > 0 { // a button press has no date of its own
			ev.At = m.Time()
		}
		if cmd, args, ok := command(m); ok {
			ev.Kind, ev.Command, ev.Args = bot.CommandEvent, cmd, args
		} else {
			ev.Kind, ev.Text = bot.TextEvent, m.Text
		}
	default:
		return ev, false
	}
	return ev, true
}

// command reads a command message ("/start@participatiebot args"). The library's
// Command slices the text by the entity's length without checking it, which panics on
// an entity longer than the text; here the entity only says that the text starts with
// a command, and the text itself is parsed.
func command(m *tgbotapi.Message) (cmd, args string, ok bool) {
	if !m.IsCommand() {
		return "", "", false
	}
	e := m.Entities[0]
	if e.Length < 2 || e.Length > len(utf16.Encode([]rune(m.Text))) {
		return "", "", false
	}
	word, rest := m.Text, ""
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word, rest = word[:i], word[i:]
	}
	word, _, _ = strings.Cut(strings.TrimPrefix(word, "/"), "@")
	if word == "" {
		return "", "", false
	}
	return word, strings.TrimSpace(rest), true
}
