package discordtest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// Fixed identities of the fake. A bot's user id equals its application id.
const (
	appID          = "100000000000000001"
	guildID        = "300000000000000001"
	guildChannelID = "300000000000000002"
	botName        = "participatiebot"
)

// discordEpoch is the first millisecond of 2015, the epoch of Discord's snowflakes
// (https://docs.discord.com/developers/reference#snowflakes).
const discordEpoch = 1420070400000

// InteractionDeadline is how long Discord waits for the first callback to an
// interaction before the user sees "This interaction failed" and the token is
// invalidated (https://docs.discord.com/developers/interactions/receiving-and-responding#responding-to-an-interaction).
const InteractionDeadline = 3 * time.Second

// IdentifyWindow is the time in which max_concurrency IDENTIFYs may start sessions
// (https://docs.discord.com/developers/events/gateway#session-start-limit-object).
const IdentifyWindow = 5 * time.Second

// Option changes a Server's defaults in NewServer.
type Option func(*config)

type config struct {
	heartbeat      time.Duration
	deadline       time.Duration
	intents        int64
	maxConcurrency int
	identifyWindow time.Duration
}

// HeartbeatInterval sets the heartbeat_interval sent in HELLO; the default is
// Discord's own, 41.25 seconds. discordgo reconnects when five intervals pass
// without a HEARTBEAT_ACK. A short interval makes discordgo's own races likely: a
// heartbeat that fails on a dropped connection reconnects beside the read loop's
// reconnect (even after Close), and the two touch the session's gateway URL unlocked.
func HeartbeatInterval(d time.Duration) Option {
	return func(c *config) { c.heartbeat = d }
}

// Deadline replaces the 3-second InteractionDeadline, so that tests of a late
// callback need not wait 3 seconds.
func Deadline(d time.Duration) Option {
	return func(c *config) { c.deadline = d }
}

// AllowIntents enables privileged gateway intents (GUILD_MEMBERS 1<<1,
// GUILD_PRESENCES 1<<8, MESSAGE_CONTENT 1<<15), as switching them on in the
// developer portal does. Without it, an IDENTIFY asking for one is closed with 4014
// "Disallowed intent(s)".
func AllowIntents(mask int64) Option {
	return func(c *config) { c.intents |= mask }
}

// Server is a fake Discord for one bot token. Create it with NewServer.
type Server struct {
	token string
	cfg   config
	ts    *httptest.Server
	tr    *http.Transport
	up    websocket.Upgrader
	gw    gateway

	mu           sync.Mutex
	lastID       uint64
	members      map[string]*member
	channels     map[string]*channel
	dms          map[string]string // user id → DM channel id
	interactions map[string]*interaction
	modals       map[string]*shownModal // user id + "/" + custom_id
	commands     map[string][]commandEntry
	requests     []*Request
	limits       []*rateLimit
	canned       []cannedFailure
	violations   []string
	windows      []limitWindow // the retry_after of every 429 answered
	bucketLimit  int           // MessageBuckets: messages per channel per bucketWindow
	bucketWindow time.Duration
	buckets      map[string]*bucketState
	routeRefused int
	proxy        mediaProxy // its own lock: fetches run outside mu
}

// NewServer starts a fake Discord that accepts token (without the "Bot " prefix);
// tb.Cleanup closes it, gateway connections included.
func NewServer(tb testing.TB, token string, opts ...Option) *Server {
	tb.Helper()
	s := &Server{
		token:        token,
		cfg:          config{heartbeat: 41250 * time.Millisecond, deadline: InteractionDeadline, maxConcurrency: 1, identifyWindow: IdentifyWindow},
		up:           websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		members:      make(map[string]*member),
		channels:     make(map[string]*channel),
		dms:          make(map[string]string),
		interactions: make(map[string]*interaction),
		modals:       make(map[string]*shownModal),
		commands:     make(map[string][]commandEntry),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.gw.init()
	s.channels[guildChannelID] = &channel{id: guildChannelID, guildID: guildID, byID: make(map[string]*message)}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.tr = &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 64}
	tb.Cleanup(s.close)
	return s
}

// close ends the gateway connections first: httptest does not wait for hijacked
// connections, so their goroutines are waited for here.
func (s *Server) close() {
	s.gw.closeAll()
	s.tr.CloseIdleConnections()
	s.ts.Close()
}

// URL is the server's base URL, "http://127.0.0.1:port": the REST API is under
// URL()+"/api/v9/" and the gateway at ws://127.0.0.1:port/gateway.
func (s *Server) URL() string {
	return s.ts.URL
}

// GatewayURL is the url GET /api/v9/gateway answers, "ws://127.0.0.1:port/gateway".
func (s *Server) GatewayURL() string {
	return "ws" + s.ts.URL[len("http"):] + "/gateway"
}

// AppID is the bot's application id, which is also its user id.
func (s *Server) AppID() string { return appID }

// GuildID is the one guild the bot is in.
func (s *Server) GuildID() string { return guildID }

// GuildChannelID is the guild's text channel, where guild slash commands are used.
func (s *Server) GuildChannelID() string { return guildChannelID }

// WaitFor polls cond every 5ms until it returns true, failing the test with
// "timed out after <timeout> waiting for <what>" after timeout (testwait.For). Call it
// from the test's goroutine.
func (s *Server) WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	testwait.For(tb, timeout, what, cond)
}

// newIDLocked is a fresh snowflake: milliseconds since the Discord epoch in the top
// bits, so ids grow with time as Discord's do, and strictly increasing.
func (s *Server) newIDLocked() string {
	id := uint64(time.Now().UnixMilli()-discordEpoch)<<22 | 1<<17
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

// timestamp is Discord's ISO8601 format for message and member times.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}
