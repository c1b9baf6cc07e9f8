package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// obTelegramLimits are Telegram's limits as the channel declares them: 28/s with a
// burst of 2, one a second per chat.
var obTelegramLimits = bot.Limits{PerSecond: 28, Burst: 2, PerChatPerSecond: 1, PerChatBurst: 1, MaxChoiceData: 64}

// postBulk queues n bulk messages to distinct chats (chat ids from first on) in batches.
func (e *obEnv) postBulk(o *outbox.Outbox, first, n int, text string) {
	e.t.Helper()
	const batch = 10000
	for start := 0; start < n; start += batch {
		var out []bot.Outgoing
		for i := start; i < min(start+batch, n); i++ {
			m := obMsg(strconv.Itoa(first+i), text)
			out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk, Dedupe: "inv:r1:" + strconv.Itoa(first+i)}})
		}
		queued, err := o.PostBatch(context.Background(), out)
		if err != nil {
			e.t.Fatalf("PostBatch: %v", err)
		}
		if slices.Contains(queued, false) {
			e.t.Fatalf("PostBatch: some messages not queued")
		}
	}
}

// A resident who taps during a broadcast of 100,000 invitations gets the reply within
// a second: replies go before bulk.
func TestOutboxReplyOvertakesBroadcast(t *testing.T) {
	const n = 100_000
	env := obNewEnv(t)
	ch := &obChannel{limits: obTelegramLimits}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{ch}, cfg)
	env.postBulk(o, 1_000_000, n, "Er staat een nieuwe vragenronde voor u klaar.")
	env.run(o, cfg)
	testwait.For(t, 5*time.Second, "the broadcast under way", func() bool { return ch.Count() >= 10 })

	posted := time.Now()
	env.post(o, obMsg("42", "Vraag 2 van 7"), bot.Post{})
	testwait.Until(t, time.Second, "the reply sent within a second", func() (bool, string) {
		got := ch.Texts("42")
		return slices.Equal(got, []string{"Vraag 2 van 7"}), fmt.Sprintf("chat 42 got %q; %d sends in all", got, ch.Count())
	})
	t.Logf("reply sent %s after it was posted", time.Since(posted))
	if left := env.queued(obChannelName); left < n-200 {
		t.Errorf("got %d bulk messages still queued, want the broadcast still draining (at least %d)", left, n-200)
	}
}

// A chat with a backlog (its own limit: one a second) never delays the others, and its
// messages keep their order.
func TestOutboxSlowChatDoesNotDelayOthers(t *testing.T) {
	tests := []struct {
		name string
		prio bot.Priority
	}{
		{name: "bulk", prio: bot.Bulk},
		{name: "replies", prio: bot.Reply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			ch := &obChannel{limits: obTelegramLimits}
			cfg := outbox.Config{}
			o := env.outbox([]bot.Channel{ch}, cfg)
			var slow []string
			for i := range 8 {
				text := fmt.Sprintf("grafiek %d", i)
				env.post(o, obMsg("1", text), bot.Post{Priority: tt.prio})
				slow = append(slow, text)
			}
			for c := 2; c <= 21; c++ {
				env.post(o, obMsg(strconv.Itoa(c), "uitslag"), bot.Post{Priority: tt.prio})
			}
			start := time.Now()
			env.run(o, cfg)
			testwait.Until(t, 2*time.Second, "the 20 other chats served", func() (bool, string) {
				served := 0
				for c := 2; c <= 21; c++ {
					served += len(ch.Texts(strconv.Itoa(c)))
				}
				return served == 20, fmt.Sprintf("%d of 20 other chats served, the slow chat %d of 8", served, len(ch.Texts("1")))
			})
			if got := len(ch.Texts("1")); got > 3 {
				t.Errorf("slow chat got %d messages within %s, want at most 3 (one a second)", got, time.Since(start))
			}
			testwait.For(t, 15*time.Second, "the slow chat's backlog", func() bool { return len(ch.Texts("1")) == len(slow) })
			if got := ch.Texts("1"); !slices.Equal(got, slow) {
				t.Errorf("slow chat: got %q, want %q", got, slow)
			}
		})
	}
}

// Nothing in a sender grows with the chats it ever sent to: after a broadcast to
// 100,000 chats it holds no chat and no message.
func TestOutboxBoundedMemory(t *testing.T) {
	const n = 100_000
	env := obNewEnv(t)
	ch := &obChannel{limits: obFastLimits}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{ch}, cfg)
	env.postBulk(o, 5_000_000, n, "Uitnodiging")
	env.run(o, cfg)
	most := 0
	testwait.Until(t, 120*time.Second, "the broadcast sent", func() (bool, string) {
		_, items := o.Held(obChannelName)
		most = max(most, items)
		return env.queued(obChannelName) == 0, fmt.Sprintf("%d queued, %d sent", env.queued(obChannelName), ch.Count())
	})
	if most > 2000 {
		t.Errorf("got up to %d messages held in memory, want at most the claim caps (2000)", most)
	}
	testwait.Until(t, 5*time.Second, "the sender to forget the chats", func() (bool, string) {
		chats, items := o.Held(obChannelName)
		return chats == 0 && items == 0, fmt.Sprintf("%d chats, %d messages held", chats, items)
	})
	if got := ch.Count(); got != n {
		t.Errorf("got %d sends, want %d", got, n)
	}
}

// PostBatch queues each message once per dedupe key, in order, and reports which.
func TestOutboxPostBatch(t *testing.T) {
	env := obNewEnv(t)
	ch := &obChannel{limits: obFastLimits}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{ch}, cfg)
	out := []bot.Outgoing{
		{Message: obMsg("1", "a"), Post: bot.Post{Dedupe: "k1", Priority: bot.Bulk}},
		{Message: obMsg("1", "b"), Post: bot.Post{Dedupe: "k1", Priority: bot.Bulk}},
		{Message: obMsg("1", "c"), Post: bot.Post{Priority: bot.Bulk}},
		{Message: obMsg("1", "d"), Post: bot.Post{Dedupe: "k2"}},
	}
	queued, err := o.PostBatch(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, true, true}; !slices.Equal(queued, want) {
		t.Errorf("got queued %v, want %v", queued, want)
	}
	env.run(o, cfg)
	testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
	// the reply first, then the bulk in order
	if got, want := ch.Texts("1"), []string{"d", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
