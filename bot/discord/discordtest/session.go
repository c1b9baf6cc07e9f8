package discordtest

import (
	"encoding/json"
	"time"
)

// identify answers IDENTIFY (https://docs.discord.com/developers/events/gateway-events#identify)
// with READY and then GUILD_CREATE for the one guild when it is on the session's
// shard, compressed when the client asked for "compress": true, as discordgo does by
// default. The token may carry the "Bot " prefix; discordgo sends Session.Token as
// given to discordgo.New. An IDENTIFY over the session start limit is answered with
// INVALID_SESSION (see identifyAllowedLocked).
func (s *Server) identify(c *gwConn, d json.RawMessage) (int, string) {
	var id struct {
		Token    string  `json:"token"`
		Intents  int64   `json:"intents"`
		Compress bool    `json:"compress"`
		Shard    *[2]int `json:"shard"`
	}
	if json.Unmarshal(d, &id) != nil {
		return closeDecodeError, "Error while decoding payload."
	}
	if !s.tokenOK(id.Token) {
		return closeAuthFailed, "Authentication failed."
	}
	if id.Intents&privilegedIntents&^s.cfg.intents != 0 {
		return closeDisallowedIntents, "Disallowed intent(s)."
	}
	shard := Shard{0, 1}
	if id.Shard != nil {
		shard = Shard{id.Shard[0], id.Shard[1]}
	}
	if shard.Count < 1 || shard.ID < 0 || shard.ID >= shard.Count {
		return closeInvalidShard, "Invalid shard."
	}
	onShard := shard.routes(guildID)
	guild := s.guildCreate()
	s.gw.mu.Lock()
	if c.session != nil {
		s.gw.mu.Unlock()
		return closeAlreadyAuthed, "Already authenticated."
	}
	if !s.identifyAllowedLocked(shard, time.Now()) {
		s.gw.mu.Unlock()
		c.send(payload{Op: opInvalidSession, D: json.RawMessage(`false`)}, false)
		return 0, ""
	}
	sess := &gwSession{id: newSessionID(), shard: shard}
	s.gw.sessions[sess.id] = sess
	s.gw.identifies++
	c.session, c.compress = sess, id.Compress
	guilds := []any{}
	if onShard {
		guilds = append(guilds, map[string]any{"id": guildID, "unavailable": true})
	}
	ready, _ := json.Marshal(map[string]any{
		"v": c.version, "user": botUser(), "session_id": sess.id, "session_type": "normal",
		"resume_gateway_url": s.GatewayURL(), "guilds": guilds, "shard": []int{shard.ID, shard.Count},
		"application": map[string]any{"id": appID, "flags": 0}, "private_channels": []any{},
		"relationships": []any{}, "presences": []any{}, "_trace": []string{"discordtest"},
	})
	// Sequence numbers are taken under gateway.mu, and the connection's lock before
	// it is released, so a dispatch racing with READY gets the next number and waits.
	type event struct {
		name string
		d    json.RawMessage
		seq  int64
	}
	events := []event{{"READY", ready, 1}}
	if onShard {
		events = append(events, event{"GUILD_CREATE", guild, 2})
	}
	sess.seq = int64(len(events))
	c.wmu.Lock()
	s.goLiveLocked(c)
	s.gw.mu.Unlock()
	defer c.wmu.Unlock()
	for _, ev := range events {
		seq, name := ev.seq, ev.name
		c.writeLocked(payload{Op: opDispatch, D: ev.d, S: &seq, T: &name}, c.compress)
	}
	return 0, ""
}

// resume answers RESUME (https://docs.discord.com/developers/events/gateway-events#resume)
// with RESUMED, replaying nothing, or with INVALID_SESSION (d false) for an unknown
// session, upon which discordgo identifies again on the same connection.
func (s *Server) resume(c *gwConn, d json.RawMessage) (int, string) {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &r) != nil {
		return closeDecodeError, "Error while decoding payload."
	}
	if !s.tokenOK(r.Token) {
		return closeAuthFailed, "Authentication failed."
	}
	s.gw.mu.Lock()
	sess := s.gw.sessions[r.SessionID]
	if sess == nil {
		s.gw.mu.Unlock()
		c.send(payload{Op: opInvalidSession, D: json.RawMessage(`false`)}, false)
		return 0, ""
	}
	s.gw.resumes++
	c.session = sess
	for old := range s.gw.live {
		if old.session == sess {
			delete(s.gw.live, old) // the session moves to the new connection
		}
	}
	sess.seq++
	seq, name := sess.seq, "RESUMED"
	c.wmu.Lock()
	s.goLiveLocked(c)
	s.gw.mu.Unlock()
	defer c.wmu.Unlock()
	c.writeLocked(payload{Op: opDispatch, D: json.RawMessage(`{"_trace":["discordtest"]}`), S: &seq, T: &name}, false)
	return 0, ""
}

// guildCreate is the GUILD_CREATE event for the guild
// (https://docs.discord.com/developers/events/gateway-events#guild-create).
func (s *Server) guildCreate() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, _ := json.Marshal(map[string]any{
		"id": guildID, "name": "Gemeente Testdorp", "icon": nil, "owner_id": "200000000000000000",
		"unavailable": false, "large": false, "member_count": len(s.members) + 1,
		"joined_at": timestamp(time.Now().Add(-30 * 24 * time.Hour)),
		"channels":  []any{s.channelJSONLocked(s.channels[guildChannelID])},
		"roles":     []any{map[string]any{"id": guildID, "name": "@everyone", "permissions": "2248473465835073", "position": 0}},
		"members":   []any{},
		"emojis":    []any{}, "stickers": []any{}, "threads": []any{}, "voice_states": []any{},
		"presences": []any{}, "stage_instances": []any{}, "guild_scheduled_events": []any{},
		"features": []any{}, "preferred_locale": "nl", "system_channel_id": guildChannelID,
		"verification_level": 1, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
	})
	return g
}
