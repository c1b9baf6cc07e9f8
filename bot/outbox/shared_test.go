package outbox_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// replicaLimits are Telegram's limits exactly as the fake enforces them, without the
// channel's own margin (DefaultLimits' 28 a second): what keeps the replicas within
// them is the shared limit's margin alone.
var replicaLimits = bot.Limits{PerSecond: 30, Burst: 1, PerChatPerSecond: 1, PerChatBurst: 1}

// replica is one bot replica: its own Redis client, Store (so its own lease owner),
// Telegram channel and outbox, on the Redis and the fake Telegram all replicas share.
type replica struct {
	ob *outbox.Outbox
	ch *chatLog
}

// chatLog is a channel that notes the chats it sent to, to tell the replicas apart.
type chatLog struct {
	bot.Channel
	mu    sync.Mutex
	chats map[string]int
}

func (c *chatLog) Send(ctx context.Context, m bot.Message) error {
	err := c.Channel.Send(ctx, m)
	if err == nil {
		c.mu.Lock()
		c.chats[m.To.ChatID]++
		c.mu.Unlock()
	}
	return err
}

func (c *chatLog) sentTo(chat string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chats[chat]
}

// startReplicas starts n replicas against srv and the Redis rs, running until the
// test ends.
func startReplicas(t *testing.T, rs *redistest.Server, srv *telegramtest.Server, token string, n int) []replica {
	t.Helper()
	var out []replica
	for range n {
		rdb := rs.Client(t)
		tg, err := telegram.New(telegram.Config{Token: token, APIEndpoint: srv.Endpoint(), Limits: replicaLimits}, obLogger())
		if err != nil {
			t.Fatalf("telegram.New: %v", err)
		}
		ch := &chatLog{Channel: tg, chats: map[string]int{}}
		env := &obEnv{t: t, store: storage.New(rdb), rdb: rdb}
		ob := env.outbox([]bot.Channel{ch}, outbox.Config{})
		out = append(out, replica{ob: ob, ch: ch})
		env.run(ob, outbox.Config{})
	}
	return out
}

// Two replicas drain one broadcast against a Telegram fake that enforces 30 a second
// and one a second per chat: together they stay within both (no 429, no second with
// more than 30, no chat with two in a second), and still reach 0.9 of the limit. With
// shared chats both replicas hold messages to the same chats, so the per-chat limit
// must be shared as well.
func TestOutboxReplicasShareLimits(t *testing.T) {
	tests := []struct {
		name         string
		chats, each  int
		wantSameChat bool // some chat must have had messages from both replicas
	}{
		{name: "distinct chats", chats: 180, each: 1},
		{name: "shared chats", chats: 60, each: 3, wantSameChat: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const token = "6161:replica-limits-token"
			rs := redistest.Start(t)
			srv := telegramtest.NewServer(t, token)
			srv.EnforceLimits(telegramtest.Limits{Global: 30, PerChat: 1})
			post := outbox.New(storage.New(rs.Client(t)), nil, outbox.Config{}, obLogger())
			var out []bot.Outgoing
			for i := range tt.each {
				for c := range tt.chats {
					m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(8000 + c)}, Text: fmt.Sprintf("bericht %d", i)}
					out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk}})
				}
			}
			if _, err := post.PostBatch(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			reps := startReplicas(t, rs, srv, token, 2)
			total := tt.chats * tt.each
			testwait.Until(t, 60*time.Second, "all sent", func() (bool, string) {
				a, b := reps[0].ob.Stats("telegram"), reps[1].ob.Stats("telegram")
				return a.Sent+b.Sent >= total, fmt.Sprintf("sent %d + %d of %d; %+v", a.Sent, b.Sent, total, srv.LimitStats())
			})
			st := srv.LimitStats()
			if st.Refused != 0 || st.InsideRetryAfter != 0 || st.MaxGlobal > 30 || st.MaxPerChat > 1 {
				t.Errorf("got %+v, want nothing refused, at most 30 in any second and 1 a second per chat", st)
			}
			if v := srv.Violations(); len(v) != 0 {
				t.Errorf("got violations %q, want none", v)
			}
			calls := srv.Calls("sendMessage")
			// a floor against a limiter that starves the replicas; the figure itself
			// (0.95 of the limit) comes from BenchmarkOutboxTelegram, not from a test
			// on a busy machine
			if rate := benchRate(calls); rate < 0.5*30 {
				t.Errorf("got %.1f messages a second together, want at least half of 30", rate)
			}
			for i, r := range reps {
				if n := r.ob.Stats("telegram").Sent; n == 0 {
					t.Errorf("replica %d sent nothing: the test shows no sharing", i)
				}
			}
			both := 0
			for c := range tt.chats {
				chat := strconv.Itoa(8000 + c)
				if reps[0].ch.sentTo(chat) > 0 && reps[1].ch.sentTo(chat) > 0 {
					both++
				}
			}
			if tt.wantSameChat && both == 0 {
				t.Errorf("no chat had messages from both replicas: the test shows no per-chat sharing")
			}
			t.Logf("%d messages at %.1f a second; %d chats served by both replicas; %+v", len(calls), benchRate(calls), both, st)
		})
	}
}

// A 429 that one replica gets pauses the other too: no send of either reaches the
// platform within its retry_after.
func TestOutboxReplicasShare429(t *testing.T) {
	const token = "6262:replica-429-token"
	rs := redistest.Start(t)
	srv := telegramtest.NewServer(t, token)
	srv.EnforceLimits(telegramtest.Limits{Global: 30, PerChat: 1})
	var once sync.Once
	srv.SetHook(func(r *telegramtest.Request) telegramtest.Action {
		act := telegramtest.Proceed
		if r.Seq >= 20 {
			once.Do(func() { act = telegramtest.Throttle(1) })
		}
		return act
	})
	post := outbox.New(storage.New(rs.Client(t)), nil, outbox.Config{}, obLogger())
	const n = 80
	var out []bot.Outgoing
	for c := range n {
		m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(9000 + c)}, Text: "uitnodiging"}
		out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk}})
	}
	if _, err := post.PostBatch(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	reps := startReplicas(t, rs, srv, token, 2)
	testwait.Until(t, 30*time.Second, "all sent", func() (bool, string) {
		a, b := reps[0].ob.Stats("telegram"), reps[1].ob.Stats("telegram")
		return a.Sent+b.Sent >= n, fmt.Sprintf("sent %d + %d of %d; %+v", a.Sent, b.Sent, n, srv.LimitStats())
	})
	a, b := reps[0].ob.Stats("telegram"), reps[1].ob.Stats("telegram")
	if a.RateLimited+b.RateLimited != 1 {
		t.Errorf("got %d and %d 429s, want the one the fake gave", a.RateLimited, b.RateLimited)
	}
	if st := srv.LimitStats(); st.InsideRetryAfter != 0 || st.Refused != 0 {
		t.Errorf("got %+v, want no send within the retry_after and none refused", st)
	}
	if a.Sent == 0 || b.Sent == 0 {
		t.Errorf("got %d and %d sent, want both replicas sending", a.Sent, b.Sent)
	}
}
