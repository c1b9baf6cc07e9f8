package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Interaction callback types (https://docs.discord.com/developers/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type).
const (
	callbackMessage         = 4 // CHANNEL_MESSAGE_WITH_SOURCE
	callbackDeferredMessage = 5 // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
	callbackDeferredUpdate  = 6 // DEFERRED_UPDATE_MESSAGE, components only
	callbackUpdate          = 7 // UPDATE_MESSAGE, components only
	callbackModal           = 9 // MODAL
)

// Response is one callback the bot sent for an interaction, answered or refused.
type Response struct {
	Type   int
	Data   ResponseData
	Raw    json.RawMessage // the callback body as sent (payload_json for uploads)
	Delay  time.Duration   // from the dispatch of INTERACTION_CREATE to the callback's arrival
	Status int             // 204 when accepted, else the error status answered
}

// ResponseData is the part of a callback's data the tests look at.
type ResponseData struct {
	Content         string
	Components      []Component
	CustomID, Title string // MODAL
	Flags           int    // 64 is ephemeral
	AllowedMentions json.RawMessage
}

// Responses is every callback for interactionID, in arrival order.
func (s *Server) Responses(interactionID string) []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[interactionID]
	if it == nil {
		return nil
	}
	out := slices.Clone(it.responses)
	for i := range out {
		out[i].Raw = slices.Clone(out[i].Raw)
		out[i].Data.Components = copyComponents(out[i].Data.Components)
	}
	return out
}

// Failed reports whether the member saw "This interaction failed": no callback was
// accepted within the deadline (3 seconds unless Deadline changed it).
func (s *Server) Failed(interactionID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[interactionID]
	return it != nil && !it.acked && (it.late || time.Since(it.dispatched) > s.cfg.deadline)
}

// Unanswered lists the interactions, by id in dispatch order, for which the member
// saw "This interaction failed" (see Failed): lost while no gateway session of their
// shard was live, or answered late or not at all.
func (s *Server) Unanswered() []string {
	return s.interactionsWhere(func(it *interaction) bool {
		return !it.acked && (it.late || time.Since(it.dispatched) > s.cfg.deadline)
	})
}

// Repeated lists the interactions, by id in dispatch order, that got more than one
// callback: a second is refused with 40060 "Interaction has already been
// acknowledged", as when two bot sessions received the same interaction.
func (s *Server) Repeated() []string {
	return s.interactionsWhere(func(it *interaction) bool { return len(it.responses) > 1 })
}

func (s *Server) interactionsWhere(cond func(*interaction) bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var its []*interaction
	for _, it := range s.interactions {
		if cond(it) {
			its = append(its, it)
		}
	}
	slices.SortFunc(its, func(a, b *interaction) int { return a.dispatched.Compare(b.dispatched) })
	ids := make([]string, len(its))
	for i, it := range its {
		ids[i] = it.id
	}
	return ids
}

// callback is POST /interactions/{id}/{token}/callback, answered 204 No Content.
func (s *Server) callback(c *call, id, token string) (result, *apiError) {
	var body struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(c.payload, &body)
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[id]
	if it == nil || it.token != token {
		return result{}, errUnknownInteraction
	}
	aerr := s.respondLocked(it, c, body.Type, body.Data)
	r := Response{Type: body.Type, Data: responseData(body.Data), Raw: slices.Clone(c.payload), Delay: c.at.Sub(it.dispatched), Status: 204}
	if aerr != nil {
		r.Status = aerr.status
	}
	it.responses = append(it.responses, r)
	if aerr != nil {
		return result{}, aerr
	}
	return noContent()
}

func (s *Server) respondLocked(it *interaction, c *call, typ int, data json.RawMessage) *apiError {
	if it.acked {
		return errAcknowledged
	}
	if c.at.Sub(it.dispatched) > s.cfg.deadline {
		it.late = true
		return errUnknownInteraction
	}
	if allowed := it.callbackTypes(); !slices.Contains(allowed, typ) {
		var fe formErrors
		fe.add([]string{"type"}, "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of {%s}.", strings.Trim(fmt.Sprint(allowed), "[]")))
		return fe.err()
	}
	in := msgInput{payload: data, files: c.files, path: []string{"data"}, ephemeralOK: true}
	switch typ {
	case callbackMessage, callbackDeferredMessage:
		m := &message{id: s.newIDLocked(), channelID: it.channelID, created: c.at, interactionID: it.id, loading: typ == callbackDeferredMessage}
		if typ == callbackMessage {
			if aerr := s.applyLocked(m, in, true); aerr != nil {
				return aerr
			}
		} else {
			var d struct {
				Flags int `json:"flags"`
			}
			_ = json.Unmarshal(data, &d)
			m.flags = d.Flags & flagEphemeral
		}
		if m.flags&flagEphemeral != 0 {
			m.ephemeralFor = it.userID
		}
		s.channels[it.channelID].add(m)
		it.original = m
	case callbackDeferredUpdate:
		it.original = it.source
	case callbackUpdate:
		in.ephemeralOK = false
		if aerr := s.editLocked(it.source, in, c.at); aerr != nil {
			return aerr
		}
		it.original = it.source
	case callbackModal:
		if aerr := s.showModalLocked(it, data); aerr != nil {
			return aerr
		}
	}
	it.acked = true
	return nil
}

// callbackTypes are the callback types Discord accepts for the interaction: updates
// only for components and for modals opened from one, and no modal in answer to a
// modal.
func (it *interaction) callbackTypes() []int {
	switch {
	case it.kind == interactionComponent:
		return []int{callbackMessage, callbackDeferredMessage, callbackDeferredUpdate, callbackUpdate, callbackModal}
	case it.kind == interactionModalSubmit && it.source != nil:
		return []int{callbackMessage, callbackDeferredMessage, callbackDeferredUpdate, callbackUpdate}
	case it.kind == interactionModalSubmit:
		return []int{callbackMessage, callbackDeferredMessage}
	}
	return []int{callbackMessage, callbackDeferredMessage, callbackModal}
}

func (s *Server) showModalLocked(it *interaction, data json.RawMessage) *apiError {
	var d struct {
		CustomID   *string         `json:"custom_id"`
		Title      string          `json:"title"`
		Components json.RawMessage `json:"components"`
	}
	_ = json.Unmarshal(data, &d)
	rows, err := parseComponents(d.Components)
	var fe formErrors
	if err != nil {
		fe.add([]string{"data", "components"}, "BASE_TYPE_ARRAY", "Must be an array of components.")
	}
	fe.modal([]string{"data"}, d.CustomID, d.Title, rows)
	if aerr := fe.err(); aerr != nil {
		return aerr
	}
	shown := &shownModal{channelID: it.channelID, guild: it.guild}
	if it.kind == interactionComponent {
		shown.source = it.source
	}
	for _, row := range components(rows) {
		shown.inputs = append(shown.inputs, row.Components...)
	}
	s.modals[it.userID+"/"+deref(d.CustomID, "")] = shown
	return nil
}

func responseData(raw json.RawMessage) ResponseData {
	var d struct {
		Content         string          `json:"content"`
		Components      json.RawMessage `json:"components"`
		CustomID        string          `json:"custom_id"`
		Title           string          `json:"title"`
		Flags           int             `json:"flags"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
	}
	_ = json.Unmarshal(raw, &d)
	wc, _ := parseComponents(d.Components)
	out := ResponseData{Content: d.Content, Components: components(wc), CustomID: d.CustomID, Title: d.Title, Flags: d.Flags}
	if !isNull(d.AllowedMentions) {
		out.AllowedMentions = slices.Clone(d.AllowedMentions)
	}
	return out
}
