package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Channel types (https://docs.discord.com/developers/resources/channel#channel-object-channel-types).
const (
	channelGuildText = 0
	channelDM        = 1
)

// Message types: a plain message, and the reply to a slash command
// (https://docs.discord.com/developers/resources/message#message-object-message-types).
const (
	messageDefault          = 0
	messageChatInputCommand = 20
)

// botUser is the bot's user object (https://docs.discord.com/developers/resources/user#user-object).
func botUser() map[string]any {
	return map[string]any{
		"id": appID, "username": botName, "global_name": nil, "discriminator": "0",
		"avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0, "public_flags": 0,
	}
}

func (m *member) userJSON() map[string]any {
	return map[string]any{
		"id": m.id, "username": m.name, "global_name": m.name, "discriminator": "0",
		"avatar": nil, "public_flags": 0,
	}
}

// memberJSON is the guild member object an interaction in a guild carries in place
// of user (https://docs.discord.com/developers/resources/guild#guild-member-object).
func (m *member) memberJSON() map[string]any {
	return map[string]any{
		"user": m.userJSON(), "nick": nil, "avatar": nil, "roles": []string{},
		"joined_at": timestamp(m.joined), "deaf": false, "mute": false, "flags": 0,
		"pending": false, "permissions": "2248473465835073",
	}
}

func (s *Server) channelJSONLocked(ch *channel) map[string]any {
	last := any(nil)
	if n := len(ch.msgs); n > 0 {
		last = ch.msgs[n-1].id
	}
	if ch.recipient != "" {
		return map[string]any{
			"id": ch.id, "type": channelDM, "last_message_id": last, "flags": 0,
			"recipients": []any{s.memberLocked(ch.recipient).userJSON()},
		}
	}
	return map[string]any{
		"id": ch.id, "type": channelGuildText, "guild_id": ch.guildID, "name": "inspraak",
		"position": 0, "permission_overwrites": []any{}, "nsfw": false, "parent_id": nil,
		"last_message_id": last, "rate_limit_per_user": 0, "topic": nil, "flags": 0,
	}
}

// messageJSONLocked is the message object for m
// (https://docs.discord.com/developers/resources/message#message-object).
func (s *Server) messageJSONLocked(m *message) map[string]any {
	components := json.RawMessage(`[]`)
	if m.rawComponents != nil {
		components = m.rawComponents
	}
	embeds := m.embeds
	if embeds == nil {
		embeds = []json.RawMessage{}
	}
	attachments := []any{}
	for _, f := range m.files {
		url := fmt.Sprintf("https://cdn.discordapp.com/attachments/%s/%s/%s", m.channelID, f.id, f.Name)
		attachments = append(attachments, map[string]any{
			"id": f.id, "filename": f.Name, "size": len(f.Bytes), "url": url, "proxy_url": url,
			"content_type": http.DetectContentType(f.Bytes),
		})
	}
	flags := m.flags
	if m.loading {
		flags |= flagLoading
	}
	out := map[string]any{
		"id": m.id, "type": messageDefault, "channel_id": m.channelID, "author": botUser(),
		"content": m.content, "timestamp": timestamp(m.created), "edited_timestamp": nil,
		"tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": []any{},
		"attachments": attachments, "embeds": embeds, "components": components,
		"pinned": false, "flags": flags,
	}
	if !m.edited.IsZero() {
		out["edited_timestamp"] = timestamp(m.edited)
	}
	if ch := s.channels[m.channelID]; ch != nil && ch.guildID != "" {
		out["guild_id"] = ch.guildID
	}
	if it := s.interactions[m.interactionID]; it != nil {
		out["webhook_id"] = appID
		out["application_id"] = appID
		if it.kind == interactionCommand && it.original == m {
			out["type"] = messageChatInputCommand
		}
	}
	return out
}
