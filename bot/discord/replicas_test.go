package discord_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// Short lifetimes, so that a takeover takes seconds: a lease of 1.5 s is renewed every
// 0.5 s, and one IDENTIFY a second starts a session, on the fake as on the channel.
const (
	replicaTTL     = 1500 * time.Millisecond
	identifyWindow = time.Second
	// takeover bounds the time from cutting the holder off to the other's session: the
	// lease runs out (ttl), the other asks again (ttl/3) and waits for its IDENTIFY slot.
	takeover = replicaTTL + replicaTTL/3 + identifyWindow + 2*time.Second
)

// cuttable is a replica's lease store, which can be cut off from Redis.
type cuttable struct {
	*storage.Store
	cut atomic.Bool
}

var errCut = errors.New("cut off from Redis")

func (c *cuttable) Lease(ctx context.Context, name, owner string, ttl time.Duration) (int64, error) {
	if c.cut.Load() {
		return 0, errCut
	}
	return c.Store.Lease(ctx, name, owner, ttl)
}

func (c *cuttable) ReleaseLease(ctx context.Context, name, owner string) error {
	if c.cut.Load() {
		return errCut
	}
	return c.Store.ReleaseLease(ctx, name, owner)
}

// handled records which replica handled each interaction, by update id.
type handled struct {
	mu sync.Mutex
	by map[string][]string
}

type replicaHandler struct {
	h       *handled
	replica string
}

func (r replicaHandler) Handle(_ context.Context, ev bot.Event) error {
	r.h.mu.Lock()
	defer r.h.mu.Unlock()
	r.h.by[ev.UpdateID] = append(r.h.by[ev.UpdateID], r.replica)
	return nil
}

func (h *handled) of(id string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.by[id])
}

// twice lists the interactions handled more than once, with their replicas.
func (h *handled) twice() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for id, rs := range h.by {
		if len(rs) > 1 {
			out = append(out, fmt.Sprintf("%s by %v", id, rs))
		}
	}
	return out
}

// replica is one bot replica's Discord channel, running until stop or the test's end.
type replica struct {
	name  string
	store *cuttable
	ch    *discord.Channel
	stop  context.CancelFunc
	done  chan error
}

// startReplicas runs n channels on one fake and one Redis, each holding shards under
// the leases.
func startReplicas(t *testing.T, srv *discordtest.Server, shards, n int, h *handled) ([]*replica, *storage.Store) {
	t.Helper()
	rdb := redistest.Start(t).Client(t)
	var rs []*replica
	for i := range n {
		r := &replica{name: fmt.Sprintf("r%d", i), store: &cuttable{Store: storage.New(rdb)}, done: make(chan error, 1)}
		ch, err := discord.New(discord.Config{Token: testToken, APIBase: srv.URL(), Lease: r.store, Replica: r.name,
			Shards: shards, LeaseTTL: replicaTTL, IdentifyWindow: identifyWindow},
			slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)).With("replica", r.name))
		if err != nil {
			t.Fatal(err)
		}
		r.ch = ch
		ctx, cancel := context.WithCancel(context.Background())
		r.stop = cancel
		go func() { r.done <- ch.Run(ctx, replicaHandler{h, r.name}) }()
		rs = append(rs, r)
	}
	t.Cleanup(func() {
		for _, r := range rs {
			r.stop()
		}
		for _, r := range rs {
			select {
			case err := <-r.done:
				if err != nil {
					t.Errorf("%s: Run: %v", r.name, err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("%s: Run did not return after cancel", r.name)
			}
		}
	})
	return rs, storage.New(rdb)
}

// holder is the replica holding the lease of shard i of n.
func holder(t *testing.T, st *storage.Store, i, n int) string {
	t.Helper()
	owner, _, err := st.LeaseHolder(context.Background(), fmt.Sprintf("discord:shard:%d/%d", i, n))
	if err != nil {
		t.Fatal(err)
	}
	return owner
}

// answered reports whether interaction id got its one callback in time, and what the
// fake saw otherwise.
func answered(srv *discordtest.Server, id string) (bool, string) {
	r := srv.Responses(id)
	if len(r) == 1 && r[0].Status == 204 && r[0].Delay < discordtest.InteractionDeadline {
		return true, ""
	}
	return false, fmt.Sprintf("interaction %s: callbacks %+v, sent to %v", id, r, srv.SentTo(id))
}

// Two replicas share one shard: one session on it at a time, every interaction
// handled once by the holder and answered within 3 s; when the holder is cut off, the
// other takes the shard over within the lease's lifetime and handles what follows.
func TestReplicasTakeOverTheShard(t *testing.T) {
	tests := []struct {
		name string
		cut  func(r *replica)
	}{
		// renewals fail: the holder ends its session at two thirds of the lifetime,
		// and the lease runs out unreleased
		{"holder cut off from Redis", func(r *replica) { r.store.cut.Store(true) }},
		// a shutdown releases the lease: the other takes it at its next try
		{"holder shut down", func(r *replica) { r.stop() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := discordtest.NewServer(t, testToken, discordtest.IdentifyLimit(1, identifyWindow))
			srv.AddMember(resident, "Anna")
			h := &handled{by: map[string][]string{}}
			rs, st := startReplicas(t, srv, 1, 2, h)
			shard := discordtest.Shard{ID: 0, Count: 1}
			testwait.Until(t, 10*time.Second, "one session and the slash commands", func() (bool, string) {
				return srv.Sessions(shard) == 1 && len(srv.Commands("")) > 0, fmt.Sprintf("live %v", srv.LiveShards())
			})
			first := holder(t, st, 0, 1)

			// the resident's interactions are handled once, by the holder
			tap := func(want string) string {
				t.Helper()
				id := srv.Slash(resident, "status", false, nil)
				testwait.Until(t, 5*time.Second, "the interaction answered and handled", func() (bool, string) {
					ok, saw := answered(srv, id)
					return ok && len(h.of(id)) == 1, fmt.Sprintf("%s; handled by %v", saw, h.of(id))
				})
				if by := h.of(id); by[0] != want {
					t.Errorf("interaction %s handled by: got %v, want %v", id, by, want)
				}
				return id
			}
			for range 3 {
				tap(first)
			}

			// the resident keeps tapping through the takeover
			var mu sync.Mutex
			var during []string
			stopTapping := make(chan struct{})
			tapped := make(chan struct{})
			go func() {
				defer close(tapped)
				for {
					select {
					case <-stopTapping:
						return
					case <-time.After(50 * time.Millisecond):
					}
					id := srv.Slash(resident, "status", false, nil)
					mu.Lock()
					during = append(during, id)
					mu.Unlock()
				}
			}()
			var cut *replica
			for _, r := range rs {
				if r.name == first {
					cut = r
				}
			}
			cutAt := time.Now()
			tt.cut(cut)
			var second string
			testwait.Until(t, takeover, "the other replica on the shard", func() (bool, string) {
				second = holder(t, st, 0, 1)
				return second != "" && second != first && srv.Sessions(shard) == 1 && srv.Identified() == 2,
					fmt.Sprintf("holder %q, live %v, identified %d", second, srv.LiveShards(), srv.Identified())
			})
			took := time.Since(cutAt)
			close(stopTapping)
			<-tapped

			for range 3 {
				tap(second)
			}
			// the taps during the takeover: answered, or lost while no session was live
			mu.Lock()
			defer mu.Unlock()
			var lost []string
			for _, id := range during {
				testwait.Until(t, 5*time.Second, "the tap answered or failed", func() (bool, string) {
					ok, saw := answered(srv, id)
					return ok || srv.Failed(id), saw
				})
				if ok, _ := answered(srv, id); !ok {
					lost = append(lost, id)
				} else if n := len(h.of(id)); n != 1 {
					t.Errorf("tap %s during the takeover answered, handled %d times, want 1", id, n)
				}
			}
			t.Logf("takeover from %s to %s in %s: %d taps meanwhile, %d lost while no session was live",
				first, second, took.Round(time.Millisecond), len(during), len(lost))
			if got, want := srv.Unanswered(), lost; !slices.Equal(got, want) {
				t.Errorf("unanswered: got %v, want only the %d taps lost in the takeover %v", got, len(want), want)
			}
			if v := srv.GatewayViolations(); len(v) != 0 {
				t.Errorf("gateway violations: got %q, want none", v)
			}
			if r := srv.Repeated(); len(r) != 0 {
				t.Errorf("interactions with two callbacks: got %v, want none", r)
			}
			if d := h.twice(); len(d) != 0 {
				t.Errorf("interactions handled twice: got %v, want none", d)
			}
		})
	}
}

// Two replicas, two shards: each shard held once, a DM arrives via shard 0 and the
// guild's interactions via the guild's shard, each at its holder.
func TestReplicasShareTwoShards(t *testing.T) {
	srv := discordtest.NewServer(t, testToken, discordtest.IdentifyLimit(1, identifyWindow))
	srv.AddMember(resident, "Anna")
	h := &handled{by: map[string][]string{}}
	_, st := startReplicas(t, srv, 2, 2, h)
	want := []discordtest.Shard{{ID: 0, Count: 2}, {ID: 1, Count: 2}}
	testwait.Until(t, 10*time.Second, "a session on each shard", func() (bool, string) {
		return slices.Equal(srv.LiveShards(), want), fmt.Sprintf("live %v, violations %q", srv.LiveShards(), srv.GatewayViolations())
	})
	tests := []struct {
		name  string
		guild bool
		shard int
	}{
		{"DM", false, 0},
		{"guild", true, discordtest.GuildShard(srv.GuildID(), 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := srv.Slash(resident, "status", tt.guild, nil)
			testwait.Until(t, 5*time.Second, "the interaction answered and handled", func() (bool, string) {
				ok, saw := answered(srv, id)
				return ok && len(h.of(id)) == 1, fmt.Sprintf("%s; handled by %v", saw, h.of(id))
			})
			if got, want := srv.SentTo(id), []discordtest.Shard{{ID: tt.shard, Count: 2}}; !slices.Equal(got, want) {
				t.Errorf("sent to: got %v, want %v", got, want)
			}
			if got, want := h.of(id), []string{holder(t, st, tt.shard, 2)}; !slices.Equal(got, want) {
				t.Errorf("handled by: got %v, want the holder of shard %d, %v", got, tt.shard, want)
			}
		})
	}
	if v := srv.GatewayViolations(); len(v) != 0 {
		t.Errorf("gateway violations: got %q, want none", v)
	}
	if got := srv.Identified(); got != 2 {
		t.Errorf("sessions started: got %v, want 2", got)
	}
}
