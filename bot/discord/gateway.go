package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/participatiebot/participatiebot/internal/lease"
)

// Sharding (https://docs.discord.com/developers/events/gateway#sharding): a session
// that identifies with [shard_id, num_shards] gets the events of the guilds with
// (guild_id >> 22) % num_shards == shard_id, and shard 0 also every event without a
// guild, DMs among them. Discord does not refuse two sessions on one shard ("You can
// establish multiple sessions with the same [shard_id, num_shards]"): both get the
// shard's interactions, and only one can answer each. So each shard is a lease, and
// only its holder opens the shard's session.

// holdShard runs shard i of n until ctx (Run's) ends: under its lease when there is a
// store, else here.
func (c *Channel) holdShard(ctx context.Context, i, n int) error {
	if c.cfg.Lease == nil {
		return c.runShard(ctx, ctx, i, n)
	}
	name := fmt.Sprintf("discord:shard:%d/%d", i, n)
	return lease.Hold(ctx, c.cfg.Lease, name, c.cfg.Replica, c.cfg.LeaseTTL, c.log, func(role context.Context, _ int64) error {
		return c.runShard(role, ctx, i, n)
	})
}

// runShard keeps a gateway session for shard i of n open until ctx ends (the lease
// lost, or shutdown), and then closes it. Its interactions go to the workers until
// work (Run's context) ends, so that one acknowledged as the lease ends is handled.
//
// It identifies once, through the identify gate; after a dropped connection it
// resumes at once, since a RESUME is not held to the session start limit and
// interactions that arrive meanwhile are lost. discordgo's own reconnecting is off:
// it would carry on after Close, past the end of the lease.
func (c *Channel) runShard(ctx, work context.Context, i, n int) error {
	log := c.log.With("shard", fmt.Sprintf("%d/%d", i, n))
	dg, err := c.session()
	if err != nil {
		return err
	}
	dg.ShardID, dg.ShardCount = i, n
	dg.ShouldReconnectOnError = false
	c.live.add(i, dg)
	defer c.live.remove(i)
	dg.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		defer c.recoverInteraction(work, ic)
		c.interaction(work, ic)
	})
	ready := make(chan *discordgo.Ready, 1)
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		select {
		case ready <- r:
		default:
		}
	})
	down := make(chan struct{}, 1)
	dg.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		select {
		case down <- struct{}{}:
		default:
		}
	})
	identified, failures := false, 0
	for {
		var err error
		if identified {
			err = sleep(ctx, backoff(failures))
		} else {
			err = c.gate.wait(ctx, i, n) // a new session: in its turn among all replicas
		}
		if err != nil {
			return nil // ctx ended
		}
		if err := dg.Open(); err != nil {
			if fatal(err) {
				return fmt.Errorf("discord: shard %d/%d: connect: %w", i, n, err)
			}
			failures++
			log.Warn("discord gateway: connect", "err", err, "failures", failures)
			continue
		}
		identified, failures = true, 0
		if err := c.connected(ctx, ready, down, log); err != nil || ctx.Err() != nil {
			_ = dg.Close()
			return err
		}
		log.Warn("discord gateway: connection lost, resuming")
	}
}

// connected waits while the session is open: it registers the slash commands at the
// first READY, and returns when the connection drops or ctx ends.
func (c *Channel) connected(ctx context.Context, ready <-chan *discordgo.Ready, down <-chan struct{}, log *slog.Logger) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-down:
			return nil
		case r := <-ready:
			if err := c.registerOnce(r); err != nil {
				return err
			}
			log.Info("discord connected", "bot", r.User.Username)
		}
	}
}

// backoff is the pause before reconnect attempt n: none for the first, then 1 s
// doubling up to a minute.
func backoff(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return min(time.Second<<min(n-1, 6), time.Minute)
}

// fatal tells the connect errors that trying again cannot mend: a wrong token,
// shards Discord refuses, an API version or intents it does not allow
// (https://docs.discord.com/developers/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes).
// Each further IDENTIFY would count against the 1000 a day.
func fatal(err error) bool {
	if errors.Is(err, discordgo.ErrWSShardBounds) {
		return true
	}
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case 4004, 4010, 4011, 4012, 4013, 4014:
		return true
	}
	return false
}

// registerOnce overwrites the slash commands at the first READY this replica gets,
// once per Run: bulk overwrite is idempotent, so replicas that each do it once agree.
func (c *Channel) registerOnce(r *discordgo.Ready) error {
	c.regMu.Lock()
	defer c.regMu.Unlock()
	if c.registered {
		return nil
	}
	if err := c.register(r.User.ID, r); err != nil {
		return err
	}
	c.registered = true
	return nil
}
