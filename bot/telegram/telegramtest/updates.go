package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// queuedUpdate is an Update waiting to be confirmed, kept as the JSON it is served as.
type queuedUpdate struct {
	id   int
	raw  json.RawMessage
	chat int64 // the chat it belongs to (webhook delivery keeps a chat's order), 0 if none
}

// getUpdates limits, from https://core.telegram.org/bots/api#getupdates: "Values
// between 1-100 are accepted. Defaults to 100."
const maxUpdatesLimit = 100

// resident is the simulated user with this id.
func resident(userID int64) wireUser {
	return wireUser{ID: userID, FirstName: fmt.Sprintf("Bewoner %d", userID), LanguageCode: "nl"}
}

// SetLanguage sets the language of a resident's Telegram app, which Telegram sends as
// the user's language_code with every update ("en", "ar"; the default is "nl").
func (s *Server) SetLanguage(userID int64, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.langs[userID] = code
}

// residentLocked is the user with this id, with their language.
func (s *Server) residentLocked(userID int64) wireUser {
	u := resident(userID)
	if l, ok := s.langs[userID]; ok {
		u.LanguageCode = l
	}
	return u
}

// SendText queues a message update from resident userID in its private chat and returns
// its update_id. Text starting with "/" carries a bot_command entity, as Telegram adds
// one for each "/command" (https://core.telegram.org/bots/api#messageentity).
// A resident who had blocked the bot unblocks it by writing to it.
func (s *Server) SendText(userID int64, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(userID)
	c.blocked = false
	from := s.residentLocked(userID)
	msg := &wireMessage{
		MessageID: c.newMessageID(),
		From:      &from,
		Date:      time.Now().Unix(),
		Chat:      c.wire(),
		Text:      text,
		Entities:  commandEntities(text),
	}
	return s.enqueueLocked(wireUpdate{Message: msg})
}

// Press queues a callback_query update: resident userID pressed a button carrying data
// on message messageID of its chat. The update holds the message as it is now, like
// Telegram's; the answer is expected through answerCallbackQuery. It returns the
// update_id.
func (s *Server) Press(userID int64, messageID int, data string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(userID)
	s.nextCallback++
	id := strconv.Itoa(4_000_000 + s.nextCallback)
	s.callbacks[id] = 0
	cq := &wireCallbackQuery{
		ID:           id,
		From:         s.residentLocked(userID),
		Message:      s.messageJSONLocked(c, messageID),
		ChatInstance: strconv.FormatInt(-userID*7919, 10),
		Data:         data,
	}
	return s.enqueueLocked(wireUpdate{CallbackQuery: cq})
}

// Tap presses the button labelled label on the newest message in userID's chat whose
// current inline keyboard has one. An exact label wins; failing that, a unique label
// starting with label is taken. It fails when no callback button matches or when the
// newest matching message has several.
func (s *Server) Tap(userID int64, label string) error {
	s.mu.Lock()
	msgID, data, err := s.findButtonLocked(userID, label)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.Press(userID, msgID, data)
	return nil
}

func (s *Server) findButtonLocked(userID int64, label string) (int, string, error) {
	c := s.chats[userID]
	if c == nil {
		return 0, "", fmt.Errorf("tap %q: chat %d has no messages", label, userID)
	}
	matchers := []func(string) bool{
		func(t string) bool { return t == label },
		func(t string) bool { return strings.HasPrefix(t, label) },
	}
	for _, match := range matchers {
		for i := len(c.sent) - 1; i >= 0; i-- {
			m := c.sent[i]
			var found []Button
			for _, row := range m.kb.copyRows() {
				for _, b := range row {
					if b.Data != "" && match(b.Text) {
						found = append(found, b)
					}
				}
			}
			switch {
			case len(found) == 1:
				return m.id, found[0].Data, nil
			case len(found) > 1:
				return 0, "", fmt.Errorf("tap %q: ambiguous on message %d: %v", label, m.id, found)
			}
		}
	}
	return 0, "", fmt.Errorf("tap %q: no callback button in chat %d, newest keyboard %v", label, userID, s.buttonsLocked(userID))
}

// Buttons is the current inline keyboard of the newest message in userID's chat that
// has one, nil when none has.
func (s *Server) Buttons(userID int64) [][]Button {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buttonsLocked(userID)
}

func (s *Server) buttonsLocked(userID int64) [][]Button {
	c := s.chats[userID]
	if c == nil {
		return nil
	}
	for i := len(c.sent) - 1; i >= 0; i-- {
		if c.sent[i].kb != nil {
			return c.sent[i].kb.copyRows()
		}
	}
	return nil
}

// Pending is the number of queued updates not yet confirmed with getUpdates' offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// SetUpdatesBlocked makes getUpdates return no updates while b is true, each poll
// after its full timeout, as when Telegram's delivery stalls.
func (s *Server) SetUpdatesBlocked(b bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updatesBlocked = b
	s.notifyLocked()
}

// Deliver queues an Update given as its JSON (https://core.telegram.org/bots/api#update),
// e.g. from a testdata file shaped as in the documentation, and returns the
// update_id it is served with, which replaces the one in raw so that the offsets
// of getUpdates keep working. raw must be a JSON object.
func (s *Server) Deliver(raw []byte) (int, error) {
	var u map[string]json.RawMessage
	if err := json.Unmarshal(raw, &u); err != nil || u == nil {
		return 0, fmt.Errorf("telegramtest: update is not a JSON object: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpdateID
	s.nextUpdateID++
	u["update_id"] = json.RawMessage(strconv.Itoa(id))
	b, err := json.Marshal(u)
	if err != nil {
		return 0, fmt.Errorf("telegramtest: marshal update: %w", err)
	}
	s.updates = append(s.updates, queuedUpdate{id: id, raw: b, chat: chatOf(b)})
	s.notifyLocked()
	return id, nil
}

func (s *Server) enqueueLocked(u wireUpdate) int {
	u.UpdateID = s.nextUpdateID
	s.nextUpdateID++
	raw, err := json.Marshal(u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
	}
	s.updates = append(s.updates, queuedUpdate{id: u.UpdateID, raw: raw, chat: chatOf(raw)})
	s.notifyLocked()
	return u.UpdateID
}

// notifyLocked wakes every waiting long poll.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// commandEntities marks each "/command" or "/command@bot" that starts the text or
// follows white space.
func commandEntities(text string) []wireEntity {
	var out []wireEntity
	for i := 0; i < len(text); i++ {
		if text[i] != '/' || (i > 0 && !strings.ContainsRune(" \n\t", rune(text[i-1]))) {
			continue
		}
		j := i + 1
		for j < len(text) && isCommandByte(text[j]) {
			j++
		}
		if j == i+1 {
			continue
		}
		out = append(out, wireEntity{Type: "bot_command", Offset: utf16Len(text[:i]), Length: j - i})
		i = j
	}
	return out
}

func isCommandByte(b byte) bool {
	return b == '_' || b == '@' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// getUpdates implements long polling (https://core.telegram.org/bots/api#getupdates):
// an offset confirms every update below it, a negative offset keeps only the last
// -offset updates, and with nothing to return the call waits up to timeout seconds.
// A second poll arriving meanwhile ends the first with 409 Conflict, as Telegram does
// when two bot instances poll; while a webhook is set every poll is refused with 409.
// Both conflicts are counted in Violations: a bot that runs one poller at a time, and
// deletes the webhook before it polls, has none.
func (s *Server) getUpdates(req *request) (any, *apiError) {
	offset, _ := strconv.Atoi(req.params["offset"])
	limit, _ := strconv.Atoi(req.params["limit"])
	timeout, _ := strconv.Atoi(req.params["timeout"])
	if limit <= 0 || limit > maxUpdatesLimit {
		limit = maxUpdatesLimit
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()

	kick := make(chan struct{})
	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, &apiError{code: http.StatusConflict, violation: true,
			description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.confirmLocked(offset)
	if s.activePoll != nil {
		close(s.activePoll)
	}
	s.activePoll = kick
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.activePoll == kick {
			s.activePoll = nil
		}
		s.mu.Unlock()
	}()

	for {
		out, changed := s.takeUpdates(limit)
		if len(out) > 0 || timeout <= 0 {
			return out, nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return []json.RawMessage{}, nil
		case <-kick:
			return nil, &apiError{code: http.StatusConflict, violation: true,
				description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case <-req.ctx.Done():
			return nil, errAbort
		case <-s.done:
			return nil, errAbort
		}
	}
}

// takeUpdates returns up to limit deliverable updates, or none and the channel that
// announces the next change.
func (s *Server) takeUpdates(limit int) ([]json.RawMessage, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []json.RawMessage{}
	if s.updatesBlocked {
		return out, s.changed
	}
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		out = append(out, u.raw)
	}
	return out, s.changed
}

func (s *Server) confirmLocked(offset int) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.updates) && s.updates[i].id < offset {
			i++
		}
		s.updates = s.updates[i:]
	case offset < 0 && -offset < len(s.updates):
		s.updates = s.updates[len(s.updates)+offset:]
	}
}
