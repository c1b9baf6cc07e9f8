package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// DigestSent reports whether the digest of period was queued already.
func (s *Store) DigestSent(ctx context.Context, period string) (bool, error) {
	n, err := s.rdb.Exists(ctx, digestKey(period)).Result()
	if err != nil {
		return false, fmt.Errorf("digest %s: %w", period, err)
	}
	return n == 1, nil
}

// MarkDigest marks the digest of period as queued, after every message of it was.
func (s *Store) MarkDigest(ctx context.Context, period string, at time.Time) error {
	if err := s.durable.exec(ctx, s.rdb, digestKey(period), func(p redis.Pipeliner) error {
		return p.Set(ctx, digestKey(period), at.Unix(), 0).Err()
	}); err != nil {
		return fmt.Errorf("mark digest %s: %w", period, err)
	}
	return nil
}
