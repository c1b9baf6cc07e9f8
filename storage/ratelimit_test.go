package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// rateStep is one TakeRate and what it must answer. The spacings are long, so that
// the few milliseconds the test takes do not matter: a wait is checked to lie within
// 100 ms below what it would be at once.
type rateStep struct {
	chat     string
	places   int
	lim      storage.RateLimit
	pause    time.Duration // PauseRate(pause) before the step
	want     storage.RateWait
	wantWait time.Duration
}

func TestTakeRate(t *testing.T) {
	channel := storage.RateLimit{Every: 10 * time.Second}
	chat := storage.RateLimit{PerChatEvery: 20 * time.Second}
	both := storage.RateLimit{Every: 10 * time.Second, PerChatEvery: 20 * time.Second}
	ahead := storage.RateLimit{Every: 10 * time.Second, Ahead: 15 * time.Second}
	bucket := storage.RateLimit{PerChatEvery: 6 * time.Second, PerChatTolerance: 2 * 6 * time.Second}
	tests := []struct {
		name  string
		steps []rateStep
	}{
		{name: "the channel spaces its messages", steps: []rateStep{
			{chat: "1", lim: channel, want: storage.RateTaken},
			{chat: "2", lim: channel, want: storage.RateChannel, wantWait: 10 * time.Second},
		}},
		{name: "an album has its places clear before and after", steps: []rateStep{
			{chat: "1", places: 3, lim: channel, want: storage.RateTaken},
			{chat: "2", lim: channel, want: storage.RateChannel, wantWait: 30 * time.Second},
			{chat: "3", places: 2, lim: channel, want: storage.RateChannel, wantWait: 40 * time.Second},
		}},
		{name: "a turn may be given ahead, so far", steps: []rateStep{
			{chat: "1", lim: ahead, want: storage.RateTaken},
			{chat: "2", lim: ahead, want: storage.RateTaken, wantWait: 10 * time.Second},
			{chat: "3", lim: ahead, want: storage.RateChannel, wantWait: 5 * time.Second},
		}},
		{name: "a chat with a burst takes it at once, then the rate", steps: []rateStep{
			{chat: "1", lim: bucket, want: storage.RateTaken},
			{chat: "1", lim: bucket, want: storage.RateTaken},
			{chat: "1", lim: bucket, want: storage.RateTaken},
			{chat: "1", lim: bucket, want: storage.RateChat, wantWait: 6 * time.Second},
			{chat: "1", places: 2, lim: bucket, want: storage.RateChat, wantWait: 12 * time.Second},
			{chat: "2", lim: bucket, want: storage.RateTaken},
		}},
		{name: "a chat at its limit holds only that chat", steps: []rateStep{
			{chat: "1", lim: chat, want: storage.RateTaken},
			{chat: "1", lim: chat, want: storage.RateChat, wantWait: 20 * time.Second},
			{chat: "2", lim: chat, want: storage.RateTaken},
		}},
		{name: "a send the channel refuses spends no place of its chat", steps: []rateStep{
			{chat: "1", lim: both, want: storage.RateTaken},
			{chat: "2", lim: both, want: storage.RateChannel, wantWait: 10 * time.Second},
			{chat: "2", lim: chat, want: storage.RateTaken}, // its chat was still free
		}},
		{name: "a send its chat refuses spends no place of the channel", steps: []rateStep{
			{chat: "1", lim: chat, want: storage.RateTaken},
			{chat: "1", lim: both, want: storage.RateChat, wantWait: 20 * time.Second},
			{chat: "2", lim: both, want: storage.RateTaken}, // the channel was still free
		}},
		{name: "a pause holds every chat, and the later end stays", steps: []rateStep{
			{chat: "1", lim: both, pause: 5 * time.Second, want: storage.RatePaused, wantWait: 5 * time.Second},
			{chat: "2", lim: chat, pause: time.Second, want: storage.RatePaused, wantWait: 5 * time.Second},
		}},
		{name: "without a limit nothing is asked, not even the pause", steps: []rateStep{
			{chat: "1", lim: storage.RateLimit{}, pause: 5 * time.Second, want: storage.RateTaken},
		}},
	}
	servers(t, func(t *testing.T, rdb *redis.Client) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				runRateSteps(t, storage.New(rdb), "rl-"+tt.name, tt.steps)
			})
		}
	})
}

func runRateSteps(t *testing.T, st *storage.Store, channel string, steps []rateStep) {
	t.Helper()
	ctx := context.Background()
	for i, s := range steps {
		if s.pause > 0 {
			if err := st.PauseRate(ctx, channel, s.pause); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.TakeRate(ctx, channel, s.chat, max(s.places, 1), s.lim)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.Why != s.want || got.Wait > s.wantWait || got.Wait < s.wantWait-100*time.Millisecond {
			t.Errorf("step %d (chat %s, %d places): got %+v, want %v with a wait just under %s", i, s.chat, s.places, got, s.want, s.wantWait)
		}
	}
}

// On a cluster the pause, the channel's and a chat's keys are on one slot, so the
// one script runs there, and the keys expire.
func TestTakeRateCluster(t *testing.T) {
	rdb := redistest.StartCluster(t, 3, 0).Client(t)
	st := storage.New(rdb)
	lim := storage.RateLimit{Every: 10 * time.Second, PerChatEvery: 20 * time.Second}
	runRateSteps(t, st, "telegram", []rateStep{
		{chat: "7001", lim: lim, want: storage.RateTaken},
		{chat: "7001", lim: lim, want: storage.RateChat, wantWait: 20 * time.Second},
		{chat: "7002", lim: lim, want: storage.RateChannel, wantWait: 10 * time.Second},
		{chat: "7002", lim: lim, pause: 3 * time.Second, want: storage.RatePaused, wantWait: 3 * time.Second},
	})
	ctx := context.Background()
	keys := redistest.Keys(t, rdb, "pb:{rl:telegram}:*")
	if len(keys) != 3 {
		t.Fatalf("got keys %v, want the pause, the channel and one chat", keys)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > 20*time.Second {
			t.Errorf("%s: got expiry %s, want within the 20 s it guards", k, ttl)
		}
	}
}
