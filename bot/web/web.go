// Package web is the built-in web chat: the channel for residents without Telegram or
// Discord, and the default when no platform token is set. It is a plain net/http
// handler: the conversation is a server-rendered page (html/template, no JavaScript
// needed), form posts become bot Events, and the engine's replies are written into a
// transcript in Redis that the page shows. A small script (static/chat.js) posts forms
// without reloading and polls for messages that arrive later, such as results.
//
// A participant is a random id in a signed cookie or a signed personal link; there is
// no login. Every form carries a CSRF token bound to that id and a nonce that becomes
// the Event's UpdateID, so a form posted twice is handled once by the engine. What a
// resident types is kept only once they take part (consent); posts are rate-limited
// per participant and per address, and a transcript is capped (see storage).
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/lang"
)

var _ bot.Channel = (*Channel)(nil)

// Config configures the web chat.
type Config struct {
	// Secret signs cookies, personal links and CSRF tokens, and keys the hashes that
	// name chats in storage (required, at least 16 bytes). Changing it signs every web
	// participant out of their conversation and loses the stored transcripts.
	Secret []byte
	// PublicURL is where residents reach the chat, e.g. "https://praatmee.dalfsen.nl"
	// (required): personal links are built from it, and a form's Origin may name it.
	// Never the request's Host header, which anyone can set.
	PublicURL string
	// LinkTTL is how long a personal link works after it was shown (default 30 days).
	LinkTTL time.Duration
	// Title is shown in the header and the page title (default "Participatiebot").
	Title string
	// SecureCookies sets the Secure flag on cookies; set it when the chat is served
	// over https (also behind a proxy).
	SecureCookies bool
	// ReplyWait is how long a form post waits for the bot's reply before redirecting
	// back to the page (default 2s); replies that come later arrive by polling or reload.
	ReplyWait time.Duration
	// PostsPerMinute bounds the posts of one participant (default 30), and
	// PostsPerMinuteAddress those from one remote address (default 120). Behind a
	// reverse proxy every visitor has the proxy's address: raise the second.
	PostsPerMinute, PostsPerMinuteAddress int
	// Privacy fills the privacy statement at /privacy.
	Privacy Privacy
	// Je addresses residents with je instead of u on the page (Dutch only; the
	// setting AANSPREEKVORM=je), as the engine does with EngineConfig.Je.
	Je bool
	// Location is the time zone of the times shown (default Europe/Amsterdam).
	Location *time.Location
	// Now is the clock (default time.Now), for tests.
	Now func() time.Time
}

// DefaultTitle is the header when Config.Title is empty.
const DefaultTitle = "Participatiebot"

// DefaultReplyWait is the ReplyWait when Config.ReplyWait is zero.
const DefaultReplyWait = 2 * time.Second

// DefaultLinkTTL is the LinkTTL when Config.LinkTTL is zero.
const DefaultLinkTTL = 30 * 24 * time.Hour

// Default post limits, per minute: a resident answering quickly presses a button every
// few seconds; a script flooding the chat is stopped within a minute.
const (
	DefaultPostsPerMinute        = 30
	DefaultPostsPerMinuteAddress = 120
)

// DefaultLimits are generous: nothing but our own Redis is in the way, so they only
// keep a runaway sender from flooding one browser. Button data travels in a form field,
// so 200 bytes is a choice of ours, not a platform limit. So are the 16,384 characters
// of a bubble's text, with or without an image (the most the engine takes in one
// message): any results message fits whole, and a transcript (storage.WebMaxBytes,
// 4 MiB) still holds dozens of the longest bubbles.
var DefaultLimits = bot.Limits{PerSecond: 500, Burst: 100, PerChatPerSecond: 50, PerChatBurst: 20, MaxChoiceData: 200,
	MaxText: 16 << 10, MaxCaption: 16 << 10, Unit: bot.Runes}

// Validate checks the configuration.
func (c Config) Validate() error {
	if len(c.Secret) < 16 {
		return fmt.Errorf("web: secret of %d bytes is too short (at least 16)", len(c.Secret))
	}
	if c.ReplyWait < 0 {
		return fmt.Errorf("web: reply wait %s is negative", c.ReplyWait)
	}
	if c.LinkTTL < 0 {
		return fmt.Errorf("web: link lifetime %s is negative", c.LinkTTL)
	}
	if c.PostsPerMinute < 0 || c.PostsPerMinuteAddress < 0 {
		return fmt.Errorf("web: post limits %d and %d per minute: want positive numbers", c.PostsPerMinute, c.PostsPerMinuteAddress)
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("web: public URL %q: want http(s)://host[:port][/path] without query", c.PublicURL)
	}
	return nil
}

// Channel is the web chat channel. It is safe for concurrent use.
type Channel struct {
	cfg     Config
	store   Store
	log     *slog.Logger
	handler atomic.Pointer[handlerRef]
	pages   map[lang.Code]*template.Template // by language
	static  map[string]string                // file name -> version, for cache busting
	root    http.Handler
	chats   keyedMutex
}

type handlerRef struct{ h bot.Handler }

// New returns the web chat; it serves pages at once (Handler) and hands events to the
// engine once Run has been called.
func New(cfg Config, store Store, log *slog.Logger) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.Title == "" {
		cfg.Title = DefaultTitle
	}
	if cfg.ReplyWait == 0 {
		cfg.ReplyWait = DefaultReplyWait
	}
	if cfg.LinkTTL == 0 {
		cfg.LinkTTL = DefaultLinkTTL
	}
	if cfg.PostsPerMinute == 0 {
		cfg.PostsPerMinute = DefaultPostsPerMinute
	}
	if cfg.PostsPerMinuteAddress == 0 {
		cfg.PostsPerMinuteAddress = DefaultPostsPerMinuteAddress
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		cfg.Location = loc
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	c := &Channel{cfg: cfg, store: store, log: log}
	// storage names chats by a keyed hash of their id, under a key only we derive
	if err := store.SetWebKey(hmacKey(cfg.Secret, "storage")); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if err := c.loadAssets(); err != nil {
		return nil, err
	}
	c.routes()
	return c, nil
}

// Name is "web".
func (c *Channel) Name() string { return "web" }

// Limits are the sending limits.
func (c *Channel) Limits() bot.Limits { return DefaultLimits }

// Run keeps h for the form posts until ctx ends. Posts before Run or after it ended
// get a "try again later" page. When h is a bot.ConsentChecker (the Engine), what a
// resident types is stored only once they consented. Run first deletes transcripts
// that earlier versions kept under the raw web id.
func (c *Channel) Run(ctx context.Context, h bot.Handler) error {
	if n, err := c.store.WebDropLegacy(ctx); err != nil {
		c.log.Warn("drop legacy web transcripts", "err", err)
	} else if n > 0 {
		c.log.Info("legacy web transcripts dropped (kept under the raw web id)", "count", n)
	}
	c.handler.Store(&handlerRef{h})
	<-ctx.Done()
	c.handler.Store(nil)
	return nil
}

func (c *Channel) now() time.Time { return c.cfg.Now() }

// hmacKey derives a key for one purpose from the secret.
func hmacKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("web:" + purpose))
	return m.Sum(nil)
}

// Handler serves the chat, mounted at the site root: GET / (the page; ?p= a personal
// link), POST /send, GET /updates, GET /link, POST /link, GET /static/….
func (c *Channel) Handler() http.Handler { return c.root }

func (c *Channel) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", c.page)
	m.HandleFunc("POST /send", c.send)
	m.HandleFunc("GET /updates", c.updates)
	m.HandleFunc("GET /link", c.link)
	m.HandleFunc("GET "+AttachmentPath+"{ref}", c.serveAttachment)
	m.HandleFunc("POST /link", c.switchLink)
	m.HandleFunc("GET /mijngegevens", c.myData)
	m.HandleFunc("GET /mijngegevens.json", c.myDataJSON)
	m.HandleFunc("GET /vergeetmij", c.forgetForm)
	m.HandleFunc("POST /vergeetmij", c.forget)
	m.HandleFunc("GET /privacy", c.privacy)
	m.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(c.serveStatic)))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, http.StatusNotFound, idNotFound)
	})
	c.root = securityHeaders(m)
}
