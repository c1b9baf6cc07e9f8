package discord

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/internal/lease"
)

// DefaultIdentifyWindow is the time in which Discord starts at most max_concurrency
// gateway sessions: "the number of identify requests allowed per 5 seconds"
// (https://docs.discord.com/developers/events/gateway#session-start-limit-object).
const DefaultIdentifyWindow = 5 * time.Second

// identifyGate spaces the IDENTIFYs of every replica. Discord answers one over the
// limit with INVALID_SESSION (https://docs.discord.com/developers/events/gateway#rate-limiting),
// upon which discordgo identifies again at once, so a bot that does not wait ends
// up hammering the gateway. Shards share a limit by their rate limit key,
// shard_id % max_concurrency; max_concurrency comes from GET /gateway/bot.
//
// With a lease store, a slot is a lease named discord:identify:<key> that nobody
// releases: it runs out by itself a window later, and until then no other replica
// takes it. Without one, this process keeps the times itself.
type identifyGate struct {
	store  lease.Store // nil: one process, slots in next
	owner  string
	window time.Duration
	rest   *discordgo.Session
	log    *slog.Logger

	mu          sync.Mutex
	concurrency int // max_concurrency, 0 until asked
	next        map[int]time.Time
	taken       uint64 // makes every slot's owner unique, so that it is never renewed
}

// hold is how long a slot is kept: a tenth more than the window, for the time between
// taking it and the IDENTIFY reaching Discord, which differs between one IDENTIFY and
// the next.
func (g *identifyGate) hold() time.Duration { return g.window + g.window/10 }

// wait returns when shard (of n) may identify, or with ctx's error.
func (g *identifyGate) wait(ctx context.Context, shard, n int) error {
	key := shard % g.maxConcurrency(n)
	if g.store == nil {
		g.mu.Lock()
		at := time.Now()
		if g.next[key].After(at) {
			at = g.next[key]
		}
		g.next[key] = at.Add(g.hold())
		g.mu.Unlock()
		return sleep(ctx, time.Until(at))
	}
	g.mu.Lock()
	g.taken++
	owner := fmt.Sprintf("%s#%d", g.owner, g.taken)
	g.mu.Unlock()
	name := fmt.Sprintf("discord:identify:%d", key)
	for {
		token, err := g.store.Lease(ctx, name, owner, g.hold())
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			g.log.Warn("identify slot unavailable", "slot", name, "err", err)
		case token > 0:
			return nil
		}
		if err := sleep(ctx, g.window/10); err != nil {
			return err
		}
	}
}

// maxConcurrency asks GET /gateway/bot once; with one shard it does not matter, and
// when the answer does not come, 1 (every shard one key) is safe.
func (g *identifyGate) maxConcurrency(n int) int {
	if n <= 1 {
		return 1
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.concurrency == 0 {
		g.concurrency = 1
		if gb, err := g.rest.GatewayBot(); err != nil {
			g.log.Warn("session start limit unknown: one IDENTIFY per window", "err", err)
		} else if gb.SessionStartLimit.MaxConcurrency > 1 {
			g.concurrency = gb.SessionStartLimit.MaxConcurrency
		}
	}
	return g.concurrency
}

// sleep waits d, or returns ctx's error when it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
