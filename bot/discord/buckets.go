package discord

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Discord limits each route per major parameter (a channel's messages) in buckets
// it names in every answer: X-RateLimit-Bucket, with -Remaining and -Reset-After
// (discord.com/developers/docs/topics/rate-limits#header-format). discordgo follows
// them within one process; with several replicas sending to the same DM, what one
// learns the others must know too. So the channel keeps each bucket in Redis
// (storage.TakeBucket, LearnBucket), per route and channel: a request takes a place
// before it goes, and its answer says how many are left and when the bucket fills
// again. An unknown bucket lets one request probe it. Without the store (one
// process, tests) discordgo's own buckets are all there is.

// BucketStore shares the route buckets between replicas; *storage.Store implements it.
type BucketStore interface {
	TakeBucket(ctx context.Context, key string) (time.Duration, error)
	LearnBucket(ctx context.Context, key string, remaining int, resetAfter time.Duration) error
}

// routeBuckets are the channel's shared buckets.
type routeBuckets struct {
	store BucketStore
	log   *slog.Logger
}

// routeOf is a sending request's route ("POST /channels/{id}/messages/{id}") and its
// major parameter (the channel id); ok is false for a request no bucket is kept for.
func routeOf(r *http.Request) (route, major string, ok bool) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for i, p := range parts {
		if p == "channels" && i+1 < len(parts) {
			major = parts[i+1]
		}
		if _, err := strconv.ParseUint(p, 10, 64); err == nil {
			parts[i] = "{id}"
		}
	}
	if major == "" {
		return "", "", false
	}
	return r.Method + " /" + strings.Join(parts, "/"), major, true
}

// key is the shared name of the bucket of a route and major parameter. It is the
// route, not the bucket's hash that the answers name: a replica knows the route
// before its first answer, and a key that changed at the first answer would let the
// replicas that had one and those that had none count in different buckets.
func (b *routeBuckets) key(route, major string) string {
	return "discord:" + route + ":" + major
}

// wait holds a request until its bucket has a place for it (or ctx ends). Redis
// failing lets it go: the outbox's limits still hold, and a 429 holds the chat.
func (b *routeBuckets) wait(ctx context.Context, r *http.Request) error {
	route, major, ok := routeOf(r)
	if b == nil || b.store == nil || !ok {
		return nil
	}
	key := b.key(route, major)
	for {
		d, err := b.store.TakeBucket(ctx, key)
		if err != nil || d <= 0 {
			if err != nil && ctx.Err() == nil {
				b.log.Warn("discord: shared rate limit bucket unavailable, sending without it", "err", err)
			}
			return ctx.Err()
		}
		// the bucket fills then, or a probe's answer says more sooner: look again
		t := time.NewTimer(min(d, 100*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// learn records what an answer said of its bucket.
func (b *routeBuckets) learn(ctx context.Context, r *http.Request, header http.Header) {
	route, major, ok := routeOf(r)
	if b == nil || b.store == nil || !ok {
		return
	}
	if header.Get("X-RateLimit-Global") != "" {
		return // the global limit: the hold and the outbox's pause keep it
	}
	remaining, rerr := strconv.Atoi(header.Get("X-RateLimit-Remaining"))
	after, aerr := strconv.ParseFloat(header.Get("X-RateLimit-Reset-After"), 64)
	if header.Get("X-RateLimit-Bucket") == "" || rerr != nil || aerr != nil || after < 0 || math.IsInf(after, 0) || math.IsNaN(after) {
		// an answer that says nothing of its bucket (a proxy's): the probe is over,
		// and the next request probes again rather than wait for words never said
		remaining, after = 1<<20, 0
	}
	d := time.Duration(math.Ceil(after*1000)) * time.Millisecond
	if err := b.store.LearnBucket(context.WithoutCancel(ctx), b.key(route, major), remaining, d); err != nil {
		b.log.Warn("discord: record a rate limit bucket", "err", err)
	}
}
