package storage_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// TestUnavailable: the errors a Redis that is down or failing over gives, taken from
// a real client, are told apart from errors about the request itself.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	// a port nobody listens on: the client's own "connection refused"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	down := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer down.Close()
	refused := down.Get(ctx, "k").Err()

	rdb := redistest.Start(t).Client(t)
	scriptErr := rdb.Eval(ctx, "return redis.error_reply('ERR kapot')", nil).Err()
	wrongType := func() error {
		rdb.Set(ctx, "pb:test:string", "x", 0)
		return rdb.HGet(ctx, "pb:test:string", "f").Err()
	}()
	closed := redis.NewClient(&redis.Options{Addr: addr})
	closed.Close()
	closedErr := closed.Get(ctx, "k").Err()

	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", fmt.Errorf("load round r1: %w", refused), true},
		{"client closed", closedErr, true},
		{"not replicated", fmt.Errorf("record answer: %w", storage.ErrNotReplicated), true},
		{"cluster down", fmt.Errorf("claim: %w", redisError("CLUSTERDOWN The cluster is down")), true},
		{"slot moving", redisError("TRYAGAIN Multiple keys request during rehashing of slot"), true},
		{"master down", redisError("MASTERDOWN Link with MASTER is down"), true},
		{"the caller's deadline", fmt.Errorf("handle telegram update 7: %w", context.DeadlineExceeded), false},
		{"the caller's cancel", fmt.Errorf("load round r1: %w", context.Canceled), false},
		{"script error", scriptErr, false},
		{"wrong type", wrongType, false},
		{"not found", redis.Nil, false},
		{"the request's own error", errors.New("channel refused the message"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if tt.err == nil && tt.name != "nil" {
			t.Fatalf("%s: the client gave no error", tt.name)
		}
		if got := storage.Unavailable(tt.err); got != tt.want {
			t.Errorf("%s (%v): got %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// redisError is an error as go-redis returns a server's error reply.
type redisError string

func (e redisError) Error() string { return string(e) }
func (redisError) RedisError()     {}
