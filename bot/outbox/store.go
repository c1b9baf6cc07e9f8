package outbox

import (
	"context"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// Store is the queue the outbox keeps in Redis, and the limits the replicas share;
// *storage.Store implements it.
type Store interface {
	Limiter
	EnqueueBatch(ctx context.Context, channel string, entries []storage.OutboxEntry) ([]bool, error)
	NextDue(ctx context.Context, channel string) (time.Time, bool, error)
	ClaimEach(ctx context.Context, channel string, now time.Time, lease time.Duration, replies, bulk, total int) ([]storage.OutboxItem, error)
	Extend(ctx context.Context, channel string, ids []string, until time.Time) (lost []string, err error)
	AckMany(ctx context.Context, channel string, ids []string, skipped bool) (lost []string, err error)
	Retry(ctx context.Context, channel, id string, due time.Time, countAttempt bool) error
	Bury(ctx context.Context, channel, id string, now time.Time, reason string, keep storage.DeadKeep) error
	TrimDead(ctx context.Context, channel string, now time.Time, keep storage.DeadKeep) error
	// Blob gives a shared attachment (a chart) by its reference.
	Blob(ctx context.Context, ref string) ([]byte, error)
}

// Limiter holds the platform limits every replica of the service shares (shared.go):
// a channel's rate and a chat's, and the pause a 429 asks for.
type Limiter interface {
	// TakeRate takes places (one a message) in the channel's and the chat's shared
	// limits, in both or in neither, or says why not and for how long.
	TakeRate(ctx context.Context, channel, chat string, places int, lim storage.RateLimit) (storage.RateTurn, error)
	// PauseRate pauses the channel for every replica for d from now, unless a
	// pause that ends later is on.
	PauseRate(ctx context.Context, channel string, d time.Duration) error
}

// DeadStore holds the dead letters (DeadLetters, RetryDead, RetryAllDead);
// *storage.Store implements it.
type DeadStore interface {
	DeadChannels(ctx context.Context) ([]string, error)
	DeadLetters(ctx context.Context, channel string, limit int) ([]storage.DeadLetter, error)
	RequeueDead(ctx context.Context, channel string, due time.Time, ids ...string) (int, error)
	RequeueAllDead(ctx context.Context, channel string, due time.Time) (int, error)
}
