package whatsapptest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Notifications as in the messages webhook reference
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages):
//
//	{"object":"whatsapp_business_account","entry":[{"id":"<WABA_ID>","changes":[{"value":{
//	  "messaging_product":"whatsapp","metadata":{"display_phone_number":…,"phone_number_id":…},
//	  "contacts":[{"profile":{"name":…},"wa_id":…}],
//	  "messages":[{"from":…,"id":"wamid.…","timestamp":"<unix seconds>","type":…,…}]},
//	  "field":"messages"}]}]}
//
// and for statuses "statuses":[{"id","status","timestamp","recipient_id","errors"?}]
// in place of contacts and messages.

type wireNotification struct {
	Object string      `json:"object"`
	Entry  []wireEntry `json:"entry"`
}

type wireEntry struct {
	ID      string       `json:"id"`
	Changes []wireChange `json:"changes"`
}

type wireChange struct {
	Value wireValue `json:"value"`
	Field string    `json:"field"`
}

type wireValue struct {
	MessagingProduct string        `json:"messaging_product"`
	Metadata         wireMetadata  `json:"metadata"`
	Contacts         []wireContact `json:"contacts,omitempty"`
	Messages         []wireInbound `json:"messages,omitempty"`
	Statuses         []wireStatus  `json:"statuses,omitempty"`
}

type wireMetadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

type wireContact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

type wireInbound struct {
	Context     *wireContext            `json:"context,omitempty"`
	From        string                  `json:"from"`
	ID          string                  `json:"id"`
	Timestamp   string                  `json:"timestamp"`
	Type        string                  `json:"type"`
	Text        *wireText               `json:"text,omitempty"`
	Interactive *wireInboundInteractive `json:"interactive,omitempty"`
	Button      *wireInboundButton      `json:"button,omitempty"`
	Image       *wireInboundMedia       `json:"image,omitempty"`
	Audio       *wireInboundMedia       `json:"audio,omitempty"`
}

type wireContext struct {
	From string `json:"from"`
	ID   string `json:"id"`
}

type wireInboundInteractive struct {
	Type        string   `json:"type"`
	ButtonReply *wireRow `json:"button_reply,omitempty"`
	ListReply   *wireRow `json:"list_reply,omitempty"`
}

type wireInboundButton struct {
	Payload string `json:"payload"`
	Text    string `json:"text"`
}

type wireInboundMedia struct {
	MIMEType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	ID       string `json:"id"`
	Voice    bool   `json:"voice,omitempty"`
}

type wireStatus struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	Timestamp   string            `json:"timestamp"`
	RecipientID string            `json:"recipient_id"`
	Errors      []wireStatusError `json:"errors,omitempty"`
}

type wireStatusError struct {
	Code      int            `json:"code"`
	Title     string         `json:"title"`
	Message   string         `json:"message"`
	ErrorData *wireErrorData `json:"error_data,omitempty"`
}

func (s *Server) notificationLocked(v wireValue) []byte {
	v.MessagingProduct = "whatsapp"
	v.Metadata = wireMetadata{DisplayPhoneNumber: s.displayNumber, PhoneNumberID: s.phoneNumberID}
	n := wireNotification{Object: "whatsapp_business_account",
		Entry: []wireEntry{{ID: s.wabaID, Changes: []wireChange{{Value: v, Field: "messages"}}}}}
	body, err := json.Marshal(n)
	if err != nil {
		panic(fmt.Sprintf("whatsapptest: encode notification: %v", err))
	}
	return body
}

// enqueueStatusLocked queues a status notification for outbound message id; code is
// the error of a failed status.
func (s *Server) enqueueStatusLocked(id, to, status string, code int) {
	if s.webhookURL == "" {
		return
	}
	st := wireStatus{ID: id, Status: status, Timestamp: unix(s.now()), RecipientID: to}
	if status == StatusFailed {
		e := apiError(code, "")
		info := codes[code]
		st.Errors = []wireStatusError{{Code: code, Title: info.title, Message: info.title}}
		if e.details != "" {
			st.Errors[0].ErrorData = &wireErrorData{Details: e.details}
		}
	}
	body := s.notificationLocked(wireValue{Statuses: []wireStatus{st}})
	s.enqueueLocked(&pending{kind: "status", messageID: id, status: status, body: body})
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// SetProfileName sets the profile name webhooks show for waID (default "Bewoner
// <waID>").
func (s *Server) SetProfileName(waID, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[waID] = name
}

// inbound posts a resident's message and opens or refreshes their customer service
// window; it answers the message's id.
func (s *Server) inbound(from string, m wireInbound) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhookURL == "" {
		s.tb.Errorf("whatsapptest: resident %s sent a %s message, but no webhook is set (SetWebhook)", from, m.Type)
	}
	now := s.now()
	s.lastInbound[from] = now
	m.From, m.Timestamp = from, unix(now)
	m.ID = s.newMessageIDLocked(from)
	c := wireContact{WaID: from}
	c.Profile.Name = s.names[from]
	if c.Profile.Name == "" {
		c.Profile.Name = "Bewoner " + from
	}
	body := s.notificationLocked(wireValue{Contacts: []wireContact{c}, Messages: []wireInbound{m}})
	if s.webhookURL != "" {
		s.enqueueLocked(&pending{kind: "message", messageID: m.ID, body: body})
		if s.duplicates > 0 {
			s.duplicates--
			s.enqueueLocked(&pending{kind: "message", messageID: m.ID, body: body, duplicate: true})
		}
	}
	return m.ID
}

// SendText posts a text message from resident from; it answers the message id.
func (s *Server) SendText(from, text string) string {
	return s.inbound(from, wireInbound{Type: "text", Text: &wireText{Body: text}})
}

// PressButton posts resident from's tap on reply button buttonID titled title of the
// bot's message replyToMsgID (interactive.button_reply). The test fails when the bot
// never sent that message with that button to from.
func (s *Server) PressButton(from, replyToMsgID, buttonID, title string) string {
	s.mu.Lock()
	m, ok := s.sentLocked(from, replyToMsgID)
	s.mu.Unlock()
	if !ok || !slices.Contains(m.Buttons, Button{ID: buttonID, Title: title}) {
		s.tb.Errorf("whatsapptest: PressButton: %s was never sent message %s with button {%q %q}", from, replyToMsgID, buttonID, title)
	}
	return s.inbound(from, wireInbound{
		Context:     s.context(replyToMsgID),
		Type:        "interactive",
		Interactive: &wireInboundInteractive{Type: "button_reply", ButtonReply: &wireRow{ID: buttonID, Title: title}},
	})
}

// PickRow posts resident from's choice of row rowID of the bot's list message
// replyToMsgID (interactive.list_reply). The test fails when the bot never sent that
// list with that row to from.
func (s *Server) PickRow(from, replyToMsgID, rowID, title, description string) string {
	s.mu.Lock()
	m, ok := s.sentLocked(from, replyToMsgID)
	s.mu.Unlock()
	want := Row{ID: rowID, Title: title, Description: description}
	found := false
	for _, r := range m.Rows() {
		found = found || r == want
	}
	if !ok || !found {
		s.tb.Errorf("whatsapptest: PickRow: %s was never sent list %s with row %+v", from, replyToMsgID, want)
	}
	return s.inbound(from, wireInbound{
		Context:     s.context(replyToMsgID),
		Type:        "interactive",
		Interactive: &wireInboundInteractive{Type: "list_reply", ListReply: &wireRow{ID: rowID, Title: title, Description: description}},
	})
}

// PressTemplateButton posts resident from's tap on the quick-reply button with
// payload of the newest template the bot sent them (type "button", with the
// template's message id as context); text is the button's label. The test fails when
// no template sent to from has that payload.
func (s *Server) PressTemplateButton(from, payload, text string) string {
	s.mu.Lock()
	var replyTo string
	for _, m := range s.chats[from] {
		if m.Template == nil {
			continue
		}
		for _, q := range m.Template.QuickReplies {
			if q.Payload == payload {
				replyTo = m.MessageID
			}
		}
	}
	s.mu.Unlock()
	if replyTo == "" {
		s.tb.Errorf("whatsapptest: PressTemplateButton: %s was never sent a template with payload %q", from, payload)
	}
	return s.inbound(from, wireInbound{
		Context: s.context(replyTo),
		Type:    "button",
		Button:  &wireInboundButton{Payload: payload, Text: text},
	})
}

// SendImage posts a photo from resident from, a message type the bot does not
// expect to handle beyond answering.
func (s *Server) SendImage(from string) string {
	return s.inbound(from, wireInbound{Type: "image", Image: &wireInboundMedia{
		MIMEType: "image/jpeg", SHA256: "whatsapptestimagesha256", ID: s.inboundMediaID()}})
}

// SendAudio posts a voice note from resident from.
func (s *Server) SendAudio(from string) string {
	return s.inbound(from, wireInbound{Type: "audio", Audio: &wireInboundMedia{
		MIMEType: "audio/ogg; codecs=opus", SHA256: "whatsapptestaudiosha256", ID: s.inboundMediaID(), Voice: true}})
}

func (s *Server) inboundMediaID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strconv.Itoa(2_000_000_000_000_000 + s.nextLocked())
}

func (s *Server) context(id string) *wireContext {
	if id == "" {
		return nil
	}
	return &wireContext{From: s.displayNumber, ID: id}
}
