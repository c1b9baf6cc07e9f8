package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Shard is a gateway session's [shard_id, num_shards] from its IDENTIFY
// (https://docs.discord.com/developers/events/gateway#sharding); a session that sends
// none is [0, 1] and gets every event.
type Shard struct {
	ID, Count int
}

func (s Shard) String() string { return fmt.Sprintf("[%d, %d]", s.ID, s.Count) }

// GuildShard is the shard that gets the events of guild guildID among count shards:
// (guild_id >> 22) % num_shards, Discord's sharding formula.
func GuildShard(guildID string, count int) int {
	id, _ := strconv.ParseUint(guildID, 10, 64)
	return int((id >> 22) % uint64(max(count, 1)))
}

// routes reports whether an event of guild (empty: none) goes to a session of shard
// s. "Gateway events that do not contain a guild_id will only be sent to the first
// shard (shard_id: 0). This includes Direct Message (DM) […] events."
func (s Shard) routes(guild string) bool {
	if guild == "" {
		return s.ID == 0
	}
	return GuildShard(guild, s.Count) == s.ID
}

// guildOf is the guild_id of an event's data, "" when it has none.
func guildOf(d json.RawMessage) string {
	var v struct {
		GuildID string `json:"guild_id"`
	}
	_ = json.Unmarshal(d, &v)
	return v.GuildID
}

// IdentifyLimit replaces the session start limit's max_concurrency (default 1, as for
// every bot below 150,000 guilds) and the 5 seconds it counts in, so that tests of
// several shards need not wait 5 seconds per IDENTIFY. GET /gateway/bot reports
// maxConcurrency.
func IdentifyLimit(maxConcurrency int, window time.Duration) Option {
	return func(c *config) { c.maxConcurrency, c.identifyWindow = max(maxConcurrency, 1), window }
}

// identifyAllowedLocked tells whether an IDENTIFY for shard may start a session now:
// "Apps also have a limit for concurrent Identify requests allowed per 5 seconds. If
// you hit this limit, the Gateway will respond with an Invalid Session (opcode 9)"
// (https://docs.discord.com/developers/events/gateway#rate-limiting). Shards share a
// limit by their rate limit key, shard_id % max_concurrency. A refusal is a violation.
func (s *Server) identifyAllowedLocked(shard Shard, now time.Time) bool {
	key := shard.ID % s.cfg.maxConcurrency
	last, seen := s.gw.lastIdentify[key]
	if seen && now.Sub(last) < s.cfg.identifyWindow {
		s.gw.violateLocked(fmt.Sprintf("IDENTIFY for shard %s %s after the previous one of rate limit key %d (max_concurrency %d per %s)",
			shard, now.Sub(last).Round(time.Millisecond), key, s.cfg.maxConcurrency, s.cfg.identifyWindow))
		return false
	}
	s.gw.lastIdentify[key] = now
	return true
}

// goLiveLocked makes c a live connection of its session's shard. Discord accepts a
// second session for one [shard_id, num_shards] and sends the shard's events to both
// ("You can establish multiple sessions with the same [shard_id, num_shards]",
// https://docs.discord.com/developers/events/gateway#sharding), so the fake does too;
// for this bot, which answers each interaction from one replica, it is a violation.
func (s *Server) goLiveLocked(c *gwConn) {
	for other := range s.gw.live {
		if other != c && other.session.shard == c.session.shard {
			s.gw.violateLocked(fmt.Sprintf("two live sessions on shard %s", c.session.shard))
			break
		}
	}
	s.gw.live[c] = true
}

// maxViolations bounds the violations kept: discordgo identifies again at once upon
// INVALID_SESSION, so a bot that ignores the limit is refused thousands of times.
const maxViolations = 20

func (g *gateway) violateLocked(v string) {
	if len(g.violations) < maxViolations {
		g.violations = append(g.violations, v)
		return
	}
	g.moreViolations++
}

// GatewayViolations lists what the bot did on the gateway against Discord's rules or
// this bot's design, in order: an IDENTIFY over the session start limit
// (max_concurrency per 5 seconds, answered with INVALID_SESSION), a second live
// session on one shard. A bot that respects them has none. After the first 20, the
// last entry only counts the others.
func (s *Server) GatewayViolations() []string {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	out := slices.Clone(s.gw.violations)
	if s.gw.moreViolations > 0 {
		out = append(out, fmt.Sprintf("and %d more", s.gw.moreViolations))
	}
	return out
}

// Sessions is the number of live gateway sessions (identified or resumed, not
// closed) on shard.
func (s *Server) Sessions(shard Shard) int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	n := 0
	for c := range s.gw.live {
		if c.session.shard == shard {
			n++
		}
	}
	return n
}

// LiveShards lists the shard of every live gateway session, sorted; a shard twice
// means two sessions on it.
func (s *Server) LiveShards() []Shard {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	var out []Shard
	for c := range s.gw.live {
		out = append(out, c.session.shard)
	}
	slices.SortFunc(out, func(a, b Shard) int {
		if a.Count != b.Count {
			return a.Count - b.Count
		}
		return a.ID - b.ID
	})
	return out
}
