package telegramtest

import (
	"time"
)

// chat is one conversation's state. In a private chat the chat id is the user id.
type chat struct {
	id            int64
	lastMessageID int // message ids are per chat, shared by the resident and the bot
	sent          []*sentMessage
	byID          map[int]*sentMessage
	blocked       bool
}

// sentMessage is a message the bot sent, in its current state.
type sentMessage struct {
	id        int
	method    string
	date      time.Time
	editDate  time.Time
	text      string // text, or caption for media
	parseMode string
	kb        *keyboard
	edits     int
	photo     *File
	document  *File
	album     string // media_group_id of an album's message
}

// Sent is a message the bot sent, in its current state after any edits.
type Sent struct {
	MessageID int
	ChatID    int64
	Method    string // "sendMessage", "sendPhoto", "sendDocument" or "sendMediaGroup"
	Text      string // text or caption exactly as sent, markup included
	ParseMode string
	Keyboard  [][]Button // current inline keyboard, nil when there is none
	Edits     int        // successful editMessageText and editMessageReplyMarkup calls
	Photo     *File
	Document  *File
	// MediaGroupID is shared by the messages of one album (sendMediaGroup), each
	// with its own photo or document and caption; "" outside an album.
	MediaGroupID string
	Date         time.Time
}

// File is a photo or document the bot sent.
type File struct {
	FileID   string // assigned by the fake; the bot may send it again instead of uploading
	Name     string // file name of the upload, or the URL the bot passed
	Size     int
	Bytes    []byte
	Uploaded bool // false when the bot referred to an earlier upload by FileID or to a URL
}

func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{id: id, byID: make(map[int]*sentMessage)}
		s.chats[id] = c
	}
	return c
}

func (c *chat) newMessageID() int {
	c.lastMessageID++
	return c.lastMessageID
}

func (c *chat) wire() wireChat {
	if c.id < 0 {
		return wireChat{ID: c.id, Type: "group"}
	}
	return wireChat{ID: c.id, Type: "private", FirstName: resident(c.id).FirstName}
}

func (c *chat) add(m *sentMessage) {
	c.sent = append(c.sent, m)
	c.byID[m.id] = m
}

// messageJSONLocked is the Message object for bot message id in c. For an unknown
// message it is the minimal object Telegram sends for an inaccessible message (date 0).
func (s *Server) messageJSONLocked(c *chat, id int) *wireMessage {
	m := c.byID[id]
	if m == nil {
		return &wireMessage{MessageID: id, Chat: c.wire()}
	}
	bot := s.bot
	w := &wireMessage{
		MessageID:    m.id,
		From:         &bot,
		Date:         m.date.Unix(),
		Chat:         c.wire(),
		ReplyMarkup:  m.kb.json(),
		MediaGroupID: m.album,
	}
	if !m.editDate.IsZero() {
		w.EditDate = m.editDate.Unix()
	}
	// Telegram returns the text with its markup turned into entities; the fake
	// returns the plain text and leaves the entities out.
	plain := visibleText(m.text, m.parseMode)
	switch {
	case m.photo != nil:
		w.Caption = plain
		w.Photo = []wirePhotoSize{photoSize(*m.photo)}
	case m.document != nil:
		w.Caption = plain
		w.Document = document(*m.document)
	default:
		w.Text = plain
	}
	return w
}

func (c *chat) snapshot(m *sentMessage) Sent {
	return Sent{
		MessageID: m.id,
		ChatID:    c.id,
		Method:    m.method,
		Text:      m.text,
		ParseMode: m.parseMode,
		Keyboard:  m.kb.copyRows(),
		Edits:     m.edits,
		Photo:     copyFile(m.photo),
		Document:  copyFile(m.document),
		Date:      m.date,

		MediaGroupID: m.album,
	}
}

func copyFile(f *File) *File {
	if f == nil {
		return nil
	}
	c := *f
	c.Bytes = append([]byte(nil), f.Bytes...)
	return &c
}

// Chat is every message the bot sent to chatID, in send order, each in its current
// state. Failed, refused and held sends are not in it.
func (s *Server) Chat(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Sent, len(c.sent))
	for i, m := range c.sent {
		out[i] = c.snapshot(m)
	}
	return out
}

// Last is the newest message the bot sent to chatID, the zero Sent when there is none.
func (s *Server) Last(chatID int64) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || len(c.sent) == 0 {
		return Sent{}
	}
	return c.snapshot(c.sent[len(c.sent)-1])
}
