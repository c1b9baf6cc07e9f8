package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// A shared route bucket: an unknown one lets one request probe it and holds the
// rest; an answer's remaining count lets that many go; a later answer of the same
// window that says more left (an earlier request's, out of order) does not raise
// it; the bucket fills again after its reset, with one probe.
func TestRouteBucket(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const key = "discord:POST /api/v9/channels/{id}/messages:42"
	take := func(what string, wantGo bool) {
		t.Helper()
		d, err := s.TakeBucket(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if wantGo != (d == 0) {
			t.Fatalf("%s: got a wait of %s, want go %v", what, d, wantGo)
		}
	}
	take("the probe of an unknown bucket", true)
	take("while the probe is out", false)
	if err := s.LearnBucket(ctx, key, 2, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	take("first of two left", true)
	take("second of two left", true)
	if err := s.LearnBucket(ctx, key, 1, 300*time.Millisecond); err != nil { // an earlier request's answer
		t.Fatal(err)
	}
	take("the bucket empty", false)
	d, err := s.TakeBucket(ctx, key)
	if err != nil || d <= 0 || d > 400*time.Millisecond {
		t.Fatalf("wait of an empty bucket: %s %v, want up to its reset", d, err)
	}
	time.Sleep(d + 10*time.Millisecond)
	take("the probe after the reset", true)
	take("while that probe is out", false)
	for i := range 3 { // other buckets are their own
		d, err := s.TakeBucket(ctx, fmt.Sprintf("discord:POST /api/v9/channels/{id}/messages:%d", 100+i))
		if err != nil || d != 0 {
			t.Errorf("another DM's bucket: wait %s %v", d, err)
		}
	}
}
