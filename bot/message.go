package bot

import (
	"context"
	"fmt"
	"time"
)

// EventKind says what a resident did.
type EventKind int

// The kinds of inbound event.
const (
	// CommandEvent is a slash command such as /start; Event.Command holds it without slash.
	CommandEvent EventKind = iota + 1
	// ChoiceEvent is a pressed button; Event.Data holds the Choice.Data that was sent.
	ChoiceEvent
	// TextEvent is a free-text message; Event.Text holds it.
	TextEvent
)

// Event is one inbound update, platform-neutral.
type Event struct {
	Kind EventKind
	// Channel is the name of the channel the event came from.
	Channel string
	// UpdateID identifies the platform update; an event seen twice is handled once.
	UpdateID string
	// UserID is the raw platform user id. The engine turns it into a pseudonym at once
	// and never stores or logs it.
	UserID string
	// ChatID is where replies go (for Telegram the private chat id).
	ChatID string
	// Command and Args for Kind CommandEvent ("start", "").
	Command string
	Args    string
	// Data is the pressed button's Choice.Data for Kind ChoiceEvent.
	Data string
	// Text is the message text for Kind TextEvent.
	Text string
	// Lang is the platform's hint of the resident's language, as it gives one
	// (Telegram's language_code "en", Discord's locale "en-US", the browser's
	// Accept-Language); "" when it gives none. It only preselects the language of a
	// resident who has not chosen one (lang.Match).
	Lang string
	// MessageRef identifies the message the button was on, so a reply can edit it.
	MessageRef string
	// At is when the platform says the update was made (a Telegram message's date, a
	// Discord interaction's snowflake); zero when it does not say (a Telegram button
	// press, the web chat). It only measures inbound lag (Metrics).
	At time.Time
	// Problem, when set, says the channel could not turn the platform update into an
	// event (malformed, or its decoding failed); the engine sets the update aside with
	// this reason, so that it is confirmed and never blocks the updates behind it.
	Problem string
}

// Address says where a message goes.
type Address struct {
	Channel string `json:"channel"`
	ChatID  string `json:"chat_id"`
}

// Message is one outbound message, platform-neutral.
type Message struct {
	To Address `json:"to"`
	// Participant is the recipient's pseudonym, so a gone recipient can be marked inactive.
	Participant string `json:"participant,omitempty"`
	Text        string `json:"text,omitempty"`
	// Lang is the language the message is written in ("" for Dutch): the web chat
	// sets its page's language and direction by it (Arabic right to left).
	Lang string `json:"lang,omitempty"`
	// Choices are buttons, in rows.
	Choices [][]Choice `json:"choices,omitempty"`
	// EditRef, when set, edits that earlier message (an Event.MessageRef) instead of
	// sending a new one.
	EditRef string `json:"edit_ref,omitempty"`
	// Ask, when set, says the message asks for a typed answer. Channels where residents
	// type freely ignore it; others offer a way to type (Discord: a modal).
	Ask *Ask `json:"ask,omitempty"`
	// Image and Document are attachments; Text is then their caption.
	Image    *File `json:"image,omitempty"`
	Document *File `json:"document,omitempty"`
	// Album, when set, is images that go together as one message (Telegram: one
	// sendMediaGroup, Discord: one message with the images, web: one bubble), at most
	// MaxAlbum of them, each captioned with its Alt. An album message has nothing
	// else: no Text, Choices, EditRef, Ask, Image or Document (CheckAlbum).
	Album []File `json:"album,omitempty"`
	// Echo marks a message that only repeats an earlier one with the resident's
	// answer marked (the edit that confirms a tap): a platform that cannot edit and
	// shows the resident's tap in the chat itself (WhatsApp) leaves it out.
	Echo bool `json:"echo,omitempty"`
	// About, when set, says what the message is about, so that the outbox can ask
	// the engine just before sending whether it is still true (and render a
	// question prompt from the session as it is then); see Freshness.
	About *About `json:"about,omitempty"`
	// Notice, when set, says what the message brings for a platform that lets a bot
	// write to a resident only for a while after their last message and otherwise
	// only with a template approved beforehand (WhatsApp's 24-hour window): such a
	// channel then sends the template of Notice.Kind and holds the message until the
	// resident answers it.
	Notice *Notice `json:"notice,omitempty"`
}

// Notice names what a broadcast message brings: Kind is NoticeInvite,
// NoticeReminder, NoticeResults or NoticeDecision; Round the round, Title the
// survey's title and Closes when the round closes, as said to residents
// ("vrijdag 12 december om 17:00"; invitations and reminders).
type Notice struct {
	Kind   string `json:"kind"`
	Round  string `json:"round"`
	Title  string `json:"title"`
	Closes string `json:"closes,omitempty"`
}

// The kinds of Notice.
const (
	NoticeInvite   = "uitnodiging"
	NoticeReminder = "herinnering"
	NoticeResults  = "uitslag"
	NoticeDecision = "besluit"
)

// About names what a message is about: Kind is AboutPrompt, AboutInvite or
// AboutReminder; Round the round; Question the question id (prompts), Sub the
// triad index of a wie-van-de-drie question (prompts).
type About struct {
	Kind     string `json:"kind"`
	Round    string `json:"round"`
	Question string `json:"question,omitempty"`
	Sub      int    `json:"sub,omitempty"`
}

// The kinds of About.
const (
	AboutPrompt   = "prompt"
	AboutInvite   = "invite"
	AboutReminder = "reminder"
)

// Freshness is implemented by the Engine: just before the outbox sends a message
// with About set, it asks whether the message is still true. Current returns the
// message to send (a prompt rendered again from the session as it is now), or
// send false when it is no longer true (the question was answered or passed, the
// resident already started the round, the round closed, the resident finished).
type Freshness interface {
	Current(ctx context.Context, m Message) (out Message, send bool, err error)
}

// Ask describes the typed answer a message asks for.
type Ask struct {
	Label     string `json:"label"`      // short label for the input, e.g. "Uw antwoord"
	MaxLength int    `json:"max_length"` // longest answer accepted, in characters
}

// Choice is one button. Short, when set, is a shorter label for a platform whose
// buttons are narrow (WhatsApp: 20 characters; the survey's kort). Aside marks a
// button beside the answers ("◀ Vorige", "Overslaan"), which a platform with few
// buttons to a message shows apart from them (WhatsApp: wie van de drie stays three
// reply buttons). Tick marks a button that ticks or unticks an option in place
// (multiple choice): TickOn while the option is ticked, TickOff while not; Label then
// starts with the tick's glyph (TickGlyph), which a platform that shows a pressed
// state itself (the web chat: aria-pressed) may leave out.
type Choice struct {
	Label string `json:"label"`
	Data  string `json:"data"`
	Short string `json:"short,omitempty"`
	Aside bool   `json:"aside,omitempty"`
	Tick  string `json:"tick,omitempty"`
}

// The states of Choice.Tick.
const (
	TickOn  = "on"
	TickOff = "off"
)

// TickGlyph is the mark a tick button's label starts with in each state.
var TickGlyph = map[string]string{TickOn: "✅ ", TickOff: "☐ "}

// File is an attachment: its Data, or a Ref to data shared by many messages
// (storage.PutBlob), which the outbox loads just before sending.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data,omitempty"`
	Ref  string `json:"ref,omitempty"`
	// Alt describes an image for those who cannot see it.
	Alt string `json:"alt,omitempty"`
}

// MaxAlbum is the most images one Album holds: Telegram's sendMediaGroup takes
// 2–10 items (core.telegram.org/bots/api#sendmediagroup), Discord 10 attachments and
// 10 embeds per message (discord.com/developers/docs/resources/message#create-message).
const MaxAlbum = 10

// Messages is how many messages m becomes for a platform's per-chat limit: the
// images of an album, which Telegram's flood control counts one by one although
// they go in one request (see telegramtest's sendMediaGroup), else 1. A text
// longer than the platform's MaxText becomes more messages too; the channel
// splits it and the outbox does not see that.
func (m Message) Messages() int {
	return max(len(m.Album), 1)
}

// CheckAlbum reports an album message a channel cannot render: more than MaxAlbum
// images, or anything besides the images. The error wraps ErrPermanent.
func CheckAlbum(m Message) error {
	switch {
	case len(m.Album) > MaxAlbum:
		return fmt.Errorf("album of %d images (max %d): %w", len(m.Album), MaxAlbum, ErrPermanent)
	case m.Text != "" || len(m.Choices) > 0 || m.EditRef != "" || m.Ask != nil || m.Image != nil || m.Document != nil:
		return fmt.Errorf("album with text, buttons or another attachment: %w", ErrPermanent)
	}
	return nil
}

// LoadFiles fills in the Data of every attachment of m that goes by reference
// (File.Ref without Data: Image, Document and each image of the Album), with load
// (storage.Store.Blob); the outbox calls it just before sending. Files are copied,
// never changed in place, since a queued message may share them.
func LoadFiles(ctx context.Context, m *Message, load func(ctx context.Context, ref string) ([]byte, error)) error {
	fill := func(f File) (File, error) {
		if f.Ref == "" || len(f.Data) > 0 {
			return f, nil
		}
		data, err := load(ctx, f.Ref)
		if err != nil {
			return f, fmt.Errorf("load attachment %s: %w", f.Name, err)
		}
		f.Data = data
		return f, nil
	}
	for _, p := range []**File{&m.Image, &m.Document} {
		if *p == nil {
			continue
		}
		f, err := fill(**p)
		if err != nil {
			return err
		}
		*p = &f
	}
	if len(m.Album) > 0 {
		album := make([]File, len(m.Album))
		for i, f := range m.Album {
			var err error
			if album[i], err = fill(f); err != nil {
				return err
			}
		}
		m.Album = album
	}
	return nil
}
