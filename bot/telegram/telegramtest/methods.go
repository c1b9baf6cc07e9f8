package telegramtest

import (
	"strconv"
	"strings"
	"time"
)

// methodTable lists the supported methods by lower-cased name; anything else is
// answered 404 Not Found, as by the real server.
func (s *Server) methodTable() map[string]method {
	list := []method{
		{name: "getMe", handle: s.getMe},
		{name: "getUpdates", handle: s.getUpdates},
		{name: "setWebhook", handle: s.setWebhook},
		{name: "deleteWebhook", handle: s.deleteWebhook},
		{name: "getWebhookInfo", handle: s.getWebhookInfo},
		{name: "setMyCommands", handle: returnTrue},
		{name: "answerCallbackQuery", handle: s.answerCallbackQuery},
		{name: "sendMessage", sendType: true, handle: s.sendMessage},
		{name: "editMessageText", sendType: true, handle: s.editMessageText},
		{name: "editMessageReplyMarkup", sendType: true, handle: s.editMessageReplyMarkup},
		{name: "sendPhoto", sendType: true, handle: s.sendPhoto},
		{name: "sendDocument", sendType: true, handle: s.sendDocument},
		{name: "sendMediaGroup", sendType: true, handle: s.sendMediaGroup},
	}
	table := make(map[string]method, len(list))
	for _, m := range list {
		table[strings.ToLower(m.name)] = m
	}
	return table
}

func returnTrue(*request) (any, *apiError) {
	return true, nil
}

func (s *Server) getMe(*request) (any, *apiError) {
	return s.bot, nil
}

// checkChat validates chat_id. Any numeric id is a valid chat: the fake does not
// insist that the resident wrote first.
func checkChat(req *request) *apiError {
	switch {
	case req.params["chat_id"] == "":
		return badRequest("chat_id is empty")
	case req.chatID == 0:
		return badRequest("chat not found")
	}
	return nil
}

// sendMessage implements https://core.telegram.org/bots/api#sendmessage.
func (s *Server) sendMessage(req *request) (any, *apiError) {
	if aerr := checkChat(req); aerr != nil {
		return nil, aerr
	}
	text, parseMode := req.params["text"], req.params["parse_mode"]
	if aerr := checkText(text, parseMode); aerr != nil {
		return nil, aerr
	}
	kb, err := parseReplyMarkup(req.params["reply_markup"])
	if err != nil {
		return nil, refuse("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(req.chatID)
	m := &sentMessage{id: c.newMessageID(), method: req.method, date: time.Now(), text: text, parseMode: parseMode, kb: kb}
	c.add(m)
	return s.messageJSONLocked(c, m.id), nil
}

// notModified is Telegram's answer to an edit that changes nothing.
const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

// editTarget finds the bot message an edit call refers to.
func (s *Server) editTargetLocked(req *request) (*chat, *sentMessage, *apiError) {
	if req.params["inline_message_id"] != "" {
		return nil, nil, badRequest("telegramtest does not support inline messages")
	}
	if aerr := checkChat(req); aerr != nil {
		return nil, nil, aerr
	}
	id, _ := strconv.Atoi(req.params["message_id"])
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	c := s.chats[req.chatID]
	if c == nil || c.byID[id] == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	return c, c.byID[id], nil
}

// editMessageText implements https://core.telegram.org/bots/api#editmessagetext.
// Like Telegram, it replaces the inline keyboard with the one given, so an edit
// without reply_markup removes the buttons.
func (s *Server) editMessageText(req *request) (any, *apiError) {
	text, parseMode := req.params["text"], req.params["parse_mode"]
	if aerr := checkText(text, parseMode); aerr != nil {
		return nil, aerr
	}
	kb, err := parseReplyMarkup(req.params["reply_markup"])
	if err != nil {
		return nil, refuse("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, aerr := s.editTargetLocked(req)
	if aerr != nil {
		return nil, aerr
	}
	if m.photo != nil || m.document != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	if m.text == text && m.parseMode == parseMode && sameKeyboard(m.kb, kb) {
		return nil, badRequest(notModified)
	}
	m.text, m.parseMode, m.kb = text, parseMode, kb
	m.edits++
	m.editDate = time.Now()
	return s.messageJSONLocked(c, m.id), nil
}

// editMessageReplyMarkup implements
// https://core.telegram.org/bots/api#editmessagereplymarkup; without reply_markup it
// removes the keyboard.
func (s *Server) editMessageReplyMarkup(req *request) (any, *apiError) {
	kb, err := parseReplyMarkup(req.params["reply_markup"])
	if err != nil {
		return nil, refuse("%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, aerr := s.editTargetLocked(req)
	if aerr != nil {
		return nil, aerr
	}
	if sameKeyboard(m.kb, kb) {
		return nil, badRequest(notModified)
	}
	m.kb = kb
	m.edits++
	m.editDate = time.Now()
	return s.messageJSONLocked(c, m.id), nil
}

// answerCallbackQuery implements https://core.telegram.org/bots/api#answercallbackquery
// for the queries Press issued; it returns true.
func (s *Server) answerCallbackQuery(req *request) (any, *apiError) {
	id := req.params["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.callbacks[id]; !ok {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.callbacks[id]++
	return true, nil
}
