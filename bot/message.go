package bot

import "context"

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
	// MessageRef identifies the message the button was on, so a reply can edit it.
	MessageRef string
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
	// About, when set, says what the message is about, so that the outbox can ask
	// the engine just before sending whether it is still true (and render a
	// question prompt from the session as it is then); see Freshness.
	About *About `json:"about,omitempty"`
}

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

// Choice is one button.
type Choice struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// File is an attachment: its Data, or a Ref to data shared by many messages
// (storage.PutBlob), which the outbox loads just before sending.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data,omitempty"`
	Ref  string `json:"ref,omitempty"`
	// Alt describes an image for those who cannot see it.
	Alt string `json:"alt,omitempty"`
}
