package redistest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// The cluster is up with every slot served, and keys of different slots land on
// different masters.
func TestStartCluster(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	rdb := c.Client(t)
	ctx := context.Background()
	masters := map[string]bool{}
	for i := range 30 {
		key := fmt.Sprint("k", i)
		if err := rdb.Set(ctx, key, i, 0).Err(); err != nil {
			t.Fatalf("set %s: %v", key, err)
		}
		m, err := rdb.MasterForKey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		masters[m.Options().Addr] = true
	}
	if len(masters) != 3 {
		t.Errorf("keys on %d masters, want 3", len(masters))
	}
	opt, err := redis.ParseClusterURL(c.URL())
	if err != nil || len(opt.Addrs) != 6 {
		t.Errorf("URL %s: %v %v", c.URL(), opt, err)
	}
}
