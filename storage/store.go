// Package storage keeps participants, rounds, answers, tallies and the outbox in Redis
// (go-redis v9). It knows no chat platform and no survey file: callers hand it answers
// in the compact form of surveys.EncodeAnswer, and the answer scripts count them under
// the tally names surveys.TallyFields gives (record.go; a test holds the two
// together). The key schema is documented in keys.go; every multi-key write is one
// Lua script, so a crash never leaves half a write behind.
package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Store is the Redis store. It is safe for concurrent use.
type Store struct {
	rdb redis.UniversalClient
	web webKey // the key naming web chats (SetWebKey, web_state.go)
	// owner marks the outbox messages this Store claims (outbox.go)
	owner string
	// layouts caches the bucket count of rounds (record.go)
	layouts layoutCache
	// dicts caches the dictionary numbers recording answers uses (record.go)
	dicts dictCache
	// answers runs the scripts of every answer (RecordAnswer, Complete): the
	// client's autopipeliner when it has one, so that residents answering at once
	// share writes to Redis (each answer still waits one round trip), else rdb
	answers redis.Scripter
	// durable runs the writes that a failover must not lose (durable.go)
	durable durability
}

// New returns a store on the given client (a single node, a Sentinel or a Cluster client).
func New(rdb redis.UniversalClient) *Store {
	s := &Store{rdb: rdb, owner: newOwner(), answers: rdb}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		s.durable = durability{cc: cc, timeout: ReplicaWait, log: slog.Default()}
	}
	if c, ok := rdb.(interface {
		AutoPipeline() (*redis.AutoPipeliner, error)
	}); ok {
		if ap, err := c.AutoPipeline(); err == nil {
			s.answers = ap
		}
	}
	return s
}

// Open connects to REDIS_URL and checks the connection. The URL names one Redis
// (redis://host:port/0, rediss:// with TLS) or a Redis Cluster: seed nodes as addr
// parameters (redis://host1:port?addr=host2:port&addr=host3:port, go-redis's
// ParseClusterURL), or one seed with the scheme redis+cluster:// (rediss+cluster://).
func Open(ctx context.Context, url string) (*Store, error) {
	rdb, addr, err := client(url)
	if err != nil {
		return nil, err
	}
	if err := ping(ctx, rdb); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connect to redis at %s: %w", addr, err)
	}
	return New(rdb), nil
}

// Ping checks that Redis answers: the one node, or every master of a Cluster, not
// just the seed (with one master down, the keys of its slots can be neither read
// nor written). Open checks this way; /readyz asks Ping.
func (s *Store) Ping(ctx context.Context) error { return ping(ctx, s.rdb) }

func ping(ctx context.Context, rdb redis.UniversalClient) error {
	if err := rdb.Ping(ctx).Err(); err != nil {
		return err
	}
	if c, ok := rdb.(*redis.ClusterClient); ok {
		if err := c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return m.Ping(ctx).Err()
		}); err != nil {
			return fmt.Errorf("a cluster master: %w", err)
		}
	}
	return nil
}

// client is the client REDIS_URL names, and the address to name in errors (never
// the password).
func client(url string) (redis.UniversalClient, string, error) {
	scheme, rest, _ := strings.Cut(url, "://")
	cluster := strings.HasSuffix(scheme, "+cluster")
	if cluster {
		url = strings.TrimSuffix(scheme, "+cluster") + "://" + rest
	}
	if !cluster && strings.Contains(url, "addr=") {
		cluster = true
	}
	if cluster {
		opt, err := redis.ParseClusterURL(url)
		if err != nil {
			return nil, "", fmt.Errorf("parse REDIS_URL as a cluster: %w", err)
		}
		return redis.NewClusterClient(opt), strings.Join(opt.Addrs, ","), nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, "", fmt.Errorf("parse REDIS_URL: %w", err)
	}
	return redis.NewClient(opt), opt.Addr, nil
}

// Client is the underlying Redis client.
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Close closes the client.
func (s *Store) Close() error { return s.rdb.Close() }

// ErrNotFound is returned when a participant or round does not exist.
var ErrNotFound = errors.New("not found")

// ErrRoundClosed is returned when an answer arrives for a round that is not open.
var ErrRoundClosed = errors.New("round not open")
