package discordtest

import (
	"encoding/json"
	"slices"
	"time"
)

// member is a simulated guild member.
type member struct {
	id, name   string
	joined     time.Time
	dmsClosed  bool
	dmsChannel string
	locale     string // the language of the member's client, sent with their interactions ("" for nl)
}

// channel is the guild's text channel or a DM with one member.
type channel struct {
	id        string
	guildID   string // "" for a DM
	recipient string // the member of a DM
	msgs      []*message
	byID      map[string]*message
}

// message is a message the bot sent, in its current state.
type message struct {
	id, channelID   string
	content         string
	rawComponents   json.RawMessage // as sent, echoed in message objects
	comps           []Component
	embeds          []json.RawMessage
	allowedMentions json.RawMessage
	files           []storedFile
	flags           int
	edits           int
	created, edited time.Time
	interactionID   string // the interaction this message answers, if any
	loading         bool   // a deferred response still "thinking"
	ephemeralFor    string // the only user who sees it; "" when everyone does
}

type storedFile struct {
	id string
	File
}

// Message is a message the bot sent, in its current state after any edits.
type Message struct {
	ID, ChannelID, Content string
	Components             []Component
	AllowedMentions        json.RawMessage // as last sent; nil when never sent
	Edits                  int             // successful edits, an UPDATE_MESSAGE callback included
	Files                  []File
	Embeds                 int
	Embedded               []Embed // the embeds themselves, in order
	Flags                  int
	Ephemeral              bool   // only the interaction's user sees it (flag 64)
	Loading                bool   // a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE placeholder not yet edited
	Interaction            string // id of the interaction this message answers, "" for a channel message
}

// AddMember adds a guild member with userID, a snowflake the test picks (e.g.
// "200000000000000001"), and a display name. Members used before being added are
// added with a generated name.
func (s *Server) AddMember(userID, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memberLocked(userID).name = name
}

// SetLocale sets the language the member's Discord client is in ("en-US", "uk"): their
// interactions carry it as "locale" (https://discord.com/developers/docs/reference#locales;
// Discord has no Arabic client). The default is "nl".
func (s *Server) SetLocale(userID, locale string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memberLocked(userID).locale = locale
}

func (s *Server) memberLocked(userID string) *member {
	m := s.members[userID]
	if m == nil {
		m = &member{id: userID, name: "Lid " + userID, joined: time.Now().Add(-24 * time.Hour)}
		s.members[userID] = m
	}
	return m
}

// CloseDMs makes userID refuse direct messages from the bot from now on, as a member
// who turned off "Allow direct messages from server members" or blocked the bot: a
// message sent or edited in the DM channel is answered 403 {"code":50007,"message":
// "Cannot send messages to this user"}. Opening the DM channel still succeeds, and
// interaction responses in it still work.
func (s *Server) CloseDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memberLocked(userID).dmsClosed = true
}

// OpenDMs undoes CloseDMs.
func (s *Server) OpenDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memberLocked(userID).dmsClosed = false
}

// DMChannel is the id of the DM channel between the bot and userID, "" until the bot
// opened it (POST /users/@me/channels) or the member used a command in it.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.members[userID]; m != nil {
		return m.dmsChannel
	}
	return ""
}

// dmLocked returns userID's DM channel, creating it.
func (s *Server) dmLocked(userID string) *channel {
	m := s.memberLocked(userID)
	if m.dmsChannel == "" {
		m.dmsChannel = s.newIDLocked()
		s.channels[m.dmsChannel] = &channel{id: m.dmsChannel, recipient: userID, byID: make(map[string]*message)}
	}
	return s.channels[m.dmsChannel]
}

// Messages is every message the bot has in channelID, in send order, each in its
// current state; deleted messages are left out.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		return nil
	}
	out := make([]Message, len(ch.msgs))
	for i, m := range ch.msgs {
		out[i] = m.snapshot()
	}
	return out
}

func (m *message) snapshot() Message {
	out := Message{
		ID: m.id, ChannelID: m.channelID, Content: m.content, Components: copyComponents(m.comps),
		AllowedMentions: slices.Clone(m.allowedMentions), Edits: m.edits, Embeds: len(m.embeds),
		Flags: m.flags, Ephemeral: m.ephemeralFor != "", Loading: m.loading, Interaction: m.interactionID,
		Embedded: embedsOf(m.embeds),
	}
	for _, f := range m.files {
		out.Files = append(out.Files, File{Name: f.Name, Bytes: slices.Clone(f.Bytes)})
	}
	return out
}

func (ch *channel) add(m *message) {
	ch.msgs = append(ch.msgs, m)
	ch.byID[m.id] = m
}

func (ch *channel) remove(id string) {
	delete(ch.byID, id)
	ch.msgs = slices.DeleteFunc(ch.msgs, func(m *message) bool { return m.id == id })
}

// createDM is POST /users/@me/channels {"recipient_id"}.
func (s *Server) createDM(c *call) (result, *apiError) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	_ = json.Unmarshal(c.payload, &body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members[body.RecipientID] == nil {
		return result{}, errInvalidRecipient
	}
	return ok(s.channelJSONLocked(s.dmLocked(body.RecipientID)))
}

func (s *Server) getChannel(id string) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[id]
	if ch == nil {
		return result{}, errUnknownChannel
	}
	return ok(s.channelJSONLocked(ch))
}

// createMessage is POST /channels/{id}/messages.
func (s *Server) createMessage(c *call, channelID string) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, aerr := s.writableLocked(channelID)
	if aerr != nil {
		return result{}, aerr
	}
	m := &message{id: s.newIDLocked(), channelID: ch.id, created: c.at}
	if aerr := s.applyLocked(m, msgInput{payload: c.payload, files: c.files}, true); aerr != nil {
		return result{}, aerr
	}
	ch.add(m)
	s.proxyImagesLocked(embedsOf(m.embeds))
	return ok(s.messageJSONLocked(m))
}

// channelMessage is GET, PATCH and DELETE /channels/{id}/messages/{message.id}.
func (s *Server) channelMessage(c *call, channelID, messageID string) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		return result{}, errUnknownChannel
	}
	m := ch.byID[messageID]
	if m == nil || m.ephemeralFor != "" {
		return result{}, errUnknownMessage
	}
	switch c.method {
	case "GET":
		return ok(s.messageJSONLocked(m))
	case "DELETE":
		ch.remove(messageID)
		return noContent()
	case "PATCH":
		if _, aerr := s.writableLocked(channelID); aerr != nil {
			return result{}, aerr
		}
		if aerr := s.editLocked(m, msgInput{payload: c.payload, files: c.files}, c.at); aerr != nil {
			return result{}, aerr
		}
		s.proxyImagesLocked(embedsOf(m.embeds))
		return ok(s.messageJSONLocked(m))
	}
	return result{}, errMethodNotAllowed
}

// writableLocked finds a channel the bot may post in: 404 10003 for an unknown one,
// 403 50007 for the DM of a member who closed their DMs.
func (s *Server) writableLocked(channelID string) (*channel, *apiError) {
	ch := s.channels[channelID]
	if ch == nil {
		return nil, errUnknownChannel
	}
	if ch.recipient != "" && s.memberLocked(ch.recipient).dmsClosed {
		return nil, errCannotMessageUser
	}
	return ch, nil
}

// editLocked applies a PATCH to m: fields present in the body replace the old ones,
// null clears them, absent ones are kept.
func (s *Server) editLocked(m *message, in msgInput, at time.Time) *apiError {
	next := *m
	if aerr := s.applyLocked(&next, in, false); aerr != nil {
		return aerr
	}
	next.edits++
	next.edited = at
	next.loading = false
	*m = next
	return nil
}
