package lease_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/lease"
	"github.com/participatiebot/participatiebot/internal/lease/leasetest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// TestHoldOneAtATime runs three replicas for one lease, cuts the holder off from Redis
// twice, and checks that the role never runs on two at once, that another replica takes
// over within the lease's lifetime, and that every new holding has a larger token.
func TestHoldOneAtATime(t *testing.T) {
	srv := redistest.Start(t)
	const ttl = 1500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		mu      sync.Mutex
		running = map[string]int64{} // replica → token, while its role runs
		overlap []string
		tokens  []int64
	)
	stores := map[string]*leasetest.CutOff{}
	var wg sync.WaitGroup
	for i := range 3 {
		name := fmt.Sprintf("r%d", i)
		st := &leasetest.CutOff{Store: storage.New(srv.Client(t))}
		stores[name] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := lease.Hold(ctx, st, "test", name, ttl, nil, func(ctx context.Context, token int64) error {
				mu.Lock()
				if len(running) > 0 {
					overlap = append(overlap, fmt.Sprintf("%s (token %d) started while %v ran", name, token, running))
				}
				running[name] = token
				tokens = append(tokens, token)
				mu.Unlock()
				<-ctx.Done()
				mu.Lock()
				delete(running, name)
				mu.Unlock()
				return ctx.Err()
			})
			if err != nil {
				t.Errorf("%s: Hold: %v", name, err)
			}
		}()
	}
	holder := func() (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		for n := range running {
			return n, true
		}
		return "", false
	}
	for cut := range 2 {
		var h string
		testwait.For(t, 5*time.Second, "a holder", func() bool { var ok bool; h, ok = holder(); return ok })
		stores[h].Cut.Store(true)
		start := time.Now()
		testwait.Until(t, 5*time.Second, "another holder", func() (bool, string) {
			n, ok := holder()
			return ok && n != h, fmt.Sprintf("holder %q", n)
		})
		if d := time.Since(start); d > 2*ttl {
			t.Errorf("cut %d: takeover after %s, want within 2×ttl (%s)", cut, d, 2*ttl)
		}
		stores[h].Cut.Store(false)
	}
	cancel()
	wg.Wait()
	if len(overlap) > 0 {
		t.Errorf("the role ran twice at once: %v", overlap)
	}
	for i := 1; i < len(tokens); i++ {
		if tokens[i] <= tokens[i-1] {
			t.Errorf("tokens %v: a new holding must have a larger token", tokens)
		}
	}
	if len(tokens) < 3 {
		t.Errorf("tokens %v: want at least three holdings", tokens)
	}
}
