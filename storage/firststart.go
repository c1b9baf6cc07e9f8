package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// FirstStart records now as the time serve first ran on this store, unless a time
// was recorded before, and returns the recorded time. A store that already holds
// rounds when nothing was recorded (it served before this was kept) gets the zero
// time: its past is not known. Replicas starting at once agree, as only the first
// SET NX counts.
func (s *Store) FirstStart(ctx context.Context, now time.Time) (time.Time, error) {
	v := now.Unix()
	if n, err := s.rdb.ZCard(ctx, roundsKey()).Result(); err != nil {
		return time.Time{}, fmt.Errorf("first start: %w", err)
	} else if n > 0 {
		v = 0
	}
	if err := s.durable.exec(ctx, s.rdb, firstStartKey(), func(p redis.Pipeliner) error {
		return p.SetNX(ctx, firstStartKey(), v, 0).Err()
	}); err != nil {
		return time.Time{}, fmt.Errorf("first start: %w", err)
	}
	got, err := s.rdb.Get(ctx, firstStartKey()).Result()
	if err != nil {
		return time.Time{}, fmt.Errorf("first start: %w", err)
	}
	sec, err := strconv.ParseInt(got, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("first start %q: %w", got, err)
	}
	if sec == 0 {
		return time.Time{}, nil
	}
	return time.Unix(sec, 0), nil
}
