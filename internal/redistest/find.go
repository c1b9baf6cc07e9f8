package redistest

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"strings"

	"github.com/redis/go-redis/v9"
)

// Find scans every key of the database and lists each key, field or value that holds
// one of the needles, as "<key> [<field>]: <value> (has <needle>)": for a test that
// something (a pseudonym, a chat id, a typed text) is nowhere in Redis.
func Find(tb testing.TB, rdb redis.UniversalClient, needles ...string) []string {
	tb.Helper()
	ctx := context.Background()
	var found []string
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
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
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan redis: %v", err)
	}
	return found
}
