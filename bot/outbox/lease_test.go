package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// hangChannel answers a send only when the sender gives up on it (its context ends),
// as a platform that never answers.
type hangChannel struct {
	started atomic.Int64
}

func (c *hangChannel) Name() string       { return obChannelName }
func (c *hangChannel) Limits() bot.Limits { return obFastLimits }
func (c *hangChannel) Run(ctx context.Context, _ bot.Handler) error {
	<-ctx.Done()
	return nil
}

func (c *hangChannel) Send(ctx context.Context, _ bot.Message) error {
	c.started.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

// While a sender lives, its heartbeat keeps its messages, however long a send takes;
// once it is gone (its heartbeat stops), another sender has them within a lease.
func TestOutboxHeartbeatKeepsLease(t *testing.T) {
	const lease = 300 * time.Millisecond
	env := obNewEnv(t)
	hung := &hangChannel{}
	cfgA := outbox.Config{Lease: lease}
	a := env.outbox([]bot.Channel{hung}, cfgA)
	env.post(a, obMsg("1", "uitnodiging"), bot.Post{Priority: bot.Bulk, Dedupe: "inv:r1:p1"})
	stopA := env.run(a, cfgA)
	testwait.For(t, 5*time.Second, "the hanging send", func() bool { return hung.started.Load() == 1 })

	// a second replica: its own Store, so its own owner token
	ch := &obChannel{limits: obFastLimits}
	cfgB := outbox.Config{Lease: lease}
	b := outbox.New(storage.New(env.rdb), []bot.Channel{ch}, cfgB, obLogger())
	env.run(b, cfgB)
	// ten leases: without a heartbeat b would have sent it long ago
	if testwait.Poll(10*lease, func() bool { return ch.Count() != 0 }) {
		t.Fatalf("the other replica sent %d messages while the first still held the lease", ch.Count())
	}
	stopA()
	stoppedAt := time.Now()
	testwait.For(t, 5*time.Second, "the other replica to send it", func() bool { return ch.Count() == 1 })
	if took := ch.Sends()[0].Done.Sub(stoppedAt); took > lease+1500*time.Millisecond {
		t.Errorf("sent %s after the first replica stopped, want within the lease (%s) and a claim round", took, lease)
	}
	if outbox.DefaultLease > 15*time.Second {
		t.Errorf("got default lease %s, want at most 15s", outbox.DefaultLease)
	}
}

// What a stopping sender had claimed but not begun to send goes back at once, not
// after its lease.
func TestOutboxStopReleasesUnsent(t *testing.T) {
	env := obNewEnv(t)
	hung := &hangChannel{}
	cfg := outbox.Config{Lease: time.Hour, Workers: 1}
	a := env.outbox([]bot.Channel{hung}, cfg)
	for i := range 5 {
		env.post(a, obMsg(fmt.Sprint(i), "uitnodiging"), bot.Post{Priority: bot.Bulk})
	}
	stop := env.run(a, cfg)
	testwait.For(t, 5*time.Second, "the hanging send", func() bool { return hung.started.Load() == 1 })
	stop()
	items, err := env.store.Claim(context.Background(), obChannelName, time.Now(), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 4 {
		t.Errorf("got %d messages due after the stop, want the 4 never sent (the one mid-send waits for its lease)", len(items))
	}
}

// Dead letters keep why the outbox gave up, without chat or user ids.
func TestOutboxDeadLetterReasons(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantReason string
	}{
		{name: "gone", err: fmt.Errorf("telegram sendMessage: %w: Forbidden: bot was blocked by the user", bot.ErrRecipientGone),
			wantReason: "ontvanger onbereikbaar (bot geblokkeerd of account weg)"},
		{name: "permanent", err: fmt.Errorf("telegram sendMessage: %w: 400 Bad Request: chat 123456789 not found", bot.ErrPermanent),
			wantReason: "door het platform geweigerd: telegram sendMessage: permanent send failure: 400 Bad Request: chat … not found"},
		{name: "too often", err: errors.New("read tcp 127.0.0.1:4321: connection reset by peer"),
			wantReason: "opgegeven na 1 poging: read tcp 127.0.0.1:4321: connection reset by peer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			ch := &obChannel{limits: obFastLimits, script: func(bot.Message, int) error { return tt.err }}
			cfg := outbox.Config{MaxAttempts: 1}
			o := env.outbox([]bot.Channel{ch}, cfg)
			env.post(o, obMsg("123456789", "mislukt"), bot.Post{})
			env.run(o, cfg)
			var dead []storage.DeadLetter
			testwait.For(t, 5*time.Second, "a dead letter", func() bool {
				dead, _ = env.store.DeadLetters(context.Background(), obChannelName, 10)
				return len(dead) == 1 && o.Stats(obChannelName).Buried == 1
			})
			if got := dead[0].Reason; got != tt.wantReason {
				t.Errorf("got reason %q, want %q", got, tt.wantReason)
			}
			if strings.Contains(dead[0].Reason, "123456789") || dead[0].Attempts != 1 {
				t.Errorf("got %+v, want no chat id and 1 attempt", dead[0])
			}
		})
	}
}

// A dedupe key lives as long as what it protects: a reply only while the platform may
// redeliver the update it answers, a broadcast message as long as its caller says or
// a week.
func TestOutboxDedupeLifetimes(t *testing.T) {
	tests := []struct {
		name string
		post bot.Post
		want time.Duration
	}{
		{name: "reply, engine's week", post: bot.Post{Dedupe: "u:1", DedupeFor: 8 * 24 * time.Hour}, want: bot.Redelivery},
		{name: "reply, default", post: bot.Post{Dedupe: "u:2"}, want: bot.Redelivery},
		{name: "bulk, default", post: bot.Post{Dedupe: "inv:r1:p1", Priority: bot.Bulk}, want: storage.DedupeTTL},
		{name: "bulk, until the round's end", post: bot.Post{Dedupe: "inv:r2:p1", Priority: bot.Bulk, DedupeFor: 3 * 24 * time.Hour}, want: 3 * 24 * time.Hour},
	}
	env := obNewEnv(t)
	o := env.outbox([]bot.Channel{&obChannel{limits: obFastLimits}}, outbox.Config{})
	for _, tt := range tests {
		before := redistest.Keys(t, env.rdb, "pb:{ob:"+obChannelName+"}:d:*")
		env.post(o, obMsg("1", "x"), tt.post)
		var key string
		for _, k := range redistest.Keys(t, env.rdb, "pb:{ob:"+obChannelName+"}:d:*") {
			if !slices.Contains(before, k) {
				key = k
			}
		}
		ttl := env.rdb.TTL(context.Background(), key).Val()
		if ttl > tt.want || ttl < tt.want-time.Minute {
			t.Errorf("%s: got ttl %s, want %s", tt.name, ttl, tt.want)
		}
	}
	if bot.Redelivery > 48*time.Hour {
		t.Errorf("got Redelivery %s, want at most 48h", bot.Redelivery)
	}
}
