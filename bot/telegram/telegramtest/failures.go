package telegramtest

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"time"
)

// Send-type calls are sendMessage, editMessageText, editMessageReplyMarkup, sendPhoto,
// sendDocument and sendMediaGroup: the calls Telegram's flood control and blocking apply to. Each one
// goes through, in order: the hook (SetHook), the canned failures (RateLimit,
// FailNext), the blocked check (Block), and only then the method itself.

// Request is a send-type call as the hook sees it, before it is applied.
type Request struct {
	Method    string
	ChatID    int64
	MessageID int               // message_id of an edit, 0 for sends
	Text      string            // text or caption
	Params    map[string]string // all form fields, a copy the hook may keep
	Seq       int               // 1 for the first send-type call the server received, 2 for the next, …
	// Messages is how many messages the call delivers when it goes through: the
	// items of an album (sendMediaGroup), else 1. Telegram counts each against the
	// chat's limit (see sendMediaGroup).
	Messages int
}

// Action is the hook's verdict on a Request. The zero Action is Proceed.
type Action struct {
	hang        bool
	drop        bool
	status      int
	description string
	retryAfter  int
	raw         []byte
}

// Proceed applies the request normally.
var Proceed = Action{}

// Hang holds the request unanswered and unapplied until the client gives up or the
// server closes, when the connection is dropped. The message is not delivered: it
// does not appear in Chat.
var Hang = Action{hang: true}

// Drop drops the connection at once, without an answer and without applying the
// request, as when the network fails mid-request: the client sees an error of its
// transport, not of the Bot API.
var Drop = Action{drop: true}

// FailRaw answers the request with status and body exactly as given, e.g. a canned
// error body from the Bot API documentation, extra fields and all.
func FailRaw(status int, body string) Action {
	return Action{status: status, raw: []byte(body)}
}

// Fail answers the request with an error, e.g. Fail(400, "Bad Request: chat not found").
// status is both the HTTP status and error_code, as in Telegram's answers.
func Fail(status int, description string) Action {
	return Action{status: status, description: description}
}

// Throttle answers the request with Telegram's flood-control error: 429 "Too Many
// Requests: retry after N" with parameters.retry_after N.
func Throttle(retryAfter int) Action {
	return Action{status: http.StatusTooManyRequests, description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), retryAfter: retryAfter}
}

func (a Action) apiError() *apiError {
	if a.status == 0 {
		return nil
	}
	return &apiError{code: a.status, description: a.description, retryAfter: a.retryAfter, raw: a.raw}
}

// SetHook calls hook for every send-type call before it is applied, without any lock
// held (the hook may call the Server); nil removes it. Calls arrive concurrently, so
// the hook must be safe for concurrent use. To hold a request, return Hang rather than
// blocking in the hook: Hang is released when the server closes, a blocked hook is not,
// and the test's cleanup would wait for it.
func (s *Server) SetHook(hook func(r *Request) Action) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = hook
}

// Block makes every later send-type call to userID's chat fail with 403 "Forbidden:
// bot was blocked by the user", until the resident writes again (SendText).
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(userID).blocked = true
}

// RateLimit answers the next n send-type calls with 429 and retry_after seconds.
func (s *Server) RateLimit(n int, retryAfter int) {
	s.failNext(n, Throttle(retryAfter).apiError())
}

// FailNext answers the next n send-type calls with status and description, e.g.
// FailNext(1, 502, "Bad Gateway").
func (s *Server) FailNext(n int, status int, description string) {
	s.failNext(n, Fail(status, description).apiError())
}

func (s *Server) failNext(n int, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, e)
	}
}

// beforeSend runs the failure injection for a send-type call; a nil result lets the
// method apply it.
func (s *Server) beforeSend(req *request) *apiError {
	s.mu.Lock()
	s.sendSeq++
	messages := albumSize(req)
	s.sendTimes = append(s.sendTimes, sendStamp{chatID: req.chatID, at: time.Now(), messages: messages})
	hook, seq := s.hook, s.sendSeq
	s.mu.Unlock()

	if hook != nil {
		messageID, _ := strconv.Atoi(req.params["message_id"])
		text := req.params["text"]
		if text == "" {
			text = req.params["caption"]
		}
		act := hook(&Request{Method: req.method, ChatID: req.chatID, MessageID: messageID, Text: text,
			Params: maps.Clone(req.params), Seq: seq, Messages: messages})
		if act.drop {
			return errAbort
		}
		if act.hang {
			select {
			case <-req.ctx.Done():
			case <-s.done:
			}
			return errAbort
		}
		if aerr := act.apiError(); aerr != nil {
			return aerr
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.canned) > 0 {
		aerr := s.canned[0]
		s.canned = s.canned[1:]
		return aerr
	}
	if c := s.chats[req.chatID]; c != nil && c.blocked {
		return &apiError{code: http.StatusForbidden, description: "Forbidden: bot was blocked by the user"}
	}
	return nil
}
