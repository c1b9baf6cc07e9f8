package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// QueueStats is what one queue of a channel's outbox holds.
type QueueStats struct {
	// Depth is the number of messages queued: due or not, claimed or not.
	Depth int64
	// Oldest is the earliest score in the queue: when the message that waits
	// longest is (or was) due. A claimed message is scored a lease ahead while its
	// sender holds it, so Oldest is the earliest message nobody is sending. Zero
	// when the queue is empty.
	Oldest time.Time
}

// Overdue is how long the earliest message has been due at now; 0 when it is not
// due yet (quiet hours, a backoff) or the queue is empty.
func (q QueueStats) Overdue(now time.Time) time.Duration {
	if q.Oldest.IsZero() {
		return 0
	}
	return max(now.Sub(q.Oldest), 0)
}

// OutboxStats is a channel's outbox at one moment, for /metrics.
type OutboxStats struct {
	Replies, Bulk QueueStats
	// Dead is the number of dead letters kept (DeadKeep bounds it).
	Dead int64
}

// OutboxStats reads a channel's queues in one round trip of five commands, each
// O(1) or O(log n) (ZCARD, ZRANGE 0 0): its cost does not grow with the queue, so a
// scrape every few seconds costs the same with a broadcast of a million queued.
// The keys share the channel's hash tag, so on a Cluster it is one node.
func (s *Store) OutboxStats(ctx context.Context, channel string) (OutboxStats, error) {
	pipe := s.rdb.Pipeline()
	rn, rf := pipe.ZCard(ctx, outboxQueueKey(channel)), pipe.ZRangeWithScores(ctx, outboxQueueKey(channel), 0, 0)
	bn, bf := pipe.ZCard(ctx, outboxBulkKey(channel)), pipe.ZRangeWithScores(ctx, outboxBulkKey(channel), 0, 0)
	dead := pipe.ZCard(ctx, outboxDeadKey(channel))
	if _, err := pipe.Exec(ctx); err != nil {
		return OutboxStats{}, fmt.Errorf("read %s outbox stats: %w", channel, err)
	}
	return OutboxStats{
		Replies: QueueStats{Depth: rn.Val(), Oldest: firstScore(rf.Val())},
		Bulk:    QueueStats{Depth: bn.Val(), Oldest: firstScore(bf.Val())},
		Dead:    dead.Val(),
	}, nil
}

// firstScore is the score (unix ms) of the first member as a time; zero for none.
func firstScore(zs []redis.Z) time.Time {
	if len(zs) == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(zs[0].Score))
}
