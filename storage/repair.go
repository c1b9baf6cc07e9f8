package storage

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// A participant's record (participantKey) and the active set (activeKey) are in
// different hash slots on a Redis Cluster, so no write can change both at once. The
// record is the truth: it is written first (SaveConsent, Withdraw, Deactivate,
// Reactivate), every broadcast reads it before sending, and RepairActive brings the
// set in line with it after a crash between the two writes.

// repairBatch is how many keys or members RepairActive looks at a round trip.
const repairBatch = 1000

// RepairActive makes the active set agree with the participants' records: a
// participant whose record is active and consented is in it, no one else is. It
// scans every record (on every master of a cluster) and every member of the set, in
// batches, and returns how many it added and removed. A consent or withdrawal that
// runs meanwhile may be undone in the set, never in the record, which the next
// repair follows again.
func (s *Store) RepairActive(ctx context.Context) (added, removed int, err error) {
	scan := func(ctx context.Context, c redis.UniversalClient) error {
		var cursor uint64
		for {
			keys, next, err := c.Scan(ctx, cursor, participantKey("*"), repairBatch).Result()
			if err != nil {
				return fmt.Errorf("scan participants: %w", err)
			}
			pids := make([]string, 0, len(keys))
			for _, k := range keys {
				pids = append(pids, strings.TrimPrefix(k, participantKey("")))
			}
			n, err := s.repairAdd(ctx, pids)
			added += n
			if err != nil {
				return err
			}
			if next == 0 {
				return nil
			}
			cursor = next
		}
	}
	if cc, ok := s.rdb.(*redis.ClusterClient); ok {
		// one master at a time: added is not guarded for parallel use (ForEachMaster
		// calls its function for every master at once)
		var mu sync.Mutex
		masters := []*redis.Client{}
		if err := cc.ForEachMaster(ctx, func(_ context.Context, m *redis.Client) error {
			mu.Lock()
			masters = append(masters, m)
			mu.Unlock()
			return nil
		}); err != nil {
			return 0, 0, fmt.Errorf("repair active set: %w", err)
		}
		for _, m := range masters {
			if err := scan(ctx, m); err != nil {
				return added, 0, fmt.Errorf("repair active set: %w", err)
			}
		}
	} else if err := scan(ctx, s.rdb); err != nil {
		return added, 0, fmt.Errorf("repair active set: %w", err)
	}
	err = s.scanSetPages(ctx, activeKey(), repairBatch, func(pids []string) error {
		n, err := s.repairRemove(ctx, pids)
		removed += n
		return err
	})
	if err != nil {
		return added, removed, fmt.Errorf("repair active set: %w", err)
	}
	return added, removed, nil
}

// reachable reads whether each participant's record is active and consented.
func (s *Store) reachable(ctx context.Context, pids []string) ([]bool, error) {
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(pids))
	for i, pid := range pids {
		cmds[i] = pipe.HMGet(ctx, participantKey(pid), "active", "consent_version")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("read participants: %w", err)
	}
	out := make([]bool, len(pids))
	for i, c := range cmds {
		v := c.Val()
		active, _ := v[0].(string)
		version, _ := v[1].(string)
		out[i] = active == "1" && version != ""
	}
	return out, nil
}

// repairAdd adds to the active set those of pids whose record says they belong.
func (s *Store) repairAdd(ctx context.Context, pids []string) (int, error) {
	if len(pids) == 0 {
		return 0, nil
	}
	ok, err := s.reachable(ctx, pids)
	if err != nil {
		return 0, err
	}
	var add []any
	for i, pid := range pids {
		if ok[i] {
			add = append(add, pid)
		}
	}
	if len(add) == 0 {
		return 0, nil
	}
	n, err := s.rdb.SAdd(ctx, activeKey(), add...).Result()
	if err != nil {
		return 0, fmt.Errorf("add to the active set: %w", err)
	}
	return int(n), nil
}

// repairRemove removes from the active set those of pids whose record says they do
// not belong (gone, withdrawn, blocked the bot).
func (s *Store) repairRemove(ctx context.Context, pids []string) (int, error) {
	ok, err := s.reachable(ctx, pids)
	if err != nil {
		return 0, err
	}
	var rem []any
	for i, pid := range pids {
		if !ok[i] {
			rem = append(rem, pid)
		}
	}
	if len(rem) == 0 {
		return 0, nil
	}
	n, err := s.rdb.SRem(ctx, activeKey(), rem...).Result()
	if err != nil {
		return 0, fmt.Errorf("remove from the active set: %w", err)
	}
	return int(n), nil
}
