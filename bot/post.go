package bot

import (
	"context"
	"time"
)

// Poster queues outbound messages; the outbox (bot/outbox) is the one implementation.
// The engine and everything that sends through it take a Poster.
type Poster interface {
	// Post queues a message; false when its dedupe key was used before.
	Post(ctx context.Context, m Message, p Post) (bool, error)
}

// Redelivery is how long an inbound update is remembered: its handled mark and the
// dedupe keys of the replies to it. A platform delivers an unconfirmed update again
// for a day at most (Telegram keeps it 24 hours,
// https://core.telegram.org/bots/api#getupdates; Discord and the web chat do not
// redeliver), so twice that is a margin, and nothing is kept for months.
const Redelivery = 48 * time.Hour

// Post says how a message is queued.
type Post struct {
	// Dedupe, when set, queues the message at most once for this key (e.g.
	// "invite:<round>:<participant>"), also across crashes and replicas.
	Dedupe string
	// DedupeFor is how long the dedupe key is kept (default storage.DedupeTTL, longer
	// than any round lasts); a reply to an inbound update needs it only while the
	// platform may deliver that update again (Redelivery, which the outbox keeps a
	// reply's key to at most).
	DedupeFor time.Duration
	// Quiet messages wait for the end of quiet hours (invitations, reminders).
	Quiet bool
	// Priority is Reply (the default) or Bulk.
	Priority Priority
}

// Priority orders the messages waiting on one channel: replies to what a resident
// just did go before bulk (broadcasts), as courier's priority queues do.
type Priority int

// The priorities of a message, highest first; the zero value is Reply.
const (
	// Reply is the answer to an inbound event: the next question, a confirmation.
	Reply Priority = iota
	// Bulk is a broadcast: invitations, reminders, results, decisions, digests.
	Bulk
)

// Outgoing is one message to queue with how it is queued, for PostBatch.
type Outgoing struct {
	Message Message
	Post    Post
}

// BatchPoster queues many messages in a few round trips (a broadcast); the outbox
// implements it. Queued[i] reports for out[i] whether it was queued (false: its
// dedupe key was used before). A batch that fails part-way may be posted again:
// the dedupe keys make that safe.
type BatchPoster interface {
	Poster
	PostBatch(ctx context.Context, out []Outgoing) (queued []bool, err error)
}
