package discordtest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		compress bool // discordgo's default: READY then arrives zlib-compressed
	}{
		{"compressed", true},
		{"plain", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			dg := newSession(t, s)
			dg.Compress = tt.compress
			dg.SyncEvents = true // handlers in arrival order, to check sequence numbers
			var mu sync.Mutex
			var ready *discordgo.Ready
			var guild *discordgo.GuildCreate
			var seqs []int64
			dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { mu.Lock(); ready = r; mu.Unlock() })
			dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { mu.Lock(); guild = g; mu.Unlock() })
			dg.AddHandler(func(_ *discordgo.Session, e *discordgo.Event) {
				mu.Lock()
				seqs = append(seqs, e.Sequence)
				mu.Unlock()
			})
			if err := dg.Open(); err != nil {
				t.Fatalf("Open: got %v, want no error", err)
			}
			t.Cleanup(func() { _ = dg.Close() })
			s.Slash(anna, "start", false, nil)
			s.WaitFor(t, 5*time.Second, "three events", func() bool { mu.Lock(); defer mu.Unlock(); return len(seqs) == 3 })

			mu.Lock()
			defer mu.Unlock()
			if ready == nil || ready.User.ID != s.AppID() || !ready.User.Bot || ready.SessionID == "" || ready.Application.ID != s.AppID() || ready.Version != 9 {
				t.Errorf("READY: got %+v, want the bot user, a session and application %s on v9", ready, s.AppID())
			}
			if guild == nil || guild.ID != s.GuildID() || len(guild.Channels) != 1 || guild.Channels[0].ID != s.GuildChannelID() {
				t.Errorf("GUILD_CREATE: got %+v, want guild %s with channel %s", guild, s.GuildID(), s.GuildChannelID())
			}
			if want := []int64{1, 2, 3}; len(seqs) != 3 || seqs[0] != want[0] || seqs[2] != want[2] {
				t.Errorf("sequence numbers: got %v, want %v", seqs, want)
			}
			if !s.Connected() || s.Identified() != 1 {
				t.Errorf("Connected, Identified: got %v %v, want true 1", s.Connected(), s.Identified())
			}
			if r := s.Requests(); len(r) != 1 || r[0].Method != "GET" || r[0].Path != "/api/v9/gateway" || r[0].Status != 200 {
				t.Errorf("requests: got %+v, want one GET /api/v9/gateway answered 200", r)
			}
		})
	}
}

func TestOpenRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		token     string
		intents   discordgo.Intent
		opts      []Option
		wantClose int // 0: accepted
	}{
		{"wrong token", "Bot wrong", discordgo.IntentsAllWithoutPrivileged, nil, 4004},
		{"token without Bot prefix is accepted", testToken, discordgo.IntentsAllWithoutPrivileged, nil, 0},
		{"message content intent not enabled", "Bot " + testToken, discordgo.IntentsAllWithoutPrivileged | discordgo.IntentMessageContent, nil, 4014},
		{"message content intent enabled", "Bot " + testToken, discordgo.IntentsAllWithoutPrivileged | discordgo.IntentMessageContent, []Option{AllowIntents(int64(discordgo.IntentMessageContent))}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tt.opts...)
			dg := newSession(t, s)
			dg.Token, dg.Identify.Token = tt.token, tt.token
			dg.Identify.Intents = tt.intents
			err := dg.Open()
			if err == nil {
				t.Cleanup(func() { _ = dg.Close() })
			}
			got := 0
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				got = ce.Code
			} else if err != nil {
				t.Fatalf("Open: got %v, want a close error or none", err)
			}
			if got != tt.wantClose {
				t.Errorf("close code: got %v, want %v", got, tt.wantClose)
			}
		})
	}
}

func TestHeartbeatsAcknowledged(t *testing.T) {
	t.Parallel()
	s := newServer(t, HeartbeatInterval(20*time.Millisecond))
	openSession(t, s)
	// discordgo reconnects after five intervals without an ACK; forty heartbeats
	// on one connection show every one was answered.
	s.WaitFor(t, 5*time.Second, "40 heartbeats", func() bool { return s.Heartbeats() >= 40 })
	if s.Identified() != 1 || s.Resumed() != 0 {
		t.Errorf("Identified, Resumed: got %v %v, want 1 0", s.Identified(), s.Resumed())
	}
}

func TestReconnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		drop           func(s *Server, dg *discordgo.Session) error
		wantIdentified int
		wantResumed    int
	}{
		{"server restarts", func(s *Server, _ *discordgo.Session) error { s.Disconnect(4000); return nil }, 1, 1},
		{"session timed out", func(s *Server, _ *discordgo.Session) error { s.Disconnect(4009); return nil }, 2, 0},
		{"client closes and opens", func(_ *Server, dg *discordgo.Session) error {
			if err := dg.Close(); err != nil {
				return err
			}
			return dg.Open()
		}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// a timed-out session identifies anew at once: no session start limit
			// here (TestIdentifyLimit has it)
			s := newServer(t, IdentifyLimit(1, 0))
			dg, got := openSession(t, s)
			if err := tt.drop(s, dg); err != nil {
				t.Fatal(err)
			}
			s.WaitFor(t, 10*time.Second, "the bot back on the gateway", func() bool {
				return s.Connected() && s.Identified() == tt.wantIdentified && s.Resumed() == tt.wantResumed
			})
			id := s.Slash(anna, "start", false, nil)
			if in := next(t, got); in.ID != id {
				t.Errorf("interaction after reconnect: got %v, want %v", in.ID, id)
			}
		})
	}
}
