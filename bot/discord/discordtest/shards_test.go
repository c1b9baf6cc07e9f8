package discordtest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// openShard connects a session identifying as shard [id, n] and returns it with the
// interactions it receives.
func openShard(t *testing.T, s *Server, id, n int) (*discordgo.Session, <-chan *discordgo.InteractionCreate) {
	t.Helper()
	dg := newSession(t, s)
	dg.ShardID, dg.ShardCount = id, n
	got := make(chan *discordgo.InteractionCreate, 64)
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { got <- ic })
	if err := dg.Open(); err != nil {
		t.Fatalf("Open shard [%d, %d]: got %v, want no error", id, n, err)
	}
	t.Cleanup(func() { _ = dg.Close() })
	return dg, got
}

// none checks that got receives nothing while other, which got the same event,
// already has.
func none(t *testing.T, got <-chan *discordgo.InteractionCreate, what string) {
	t.Helper()
	select {
	case ic := <-got:
		t.Errorf("%s: got interaction %s, want none", what, ic.ID)
	default:
	}
}

// The guild's events go to shard (guild_id >> 22) % 2, DMs to shard 0 only.
func TestShardRouting(t *testing.T) {
	t.Parallel()
	s := newServer(t, IdentifyLimit(2, IdentifyWindow)) // two shards may identify at once
	_, got0 := openShard(t, s, 0, 2)
	_, got1 := openShard(t, s, 1, 2)
	guildShard := GuildShard(s.GuildID(), 2)
	gotGuild, other := got0, got1
	if guildShard == 1 {
		gotGuild, other = got1, got0
	}

	dm := s.Slash(anna, "start", false, nil)
	if in := next(t, got0); in.ID != dm {
		t.Errorf("DM on shard 0: got %v, want %v", in.ID, dm)
	}
	guild := s.Slash(anna, "start", true, nil)
	if in := next(t, gotGuild); in.ID != guild {
		t.Errorf("guild on shard %d: got %v, want %v", guildShard, in.ID, guild)
	}
	none(t, got1, "DM on shard 1")
	if guildShard == 1 {
		none(t, other, "guild on shard 0")
	}
	if got, want := s.SentTo(dm), []Shard{{0, 2}}; !slices.Equal(got, want) {
		t.Errorf("DM sent to: got %v, want %v", got, want)
	}
	if got, want := s.SentTo(guild), []Shard{{guildShard, 2}}; !slices.Equal(got, want) {
		t.Errorf("guild interaction sent to: got %v, want %v", got, want)
	}
	if v := s.GatewayViolations(); len(v) != 0 {
		t.Errorf("violations: got %v, want none", v)
	}
}

// Discord lets two sessions identify with one [shard_id, num_shards] and sends both the
// shard's events; the fake does so too and counts it.
func TestTwoSessionsOnOneShard(t *testing.T) {
	t.Parallel()
	s := newServer(t, IdentifyLimit(1, 0))
	_, a := openShard(t, s, 0, 1)
	_, b := openShard(t, s, 0, 1)
	id := s.Slash(anna, "start", false, nil)
	if in := next(t, a); in.ID != id {
		t.Errorf("first session: got %v, want %v", in.ID, id)
	}
	if in := next(t, b); in.ID != id {
		t.Errorf("second session: got %v, want %v", in.ID, id)
	}
	if got := s.Sessions(Shard{0, 1}); got != 2 {
		t.Errorf("sessions on [0, 1]: got %v, want 2", got)
	}
	if v := s.GatewayViolations(); len(v) != 1 || v[0] != "two live sessions on shard [0, 1]" {
		t.Errorf("violations: got %q, want one for two live sessions on shard [0, 1]", v)
	}
}

// Within the window only max_concurrency IDENTIFYs of one rate limit key start a
// session; another is answered with INVALID_SESSION and counted.
func TestIdentifyLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		concurrent int
		wantRefuse bool
	}{
		{"one at a time", 1, true},
		{"two keys", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, IdentifyLimit(tt.concurrent, 300*time.Millisecond))
			openShard(t, s, 0, 2)
			openShard(t, s, 1, 2) // discordgo identifies again at INVALID_SESSION
			s.WaitFor(t, 5*time.Second, "both shards live", func() bool { return len(s.LiveShards()) == 2 })
			v := s.GatewayViolations()
			if refused := len(v) > 0; refused != tt.wantRefuse {
				t.Errorf("violations: got %q, want some: %v", v, tt.wantRefuse)
			}
			if len(v) > 0 && !strings.HasPrefix(v[0], "IDENTIFY for shard [1, 2]") {
				t.Errorf("violation: got %q, want the IDENTIFY of shard [1, 2]", v[0])
			}
			if s.Identified() != 2 {
				t.Errorf("sessions started: got %v, want 2", s.Identified())
			}
		})
	}
}

// An interaction nobody answers and one answered twice are both reported.
func TestUnansweredAndRepeated(t *testing.T) {
	t.Parallel()
	s := newServer(t, Deadline(100*time.Millisecond))
	dg, got := openSession(t, s)
	lost := s.Slash(anna, "start", false, nil)
	next(t, got)
	twice := s.Slash(bert, "start", false, nil)
	in := next(t, got)
	ack := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if err := dg.InteractionRespond(in, ack); err != nil {
		t.Fatal(err)
	}
	if err := dg.InteractionRespond(in, ack); code(t, err) != 40060 {
		t.Errorf("second callback: got %v, want 40060", err)
	}
	s.WaitFor(t, 5*time.Second, "the deadline", func() bool { return s.Failed(lost) })
	if got, want := s.Unanswered(), []string{lost}; !slices.Equal(got, want) {
		t.Errorf("unanswered: got %v, want %v", got, want)
	}
	if got, want := s.Repeated(), []string{twice}; !slices.Equal(got, want) {
		t.Errorf("repeated: got %v, want %v", got, want)
	}
}
