package redistest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Find scans every key of the database and lists each key, field or value that holds
// one of the needles, as "<key> [<field>]: <value> (has <needle>)": for a test that
// something (a pseudonym, a chat id, a typed text) is nowhere in Redis.
func Find(tb testing.TB, rdb redis.UniversalClient, needles ...string) []string {
	tb.Helper()
	ctx := context.Background()
	var found []string
	for _, key := range Keys(tb, rdb, "*") {
		fields := map[string]string{} // field -> value; members of sets are fields
		switch rdb.Type(ctx, key).Val() {
		case "string":
			fields[""] = rdb.Get(ctx, key).Val()
		case "hash":
			fields = rdb.HGetAll(ctx, key).Val()
		case "set":
			for _, m := range rdb.SMembers(ctx, key).Val() {
				fields[m] = ""
			}
		case "zset":
			for _, m := range rdb.ZRange(ctx, key, 0, -1).Val() {
				fields[m] = ""
			}
		case "list":
			for i, v := range rdb.LRange(ctx, key, 0, -1).Val() {
				fields[strconv.Itoa(i)] = v
			}
		}
		for field, v := range fields {
			for _, n := range needles {
				if n != "" && (strings.Contains(key, n) || strings.Contains(field, n) || strings.Contains(v, n)) {
					found = append(found, fmt.Sprintf("%s [%s]: %.100q (has %q)", key, field, v, n))
				}
			}
		}
	}
	return found
}

// Keys lists the keys matching pattern: on a cluster, of every master (a plain SCAN
// or KEYS sees one node only).
func Keys(tb testing.TB, rdb redis.UniversalClient, pattern string) []string {
	tb.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	var keys []string
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, rdb)
	}
	if err != nil {
		tb.Fatalf("scan redis for %q: %v", pattern, err)
	}
	sort.Strings(keys)
	return keys
}
