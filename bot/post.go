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

// Post says how a message is queued.
type Post struct {
	// Dedupe, when set, queues the message at most once for this key (e.g.
	// "invite:<round>:<participant>"), also across crashes and replicas.
	Dedupe string
	// DedupeFor is how long the dedupe key is kept (default storage.DedupeTTL, longer
	// than any round lasts); a reply to an inbound update needs it only while the
	// platform may deliver that update again.
	DedupeFor time.Duration
	// Quiet messages wait for the end of quiet hours (invitations, reminders).
	Quiet bool
}
