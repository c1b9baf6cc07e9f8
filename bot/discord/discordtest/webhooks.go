package discordtest

// Followups and @original edits go through the interaction's webhook
// (https://docs.discord.com/developers/interactions/receiving-and-responding#followup-messages):
// POST /webhooks/{application.id}/{interaction.token} and
// GET, PATCH, DELETE /webhooks/{application.id}/{interaction.token}/messages/{@original|message.id}.
// The webhook exists once the interaction has been acknowledged, and never for one
// that failed.

// webhookLocked is the acknowledged interaction behind a webhook, or 404 10015.
func (s *Server) webhookLocked(app, token string) (*interaction, *apiError) {
	if app != appID {
		return nil, errUnknownWebhook
	}
	for _, it := range s.interactions {
		if it.token == token {
			if !it.acked {
				return nil, errUnknownWebhook
			}
			return it, nil
		}
	}
	return nil, errUnknownWebhook
}

// followup creates a followup message. After a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
// the first followup fills in the "thinking" placeholder instead, as on Discord. The
// message is returned with ?wait=true, else the answer is 204.
func (s *Server) followup(c *call, app, token string) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, aerr := s.webhookLocked(app, token)
	if aerr != nil {
		return result{}, aerr
	}
	in := msgInput{payload: c.payload, files: c.files, ephemeralOK: true}
	var m *message
	if o := it.original; o != nil && o.loading && o.interactionID == it.id {
		in.ephemeralOK = false
		if aerr := s.editLocked(o, in, c.at); aerr != nil {
			return result{}, aerr
		}
		m = o
	} else {
		m = &message{id: s.newIDLocked(), channelID: it.channelID, created: c.at, interactionID: it.id}
		if aerr := s.applyLocked(m, in, true); aerr != nil {
			return result{}, aerr
		}
		if m.flags&flagEphemeral != 0 {
			m.ephemeralFor = it.userID
		}
		s.channels[it.channelID].add(m)
	}
	if c.query.Get("wait") != "true" {
		return noContent()
	}
	return ok(s.messageJSONLocked(m))
}

// webhookMessage reads, edits or deletes the original response or a followup.
func (s *Server) webhookMessage(c *call, app, token, messageID string) (result, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, aerr := s.webhookLocked(app, token)
	if aerr != nil {
		return result{}, aerr
	}
	ch := s.channels[it.channelID]
	m := it.original
	if messageID != "@original" {
		m = ch.byID[messageID]
		if m != nil && m.interactionID != it.id {
			m = nil
		}
	}
	if m == nil {
		return result{}, errUnknownMessage
	}
	switch c.method {
	case "GET":
		return ok(s.messageJSONLocked(m))
	case "DELETE":
		ch.remove(m.id)
		return noContent()
	case "PATCH":
		if aerr := s.editLocked(m, msgInput{payload: c.payload, files: c.files}, c.at); aerr != nil {
			return result{}, aerr
		}
		return ok(s.messageJSONLocked(m))
	}
	return result{}, errMethodNotAllowed
}
