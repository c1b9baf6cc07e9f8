package whatsapptest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"time"
)

// Sent is a message the bot sent to a resident and the fake accepted.
type Sent struct {
	MessageID   string // "wamid.…", as answered to the bot
	To          string // the resident's wa_id
	Type        string // "text", "interactive", "image", "document" or "template"
	Interactive string // "button" or "list" for interactive messages
	Text        string // text body, interactive body text, or image caption
	Header      string // interactive text header
	Footer      string // interactive footer
	Buttons     []Button
	ListButton  string // the label of a list's button
	Sections    []Section
	Template    *Template
	MediaID     string // image or document by uploaded media id
	Link        string // image or document by link
	Filename    string // a document's file name
	ReplyTo     string // context.message_id, "" when the message replies to nothing
	Time        time.Time
}

// Button is one reply button.
type Button struct {
	ID    string
	Title string
}

// Section is one section of a list message.
type Section struct {
	Title string
	Rows  []Row
}

// Row is one row of a list message.
type Row struct {
	ID          string
	Title       string
	Description string
}

// Template is a template message as the bot filled it in.
type Template struct {
	Name         string
	Language     string
	BodyParams   []string
	QuickReplies []QuickReply
}

// QuickReply is the payload the bot gave a template's quick-reply button.
type QuickReply struct {
	Index   string
	Payload string
}

// Rows is every row of the list, over all sections, in order.
func (s Sent) Rows() []Row {
	var out []Row
	for _, sec := range s.Sections {
		out = append(out, sec.Rows...)
	}
	return out
}

func (s Sent) clone() Sent {
	s.Buttons = slices.Clone(s.Buttons)
	secs := make([]Section, len(s.Sections))
	for i, sec := range s.Sections {
		secs[i] = Section{Title: sec.Title, Rows: slices.Clone(sec.Rows)}
	}
	if s.Sections != nil {
		s.Sections = secs
	}
	if s.Template != nil {
		t := *s.Template
		t.BodyParams = slices.Clone(t.BodyParams)
		t.QuickReplies = slices.Clone(t.QuickReplies)
		s.Template = &t
	}
	return s
}

// Chat is every message the bot sent to waID that the fake accepted, in order.
// Refused and failed sends are not in it (see Calls).
func (s *Server) Chat(waID string) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, m := range s.chats[waID] {
		out = append(out, m.clone())
	}
	return out
}

// Last is the newest message the bot sent to waID, the zero Sent when there is none.
func (s *Server) Last(waID string) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[waID]
	if len(c) == 0 {
		return Sent{}
	}
	return c[len(c)-1].clone()
}

// sentLocked finds the message id the bot sent to waID.
func (s *Server) sentLocked(waID, id string) (Sent, bool) {
	for _, m := range s.chats[waID] {
		if m.MessageID == id {
			return m, true
		}
	}
	return Sent{}, false
}

// newMessageIDLocked makes a message id shaped like Meta's: "wamid." and base64.
func (s *Server) newMessageIDLocked(waID string) string {
	raw := fmt.Sprintf("whatsapptest:%s:%d", waID, s.nextLocked())
	return "wamid." + base64.StdEncoding.EncodeToString([]byte(raw))
}
