package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// blobTTL is how long a shared attachment is kept: longer than any message waits, and
// as long as a web chat transcript that shows it (bot/web).
const blobTTL = 180 * 24 * time.Hour

// PutBlob stores data once under a reference derived from its content, so a chart
// sent to a thousand participants is kept once, not in every queued message.
func (s *Store) PutBlob(ctx context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	ref := hex.EncodeToString(sum[:])
	if err := s.durable.exec(ctx, s.rdb, blobKey(ref), func(p redis.Pipeliner) error {
		return p.Set(ctx, blobKey(ref), data, blobTTL).Err()
	}); err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return ref, nil
}

// Blob loads an attachment stored with PutBlob; ErrNotFound when it expired.
func (s *Store) Blob(ctx context.Context, ref string) ([]byte, error) {
	b, err := s.rdb.Get(ctx, blobKey(ref)).Bytes()
	if isNil(err) {
		return nil, fmt.Errorf("attachment %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load attachment %s: %w", ref, err)
	}
	return b, nil
}
