package whatsapp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

var _ bot.Channel = (*Channel)(nil)

// DefaultAPIBase is Meta's Graph API; APIVersion the version the channel speaks.
const (
	DefaultAPIBase = "https://graph.facebook.com"
	APIVersion     = "v25.0"
)

// WebhookPath is where serve takes the webhook's requests.
const WebhookPath = "/whatsapp/webhook"

// DefaultLimits follow the Cloud API's throughput and pair rate
// (developers.facebook.com/documentation/business-messaging/whatsapp/throughput):
// 80 messages a second per business number, counting the residents' messages too,
// so 70/s with a burst of 5 keeps any second of sending at 75; to one resident a burst of 45 and then one every 6 seconds
// (131056), of which 40 are used so that a reply never waits on a broadcast's last
// message. Texts (the messages reference): a text body of 4096 characters, a caption
// and an interactive body of 1024; a list row's id at most 200 bytes (a reply
// button's 256).
var DefaultLimits = bot.Limits{PerSecond: 70, Burst: 5, PerChatPerSecond: 1.0 / 6, PerChatBurst: 40, PerChatBucket: true,
	MaxChoiceData: 200, MaxText: 4096, MaxCaption: 1024, Unit: bot.Runes}

// Template is an approved message template: its name and language code.
type Template struct {
	Name     string
	Language string
}

// The template kinds besides the notices' (bot.NoticeInvite …): "bericht" tells a
// resident that another message waits for them.
const KindMessage = "bericht"

// Kinds are the template kinds WHATSAPP_TEMPLATES names, in the order docs and
// messages list them.
var Kinds = []string{bot.NoticeInvite, bot.NoticeReminder, bot.NoticeResults, bot.NoticeDecision, KindMessage}

// ParseTemplates reads WHATSAPP_TEMPLATES: "uitnodiging=participatie_uitnodiging,
// uitslag=participatie_uitslag:nl", kind=name with an optional language (default nl).
// A kind may be given once per language ("uitnodiging=participatie_uitnodiging:nl,
// uitnodiging=participatie_uitnodiging:ar"): Meta approves each translation of a
// template apart, and a resident gets the one of their language (templateFor). The
// first one given of a kind is its default, under the kind itself; each is also
// under "<kind>@<language>".
func ParseTemplates(s string) (map[string]Template, error) {
	out := map[string]Template{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, name, ok := strings.Cut(part, "=")
		kind, name = strings.TrimSpace(kind), strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("%q: want soort=sjabloonnaam, e.g. uitnodiging=participatie_uitnodiging", part)
		}
		if !knownKind(kind) {
			return nil, fmt.Errorf("%q: unknown kind %q (want one of %s)", part, kind, strings.Join(Kinds, ", "))
		}
		lang := "nl"
		if n, l, ok := strings.Cut(name, ":"); ok {
			name, lang = n, l
		}
		if !validTemplateName(name) || lang == "" {
			return nil, fmt.Errorf("%q: a template name is lower-case letters, digits and underscores", part)
		}
		if _, dup := out[kind+"@"+lang]; dup {
			return nil, fmt.Errorf("%q: kind %s given twice in language %s", part, kind, lang)
		}
		if _, ok := out[kind]; !ok {
			out[kind] = Template{Name: name, Language: lang}
		}
		out[kind+"@"+lang] = Template{Name: name, Language: lang}
	}
	return out, nil
}

// templateFor is the template of kind in language code (Message.Lang; "" for
// Dutch), or the kind's default when it has none in that language.
func (c *Channel) templateFor(kind, code string) (Template, bool) {
	if code == "" {
		code = "nl"
	}
	if t, ok := c.cfg.Templates[kind+"@"+code]; ok {
		return t, true
	}
	t, ok := c.cfg.Templates[kind]
	return t, ok
}

func knownKind(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func validTemplateName(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Config configures the channel.
type Config struct {
	// Token is the permanent access token (a System User's). Never logged.
	Token string
	// PhoneNumberID is the business number's id (not the number).
	PhoneNumberID string
	// AppSecret signs every webhook delivery (X-Hub-Signature-256). Never logged.
	AppSecret string
	// VerifyToken is what Meta's webhook form was given; the GET verification
	// echoes the challenge only with it. Never logged.
	VerifyToken string
	// APIBase is the Graph API (default DefaultAPIBase; tests point it at a fake).
	APIBase string
	// Municipality is named in every template ({{1}}).
	Municipality string
	// Templates are the approved templates by kind (ParseTemplates).
	Templates map[string]Template
	// Limits override the rate limits; zero uses DefaultLimits, and zero text
	// limits take DefaultLimits'.
	Limits bot.Limits
	// Secret keys the chat keys in Redis and seals what is kept there (the inbox,
	// held messages): derived from the pseudonym key, never in Redis.
	Secret []byte
	// Replica names this replica as a reader of the inbox.
	Replica string
	// Requeue queues messages to send (held messages a resident's answer released,
	// the reply to a message type the bot does not take) through the outbox, each
	// once under its dedupe key.
	Requeue func(ctx context.Context, m bot.Message, dedupe string) error
	// Gone marks the resident with this user id unreachable (a failed status 131026
	// that came later than the send's answer).
	Gone func(ctx context.Context, userID string) error
	// Workers handle the inbox (default 16); ClaimAfter is how long a delivery
	// taken by a replica that died, or whose handling failed, waits before another
	// takes it (default 15s).
	Workers    int
	ClaimAfter time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.Token == "":
		return errors.New("whatsapp: token is empty (set WHATSAPP_TOKEN or WHATSAPP_TOKEN_FILE)")
	case c.PhoneNumberID == "" || strings.Trim(c.PhoneNumberID, "0123456789") != "":
		return errors.New("whatsapp: WHATSAPP_PHONE_NUMBER_ID must be the number's id (digits), from the app's WhatsApp > API Setup")
	case c.AppSecret == "":
		return errors.New("whatsapp: the app secret is empty (set WHATSAPP_APP_SECRET or WHATSAPP_APP_SECRET_FILE): without it no webhook can be trusted")
	case c.VerifyToken == "":
		return errors.New("whatsapp: WHATSAPP_VERIFY_TOKEN is empty: Meta's webhook form needs it")
	case len(c.Secret) < 16:
		return errors.New("whatsapp: secret too short")
	case c.Replica == "":
		return errors.New("whatsapp: the replica's name is empty")
	case c.Requeue == nil:
		return errors.New("whatsapp: no way to queue messages (Requeue)")
	}
	if c.APIBase != "" {
		u, err := url.Parse(c.APIBase)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("whatsapp: WHATSAPP_API_BASE %q: want an http(s) URL such as %s", c.APIBase, DefaultAPIBase)
		}
	}
	return nil
}

// Channel is the WhatsApp channel: Meta posts every message a resident writes to
// the webhook (WebhookHandler) on any replica, which stores it in the inbox in Redis
// and answers at once; every replica's Run handles the inbox. Sending goes through
// the Cloud API's messages endpoint, inside a resident's 24-hour window freely and
// outside it as an approved template (window.go).
type Channel struct {
	cfg     Config
	store   *storage.Store
	log     *slog.Logger
	http    *http.Client
	hold    *bot.Hold
	seal    sealer
	running atomic.Bool
	// refused counts webhook requests without a valid signature.
	refused bot.Refusals
	// media are the upload ids known to this replica (media.go).
	media mediaCache
}

// New returns the channel. It makes no request: the Cloud API has no cheap call
// that proves the token without a permission the bot does not need, so a wrong
// token shows in the first send's error (190) and in /readyz.
func New(cfg Config, store *storage.Store, log *slog.Logger) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if cfg.Limits.PerSecond == 0 {
		cfg.Limits = DefaultLimits
	}
	d := DefaultLimits
	if cfg.Limits.MaxText == 0 {
		cfg.Limits.MaxText, cfg.Limits.MaxCaption = d.MaxText, d.MaxCaption
	}
	if cfg.Limits.MaxChoiceData == 0 {
		cfg.Limits.MaxChoiceData = d.MaxChoiceData
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.ClaimAfter <= 0 {
		cfg.ClaimAfter = 15 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 32
	c := &Channel{cfg: cfg, store: store, log: log, hold: new(bot.Hold), seal: newSealer(cfg.Secret)}
	c.http = &http.Client{Transport: holdTransport{base: base, hold: c.hold}, Timeout: 30 * time.Second}
	for _, kind := range Kinds {
		if _, ok := cfg.Templates[kind]; !ok {
			log.Warn("whatsapp: no template for "+kind+": such messages to residents outside the 24-hour window wait until they write again",
				"kind", kind)
		}
	}
	return c, nil
}

// Name is "whatsapp".
func (c *Channel) Name() string { return "whatsapp" }

// Limits are the sending limits.
func (c *Channel) Limits() bot.Limits { return c.cfg.Limits }

// Templates are the configured templates by kind.
func (c *Channel) Templates() map[string]Template { return c.cfg.Templates }

// chatKey names a resident's chat in Redis: a keyed hash of the wa_id, so that Redis
// holds no phone number.
func (c *Channel) chatKey(waID string) string {
	m := hmac.New(sha256.New, c.cfg.Secret)
	m.Write([]byte("whatsapp chat:" + waID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Run handles the inbox until ctx ends: deliveries the webhook stored, on any
// replica, and those another replica took and did not finish.
func (c *Channel) Run(ctx context.Context, h bot.Handler) error {
	c.running.Store(true)
	defer c.running.Store(false)
	return c.runInbox(ctx, h)
}

var _ bot.Forgetter = (*Channel)(nil)

// Forget drops what the channel keeps about a resident's chat (the engine calls it
// when they stop or erase their data): their window and the messages held for them.
func (c *Channel) Forget(ctx context.Context, chatID string) error {
	return c.store.ForgetChat(ctx, c.chatKey(chatID))
}

// Ready reports whether the channel takes webhook requests.
func (c *Channel) Ready() error {
	if !c.running.Load() {
		return errors.New("whatsapp: not running")
	}
	return nil
}

// redact removes the secrets from an error's text.
func (c *Channel) redact(err error) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	clean := s
	for _, secret := range []string{c.cfg.Token, c.cfg.AppSecret, c.cfg.VerifyToken} {
		if secret != "" {
			clean = strings.ReplaceAll(clean, secret, "***")
		}
	}
	if clean == s {
		return err
	}
	return redacted{msg: clean, err: err}
}

// redacted is an error whose text had a secret removed; errors.Is and As still see
// the classification beneath.
type redacted struct {
	msg string
	err error
}

func (r redacted) Error() string { return r.msg }
func (r redacted) Unwrap() error { return r.err }
