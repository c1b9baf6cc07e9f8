package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Interaction types (https://docs.discord.com/developers/interactions/receiving-and-responding#interaction-object-interaction-type).
const (
	interactionCommand     = 2
	interactionComponent   = 3
	interactionModalSubmit = 5
)

// interaction is one dispatched INTERACTION_CREATE and what the bot did with it.
type interaction struct {
	id, token  string
	kind       int
	userID     string
	channelID  string
	guild      bool
	dispatched time.Time
	acked      bool
	late       bool     // a callback came after the deadline
	source     *message // the message a component sits on; a modal opened from one keeps it
	original   *message // the message @original edits, once there is one
	responses  []Response
	sentTo     []Shard // the shards of the gateway sessions it was dispatched to
}

// shownModal is a modal the bot opened for a member, waiting for SubmitModal.
type shownModal struct {
	inputs    []Component // text inputs in display order
	channelID string
	guild     bool
	source    *message
}

// Slash dispatches INTERACTION_CREATE for member userID using chat-input command
// /command, in the guild's text channel when guild is true (the interaction carries
// guild_id and member) or else in the member's DM with the bot (it carries user).
// options become the command's options: strings, unless the registered command
// declares an option as integer, boolean, number or snowflake. It returns the
// interaction id. An event dispatched while the bot is not connected is lost, and the
// interaction fails, as on Discord.
func (s *Server) Slash(userID, command string, guild bool, options map[string]string) string {
	s.mu.Lock()
	ch := s.guildOrDMLocked(userID, guild)
	cmd := s.commandLocked(command, guild)
	var opts []map[string]any
	for _, name := range sortedKeys(options) {
		typ, value := cmd.option(name, options[name])
		opts = append(opts, map[string]any{"name": name, "type": typ, "value": value})
	}
	data := map[string]any{"id": cmd.ID, "name": command, "type": 1, "options": opts}
	if cmd.GuildID != "" {
		data["guild_id"] = cmd.GuildID
	}
	it, event := s.newInteractionLocked(interactionCommand, userID, ch, data, nil)
	s.mu.Unlock()
	s.dispatchInteraction(it.id, event)
	return it.id
}

// Click dispatches a button press (type 3, component_type 2) by userID on message
// messageID. The message must be one the member sees (their DM, the guild channel, or
// an ephemeral message shown to them) and carry an enabled button with customID; else
// nothing is dispatched and Click returns an error. Use Press to dispatch anyway, as
// a stale client would.
func (s *Server) Click(userID, messageID, customID string) (string, error) {
	return s.component(userID, messageID, customID, ComponentButton, nil)
}

// Select dispatches a choice in a string select menu (type 3, component_type 3). The
// values must be among the menu's options and their number within min_values and
// max_values.
func (s *Server) Select(userID, messageID, customID string, values ...string) (string, error) {
	return s.component(userID, messageID, customID, ComponentStringSelect, values)
}

// Press dispatches a component interaction without any check: for a message that was
// deleted or edited since, or a custom_id it never had.
func (s *Server) Press(userID, channelID, messageID string, componentType int, customID string, values ...string) string {
	s.mu.Lock()
	ch := s.channels[channelID]
	if ch == nil {
		ch = s.dmLocked(userID)
	}
	src := ch.byID[messageID]
	if src == nil {
		src = &message{id: messageID, channelID: ch.id, content: "", created: time.Now()}
	}
	it, event := s.newInteractionLocked(interactionComponent, userID, ch, componentData(customID, componentType, values), src)
	s.mu.Unlock()
	s.dispatchInteraction(it.id, event)
	return it.id
}

func (s *Server) component(userID, messageID, customID string, typ int, values []string) (string, error) {
	s.mu.Lock()
	src, ch := s.visibleLocked(userID, messageID)
	if src == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("member %s sees no message %s", userID, messageID)
	}
	c, found := find(src.comps, customID)
	var err error
	switch {
	case !found || c.Type != typ:
		err = fmt.Errorf("message %s has no component of type %d with custom_id %q", messageID, typ, customID)
	case c.Disabled:
		err = fmt.Errorf("component %q on message %s is disabled", customID, messageID)
	case typ == ComponentStringSelect:
		err = checkValues(c, values)
	}
	if err != nil {
		s.mu.Unlock()
		return "", err
	}
	it, event := s.newInteractionLocked(interactionComponent, userID, ch, componentData(customID, typ, values), src)
	s.mu.Unlock()
	s.dispatchInteraction(it.id, event)
	return it.id, nil
}

func componentData(customID string, typ int, values []string) map[string]any {
	data := map[string]any{"custom_id": customID, "component_type": typ}
	if typ != ComponentButton {
		data["values"] = append([]string{}, values...)
	}
	return data
}

func checkValues(menu Component, values []string) error {
	if len(values) < menu.MinValues || len(values) > menu.MaxValues {
		return fmt.Errorf("select %q takes %d to %d values, got %d", menu.CustomID, menu.MinValues, menu.MaxValues, len(values))
	}
	for _, v := range values {
		if !slices.ContainsFunc(menu.Options, func(o SelectOption) bool { return o.Value == v }) {
			return fmt.Errorf("select %q has no option with value %q", menu.CustomID, v)
		}
	}
	return nil
}

// SubmitModal dispatches a modal submission (type 5) by userID for the modal with
// customID, its text inputs holding values by custom_id. When the bot opened that
// modal for this member (a MODAL callback), the submission comes from the same
// channel, lists the modal's inputs in order (missing values empty) and, for a modal
// opened from a component, carries that message; each shown modal is submitted once.
func (s *Server) SubmitModal(userID, customID string, values map[string]string) string {
	s.mu.Lock()
	key := userID + "/" + customID
	shown := s.modals[key]
	delete(s.modals, key)
	var ids []string
	var ch *channel
	var src *message
	if shown != nil {
		for _, in := range shown.inputs {
			ids = append(ids, in.CustomID)
		}
		ch, src = s.channels[shown.channelID], shown.source
	} else {
		ch = s.dmLocked(userID)
	}
	for _, k := range sortedKeys(values) {
		if !slices.Contains(ids, k) {
			ids = append(ids, k)
		}
	}
	var rows []any
	for _, id := range ids {
		rows = append(rows, map[string]any{"type": ComponentActionRow, "components": []any{
			map[string]any{"type": ComponentTextInput, "custom_id": id, "value": values[id]},
		}})
	}
	data := map[string]any{"custom_id": customID, "components": rows}
	it, event := s.newInteractionLocked(interactionModalSubmit, userID, ch, data, src)
	s.mu.Unlock()
	s.dispatchInteraction(it.id, event)
	return it.id
}

// DeliverInteraction dispatches INTERACTION_CREATE with an interaction given as its
// JSON (https://docs.discord.com/developers/interactions/receiving-and-responding#interaction-object),
// e.g. from a testdata file shaped as in the documentation. The fake gives it a
// fresh id and token, so that the bot's callbacks are held to the usual rules, puts
// it in the fake's channel (the user's DM, or the guild's channel when it has a
// guild_id) and adds its user as a member; the rest goes out as written. It
// returns the id.
func (s *Server) DeliverInteraction(raw []byte) (string, error) {
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return "", fmt.Errorf("discordtest: interaction is not a JSON object: %v", err)
	}
	kind, _ := v["type"].(float64)
	var userID string
	user, _ := v["user"].(map[string]any)
	if member, ok := v["member"].(map[string]any); ok {
		user, _ = member["user"].(map[string]any)
	}
	if user != nil {
		userID, _ = user["id"].(string)
	}
	s.mu.Lock()
	if userID != "" {
		s.memberLocked(userID)
	}
	_, guild := v["guild_id"]
	channelID := guildChannelID
	if !guild && userID != "" {
		channelID = s.dmLocked(userID).id
	}
	it := &interaction{id: s.newIDLocked(), token: newToken(), kind: int(kind), userID: userID,
		channelID: channelID, guild: guild, dispatched: time.Now()}
	s.interactions[it.id] = it
	v["id"], v["token"], v["channel_id"] = it.id, it.token, channelID
	s.mu.Unlock()
	event, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("discordtest: marshal interaction: %w", err)
	}
	s.dispatchInteraction(it.id, event)
	return it.id, nil
}

// dispatchInteraction dispatches INTERACTION_CREATE for interaction id and records
// the shards it went to.
func (s *Server) dispatchInteraction(id string, event json.RawMessage) {
	shards := s.dispatch("INTERACTION_CREATE", event)
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.interactions[id]; it != nil {
		it.sentTo = shards
	}
}

// SentTo lists the shards of the gateway sessions interaction id was dispatched to:
// one for a bot that holds each shard once, none when no session of its shard was
// live (the interaction is lost, as on Discord).
func (s *Server) SentTo(id string) []Shard {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.interactions[id]; it != nil {
		return slices.Clone(it.sentTo)
	}
	return nil
}

func (s *Server) guildOrDMLocked(userID string, guild bool) *channel {
	if guild {
		return s.channels[guildChannelID]
	}
	return s.dmLocked(userID)
}

// visibleLocked finds message id where userID can see it.
func (s *Server) visibleLocked(userID, id string) (*message, *channel) {
	for _, ch := range s.channels {
		m := ch.byID[id]
		if m == nil {
			continue
		}
		if (ch.guildID != "" || ch.recipient == userID) && (m.ephemeralFor == "" || m.ephemeralFor == userID) {
			return m, ch
		}
		return nil, nil
	}
	return nil, nil
}

// newInteractionLocked records an interaction and returns it with its
// INTERACTION_CREATE payload (https://docs.discord.com/developers/interactions/receiving-and-responding#interaction-object).
func (s *Server) newInteractionLocked(kind int, userID string, ch *channel, data any, src *message) (*interaction, json.RawMessage) {
	m := s.memberLocked(userID)
	it := &interaction{
		id: s.newIDLocked(), token: newToken(), kind: kind, userID: userID, channelID: ch.id,
		guild: ch.guildID != "", dispatched: time.Now(), source: src,
	}
	s.interactions[it.id] = it
	locale := m.locale
	if locale == "" {
		locale = "nl"
	}
	v := map[string]any{
		"id": it.id, "application_id": appID, "type": kind, "data": data, "channel_id": ch.id,
		"channel": s.channelJSONLocked(ch), "token": it.token, "version": 1, "locale": locale,
		"app_permissions": "2248473465835073", "entitlements": []any{}, "context": 1,
	}
	if it.guild {
		v["guild_id"], v["member"], v["guild_locale"], v["context"] = ch.guildID, m.memberJSON(), "nl", 0
	} else {
		v["user"] = m.userJSON()
	}
	if src != nil {
		v["message"] = s.messageJSONLocked(src)
	}
	event, _ := json.Marshal(v)
	return it, event
}

// newToken is an interaction token: opaque, URL-safe and unguessable, as Discord's.
func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "aW50ZXJhY3Rpb24" + hex.EncodeToString(b)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// optionValue converts a command option's text to its declared type
// (https://docs.discord.com/developers/interactions/application-commands#application-command-object-application-command-option-type).
func optionValue(typ int, text string) (int, any) {
	switch typ {
	case 4:
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return typ, n
		}
	case 5:
		if b, err := strconv.ParseBool(text); err == nil {
			return typ, b
		}
	case 10:
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return typ, f
		}
	case 6, 7, 8, 9:
		return typ, text
	}
	return 3, text
}
