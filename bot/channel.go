package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Channel is a chat platform: it turns platform updates into Events for the engine and
// renders neutral Messages into platform calls. A channel knows nothing about surveys.
type Channel interface {
	// Name is the channel's stable name ("telegram", "discord", "web"); it is part of
	// every Address and of the participant's pseudonym.
	Name() string
	// Run receives updates until ctx ends, handing each to h. An update that h fails
	// to handle must be offered again later (h is idempotent per Event.UpdateID).
	Run(ctx context.Context, h Handler) error
	// Send delivers one message. Failures are classified with ErrRecipientGone,
	// ErrPermanent or *RateLimitedError; anything else is taken as temporary.
	Send(ctx context.Context, m Message) error
	// Limits are the platform's sending limits, enforced by the outbox.
	Limits() Limits
}

// Counter is implemented by a channel whose messages may become more platform
// messages than Message.Messages() says (WhatsApp: a question's answers and, apart,
// the buttons beside them; a text too long for the buttons' body before them): the
// outbox's limits count that many.
type Counter interface {
	Messages(m Message) int
}

// Handler takes inbound events; the Engine is the one implementation.
type Handler interface {
	Handle(ctx context.Context, ev Event) error
}

// Limits are a platform's limits: how fast a channel may send (enforced by the
// outbox), and how long a text may be (kept by the channel itself, which splits or
// clips with SplitText and ClipCaption). The engine writes texts of any length.
type Limits struct {
	PerSecond        float64 // all chats together
	Burst            int
	PerChatPerSecond float64 // one chat
	PerChatBurst     int
	// PerChatBucket says the chat's limit is a bucket (PerChatBurst at once, then
	// PerChatPerSecond: WhatsApp's pair rate), not a window (at most PerChatBurst in
	// any span: Telegram's, Discord's).
	PerChatBucket bool
	// MaxChoiceData is the longest Choice.Data the platform carries, in bytes.
	MaxChoiceData int
	// MaxText is the longest message text, and MaxCaption the longest caption of
	// an image or document, both counted in Unit.
	MaxText, MaxCaption int
	// Unit is how the platform counts a text's length (Telegram: UTF-16 code
	// units); the zero value counts characters. Len counts in it.
	Unit Unit
}

// Unit is how a platform counts the length of a text.
type Unit int

// The units of length.
const (
	// Runes counts characters (Unicode code points): Discord, the web chat.
	Runes Unit = iota
	// UTF16 counts UTF-16 code units: Telegram (see UTF16Len).
	UTF16
)

// Len is the length of s in unit u.
func (u Unit) Len(s string) int {
	if u == UTF16 {
		return UTF16Len(s)
	}
	return utf8.RuneCountInString(s)
}

// Len is the length of s the platform's way.
func (l Limits) Len(s string) int { return l.Unit.Len(s) }

// SplitText cuts text into messages of at most MaxText (see SplitBy); a limit of
// zero leaves it whole.
func (l Limits) SplitText(text string) []string {
	if l.MaxText <= 0 {
		return []string{text}
	}
	return SplitBy(text, l.MaxText, l.Len)
}

// ClipText shortens text to MaxText, ending in "…" when cut (an edit, which cannot
// become two messages).
func (l Limits) ClipText(text string) string {
	if l.MaxText <= 0 {
		return text
	}
	return ClipBy(text, l.MaxText, l.Len)
}

// ClipCaption shortens a caption to MaxCaption, ending in "…" when cut.
func (l Limits) ClipCaption(text string) string {
	if l.MaxCaption <= 0 {
		return text
	}
	return ClipBy(text, l.MaxCaption, l.Len)
}

// UTF16Len is a length in UTF-16 code units, the unit in which Telegram counts
// message texts and captions (core.telegram.org/bots/api#messageentity: "Offset in
// UTF-16 code units"): a character outside the Basic Multilingual Plane, such as
// most emoji, counts two.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// ErrRecipientGone means the recipient cannot be reached any more (blocked the bot,
// closed DMs, deleted the account). The participant is marked inactive; no retry.
var ErrRecipientGone = errors.New("recipient gone")

// ErrPermanent means the platform refused the message for good (bad request); no retry.
var ErrPermanent = errors.New("permanent send failure")

// RateLimitedError means the platform asked us to wait before sending again: all
// chats of the channel, or with ChatOnly only this one (WhatsApp's pair rate).
type RateLimitedError struct {
	RetryAfter time.Duration
	ChatOnly   bool
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s", e.RetryAfter)
}

// ConsentChecker is implemented by the Engine. A channel that keeps what residents type
// itself (the web chat's transcript) asks it first, so that nothing typed before consent,
// or by a resident under 16 (who never consents), is stored.
type ConsentChecker interface {
	// Consented reports whether the platform user has consent on record that was not
	// withdrawn.
	Consented(ctx context.Context, channel, userID string) (bool, error)
}

// ChatFinder is implemented by the Engine. A channel whose platform does not say in
// every update where to answer (a Discord slash command in the server, which is
// answered in the member's DM) asks it for the chat it keeps with the participant,
// rather than asking the platform again after every restart.
type ChatFinder interface {
	// KnownChat is the chat of the platform user's participant record while they
	// take part (consented and active); ok is false when there is none.
	KnownChat(ctx context.Context, channel, userID string) (chat string, ok bool, err error)
}

// Forgetter is implemented by a channel that keeps data about a chat itself (the web
// chat's transcript and personal links). The engine calls Forget when the resident
// stops or erases their data; afterwards the channel holds nothing about the chat, and
// its links to the chat no longer work. Forget is idempotent.
type Forgetter interface {
	Forget(ctx context.Context, chatID string) error
}

// Rights is implemented by the Engine, for a channel with pages of its own (the web
// chat) that shows residents their data and erases it there, as /mijngegevens and
// /vergeetmij do in every chat.
type Rights interface {
	// DataOf is everything held about the platform user; nil when nothing is.
	DataOf(ctx context.Context, channel, userID string) (*MyData, error)
	// EraseUser erases everything held about the platform user (idempotent).
	EraseUser(ctx context.Context, channel, userID string) error
}
