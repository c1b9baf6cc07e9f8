package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
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
	"github.com/redis/go-redis/v9"
)

// obChannelName is the name of the scripted test channel.
const obChannelName = "ob"

// obFastLimits let the scripted channel send as fast as the outbox can.
var obFastLimits = bot.Limits{PerSecond: 10000, Burst: 100, PerChatPerSecond: 10000, PerChatBurst: 100, MaxChoiceData: 64}

// obSend is one Send call the scripted channel received.
type obSend struct {
	Msg  bot.Message
	At   time.Time // by the outbox's clock
	Err  error     // what the channel answered
	Done time.Time // when it answered (real clock)
}

// obChannel is a bot.Channel that records sends and answers them from a script.
type obChannel struct {
	limits bot.Limits
	now    func() time.Time
	// script answers the n-th (from 0) send of a message text; nil sends all.
	script func(m bot.Message, n int) error
	// delay, when set, is slept before answering (to shuffle workers).
	delay func() time.Duration

	mu    sync.Mutex
	sends []obSend
}

var _ bot.Channel = (*obChannel)(nil)

func (c *obChannel) Name() string       { return obChannelName }
func (c *obChannel) Limits() bot.Limits { return c.limits }

func (c *obChannel) Run(ctx context.Context, _ bot.Handler) error {
	<-ctx.Done()
	return nil
}

func (c *obChannel) Send(ctx context.Context, m bot.Message) error {
	at := time.Now()
	if c.now != nil {
		at = c.now()
	}
	if c.delay != nil {
		time.Sleep(c.delay())
	}
	var err error
	if c.script != nil {
		c.mu.Lock()
		n := 0
		for _, s := range c.sends {
			if s.Msg.Text == m.Text {
				n++
			}
		}
		c.mu.Unlock()
		err = c.script(m, n)
	}
	c.mu.Lock()
	c.sends = append(c.sends, obSend{Msg: m, At: at, Err: err, Done: time.Now()})
	c.mu.Unlock()
	return err
}

// Sends is every send so far, in order.
func (c *obChannel) Sends() []obSend {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sends)
}

// Count is the number of sends so far.
func (c *obChannel) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sends)
}

// Texts are the texts sent to chat, failed sends included.
func (c *obChannel) Texts(chat string) []string {
	var out []string
	for _, s := range c.Sends() {
		if s.Msg.To.ChatID == chat {
			out = append(out, s.Msg.Text)
		}
	}
	return out
}

// obClock is the outbox's clock: real time moved by a settable offset.
type obClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func obNewClock(start time.Time) *obClock { return &obClock{offset: time.Until(start)} }

func (c *obClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *obClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// obEnv is an outbox on a private Redis.
type obEnv struct {
	t     *testing.T
	store *storage.Store
	rdb   redis.UniversalClient
}

func obNewEnv(t *testing.T) *obEnv {
	t.Helper()
	rdb := redistest.StartAny(t)
	return &obEnv{t: t, store: storage.New(rdb), rdb: rdb}
}

func obLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// outbox returns a new outbox on the env's store.
func (e *obEnv) outbox(chans []bot.Channel, cfg outbox.Config) *outbox.Outbox {
	return outbox.New(e.store, chans, cfg, obLogger())
}

// run runs the outbox until the returned stop is called or the test ends; stop waits
// for Run to return.
func (e *obEnv) run(o *outbox.Outbox, cfg outbox.Config) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("outbox Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				e.t.Errorf("outbox Run did not return after cancel")
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

func (e *obEnv) post(o *outbox.Outbox, m bot.Message, p bot.Post) bool {
	e.t.Helper()
	ok, err := o.Post(context.Background(), m, p)
	if err != nil {
		e.t.Fatalf("Post: %v", err)
	}
	return ok
}

// queued is how many messages of the channel are still queued.
func (e *obEnv) queued(channel string) int64 {
	e.t.Helper()
	n, err := e.store.OutboxLen(context.Background(), channel)
	if err != nil {
		e.t.Fatalf("OutboxLen: %v", err)
	}
	return n
}

func (e *obEnv) nextDue(channel string) (time.Time, bool) {
	e.t.Helper()
	due, ok, err := e.store.NextDue(context.Background(), channel)
	if err != nil {
		e.t.Fatalf("NextDue: %v", err)
	}
	return due, ok
}

func obMsg(chat, text string) bot.Message {
	return bot.Message{To: bot.Address{Channel: obChannelName, ChatID: chat}, Text: text}
}

func TestOutboxDedupe(t *testing.T) {
	tests := []struct {
		name       string
		keys       []string // one Post each, same message
		wantQueued []bool
		wantSends  int
	}{
		{name: "same key twice", keys: []string{"invite:r1:p1", "invite:r1:p1"}, wantQueued: []bool{true, false}, wantSends: 1},
		{name: "no key twice", keys: []string{"", ""}, wantQueued: []bool{true, true}, wantSends: 2},
		{name: "different keys", keys: []string{"invite:r1:p1", "invite:r2:p1"}, wantQueued: []bool{true, true}, wantSends: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			ch := &obChannel{limits: obFastLimits}
			cfg := outbox.Config{}
			o := env.outbox([]bot.Channel{ch}, cfg)
			var got []bool
			for _, k := range tt.keys {
				got = append(got, env.post(o, obMsg("1", "Uitnodiging"), bot.Post{Dedupe: k}))
			}
			if !slices.Equal(got, tt.wantQueued) {
				t.Errorf("got queued %v, want %v", got, tt.wantQueued)
			}
			env.run(o, cfg)
			testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
			if got := len(ch.Sends()); got != tt.wantSends {
				t.Errorf("got %d sends, want %d", got, tt.wantSends)
			}
			// a key stays used after its message went out
			if tt.keys[0] != "" && env.post(o, obMsg("1", "Uitnodiging"), bot.Post{Dedupe: tt.keys[0]}) {
				t.Errorf("got key %q queued again after sending, want refused", tt.keys[0])
			}
		})
	}
}

// Messages to one chat leave in the order they were posted, an edit included, however
// the chats spread over the workers.
func TestOutboxKeepsOrderPerChat(t *testing.T) {
	const chats, perChat = 40, 8
	env := obNewEnv(t)
	ch := &obChannel{limits: obFastLimits,
		delay: func() time.Duration { return time.Duration(rand.IntN(2000)) * time.Microsecond }}
	cfg := outbox.Config{Workers: 8}
	o := env.outbox([]bot.Channel{ch}, cfg)
	env.run(o, cfg)
	want := map[string][]string{}
	for i := range perChat {
		for c := range chats {
			chat := strconv.Itoa(1000 + c)
			m := obMsg(chat, fmt.Sprintf("%s-%d", chat, i))
			if i == 1 {
				m.EditRef = chat + ":1" // the answer shown on the question, then the next question
			}
			env.post(o, m, bot.Post{})
			want[chat] = append(want[chat], m.Text)
		}
	}
	testwait.For(t, 10*time.Second, "all messages sent", func() bool { return len(ch.Sends()) >= chats*perChat })
	for chat, w := range want {
		if got := ch.Texts(chat); !slices.Equal(got, w) {
			t.Errorf("chat %s: got %q, want %q", chat, got, w)
		}
	}
}

// After a failed send, later messages to the same chat wait for it rather than overtake it.
func TestOutboxKeepsOrderAfterFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{name: "rate limited", err: &bot.RateLimitedError{RetryAfter: time.Second}},
		{name: "temporary", err: errors.New("connection reset by peer")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			clock := obNewClock(time.Now())
			ch := &obChannel{limits: obFastLimits, now: clock.Now, script: func(m bot.Message, n int) error {
				if m.Text == "vraag 1" && n == 0 {
					return tt.err
				}
				return nil
			}}
			cfg := outbox.Config{Now: clock.Now}
			o := env.outbox([]bot.Channel{ch}, cfg)
			for _, text := range []string{"vraag 1", "vraag 2", "vraag 3"} {
				env.post(o, obMsg("7", text), bot.Post{})
			}
			env.run(o, cfg)
			testwait.For(t, 5*time.Second, "the first failure", func() bool { return len(ch.Sends()) > 0 })
			clock.Advance(time.Minute) // past any backoff
			testwait.For(t, 5*time.Second, "all sent", func() bool { return env.queued(obChannelName) == 0 })
			want := []string{"vraag 1", "vraag 1", "vraag 2", "vraag 3"}
			if got := ch.Texts("7"); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// A 429 pauses the whole channel: the limited message and other chats' messages wait.
func TestOutboxRateLimitPausesChannel(t *testing.T) {
	t.Parallel()
	const retryAfter = 2 * time.Second
	env := obNewEnv(t)
	ch := &obChannel{limits: obFastLimits, script: func(m bot.Message, n int) error {
		if m.Text == "eerste" && n == 0 {
			return fmt.Errorf("telegram sendMessage: %w", &bot.RateLimitedError{RetryAfter: retryAfter})
		}
		return nil
	}}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{ch}, cfg)
	env.run(o, cfg)
	env.post(o, obMsg("1", "eerste"), bot.Post{})
	testwait.For(t, 5*time.Second, "the limited send", func() bool { return len(ch.Sends()) == 1 })
	limitedAt := ch.Sends()[0].At
	for c := 2; c <= 6; c++ {
		env.post(o, obMsg(strconv.Itoa(c), "later"), bot.Post{})
	}
	testwait.For(t, 5*time.Second, "all sent", func() bool { return env.queued(obChannelName) == 0 })

	sends := ch.Sends()
	if got, want := len(sends), 7; got != want {
		t.Fatalf("got %d sends, want %d", got, want)
	}
	for _, s := range sends[1:] {
		if wait := s.At.Sub(limitedAt); wait < retryAfter {
			t.Errorf("chat %s %q sent %s after the 429, want at least %s", s.Msg.To.ChatID, s.Msg.Text, wait, retryAfter)
		}
	}
}

// How the outbox settles each kind of failure (send errors as channels wrap them).
func TestOutboxSettlesFailures(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		participant string
		wantGone    []string
	}{
		{name: "recipient gone", err: fmt.Errorf("telegram sendMessage: %w: Forbidden: bot was blocked by the user", bot.ErrRecipientGone),
			participant: "p-anna", wantGone: []string{"p-anna"}},
		{name: "recipient gone, no participant", err: bot.ErrRecipientGone},
		{name: "permanent", err: fmt.Errorf("telegram sendMessage: %w: 400 Bad Request: message text is empty", bot.ErrPermanent),
			participant: "p-anna"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			ch := &obChannel{limits: obFastLimits, script: func(m bot.Message, _ int) error {
				if m.Text == "mislukt" {
					return tt.err
				}
				return nil
			}}
			var mu sync.Mutex
			var gone []string
			cfg := outbox.Config{OnGone: func(_ context.Context, pid string) error {
				mu.Lock()
				defer mu.Unlock()
				gone = append(gone, pid)
				return nil
			}}
			o := env.outbox([]bot.Channel{ch}, cfg)
			m := obMsg("1", "mislukt")
			m.Participant = tt.participant
			env.post(o, m, bot.Post{})
			env.post(o, obMsg("2", "gelukt"), bot.Post{})
			env.run(o, cfg)
			// a retried message would stay queued
			testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
			if got := ch.Texts("1"); len(got) != 1 {
				t.Errorf("got %d sends of the failing message, want 1", len(got))
			}
			if got := ch.Texts("2"); len(got) != 1 {
				t.Errorf("got %d sends of the other message, want 1", len(got))
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(gone, tt.wantGone) {
				t.Errorf("got OnGone %q, want %q", gone, tt.wantGone)
			}
		})
	}
}

// Temporary failures are retried after 2s, 4s, … (by the outbox's clock) until the
// message goes or MaxAttempts is reached.
func TestOutboxRetriesTemporaryFailures(t *testing.T) {
	tests := []struct {
		name        string
		failures    int
		maxAttempts int
		wantDelays  []time.Duration // between the sends
		wantSent    bool
	}{
		{name: "succeeds on the third attempt", failures: 2, maxAttempts: 8,
			wantDelays: []time.Duration{2 * time.Second, 4 * time.Second}, wantSent: true},
		{name: "gives up after max attempts", failures: 100, maxAttempts: 3,
			wantDelays: []time.Duration{2 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			clock := obNewClock(time.Now())
			ch := &obChannel{limits: obFastLimits, now: clock.Now, script: func(_ bot.Message, n int) error {
				if n < tt.failures {
					return errors.New("read tcp: connection reset by peer")
				}
				return nil
			}}
			cfg := outbox.Config{Now: clock.Now, MaxAttempts: tt.maxAttempts, Lease: time.Hour}
			o := env.outbox([]bot.Channel{ch}, cfg)
			env.post(o, obMsg("1", "herinnering"), bot.Post{})
			env.run(o, cfg)

			for i, delay := range tt.wantDelays {
				testwait.For(t, 5*time.Second, fmt.Sprintf("send %d", i+1), func() bool { return len(ch.Sends()) == i+1 })
				failedAt := ch.Sends()[i].At
				// put back for a retry: due well before the lease would bring it back
				var due time.Time
				testwait.For(t, 5*time.Second, "the retry", func() bool {
					d, ok := env.nextDue(obChannelName)
					due = d
					return ok && d.Before(failedAt.Add(30*time.Minute))
				})
				if got := due.Sub(failedAt); got < delay || got > delay+time.Second {
					t.Errorf("retry %d due %s after the failure, want %s", i+1, got, delay)
				}
				if n := len(ch.Sends()); n != i+1 {
					t.Fatalf("got %d sends before the retry was due, want %d", n, i+1)
				}
				clock.Advance(delay)
			}
			testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
			sends := ch.Sends()
			if got, want := len(sends), len(tt.wantDelays)+1; got != want {
				t.Errorf("got %d sends, want %d", got, want)
			}
			if got := sends[len(sends)-1].Err == nil; got != tt.wantSent {
				t.Errorf("got last send ok %v, want %v", got, tt.wantSent)
			}
		})
	}
}

// A message claimed by a sender that then died comes back after the lease and is sent
// once by the next outbox.
func TestOutboxLeaseBringsBackClaimedMessage(t *testing.T) {
	const lease = 200 * time.Millisecond
	tests := []struct {
		name string
		// die claims the message and abandons it
		die func(t *testing.T, env *obEnv)
	}{
		{
			name: "claimed, never settled",
			die: func(t *testing.T, env *obEnv) {
				items, err := env.store.Claim(context.Background(), obChannelName, time.Now(), lease, 100)
				if err != nil || len(items) != 1 {
					t.Fatalf("Claim: got %d items, %v; want 1", len(items), err)
				}
			},
		},
		{
			name: "stopped in the middle of a send",
			die: func(t *testing.T, env *obEnv) {
				hung := &obChannel{limits: obFastLimits}
				started := make(chan struct{})
				var once sync.Once
				hung.script = func(bot.Message, int) error {
					once.Do(func() { close(started) })
					time.Sleep(300 * time.Millisecond) // still sending when stopped
					return context.Canceled
				}
				cfg := outbox.Config{Lease: lease}
				stop := env.run(env.outbox([]bot.Channel{hung}, cfg), cfg)
				select {
				case <-started:
				case <-time.After(5 * time.Second):
					t.Fatal("the first outbox never sent")
				}
				stop()
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			ch := &obChannel{limits: obFastLimits}
			cfg := outbox.Config{Lease: lease}
			o := env.outbox([]bot.Channel{ch}, cfg)
			env.post(o, obMsg("1", "uitnodiging"), bot.Post{Dedupe: "invite:r1:p1"})
			diedAt := time.UnixMilli(time.Now().UnixMilli()) // the queue keeps whole ms
			tt.die(t, env)
			env.run(o, cfg)
			testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
			sends := ch.Sends()
			if len(sends) != 1 {
				t.Fatalf("got %d sends, want 1", len(sends))
			}
			if wait := sends[0].At.Sub(diedAt); wait < lease {
				t.Errorf("sent %s after the claim, want after the %s lease", wait, lease)
			}
		})
	}
}

// A lease that runs out while a message still waits for its worker does not make this
// outbox send it twice.
func TestOutboxLeaseRunsOutWhileQueued(t *testing.T) {
	env := obNewEnv(t)
	ch := &obChannel{limits: obFastLimits, delay: func() time.Duration { return 150 * time.Millisecond }}
	cfg := outbox.Config{Lease: 100 * time.Millisecond, Workers: 1}
	o := env.outbox([]bot.Channel{ch}, cfg)
	var want []string
	for i := range 4 {
		text := "bericht " + strconv.Itoa(i)
		env.post(o, obMsg("1", text), bot.Post{})
		want = append(want, text)
	}
	env.run(o, cfg)
	testwait.For(t, 5*time.Second, "an empty queue", func() bool { return env.queued(obChannelName) == 0 })
	// the one worker sends a last message only after any copies still in its queue
	env.post(o, obMsg("1", "laatste"), bot.Post{})
	want = append(want, "laatste")
	testwait.For(t, 5*time.Second, "the last message", func() bool { return slices.Contains(ch.Texts("1"), "laatste") })
	if got := ch.Texts("1"); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// With telegram.DefaultLimits the outbox keeps to Telegram's pace: about 30 messages a
// second overall, one a second per chat after a short burst. A check of the pacing.
func TestOutboxTelegramLimits(t *testing.T) {
	const token = "5555:outbox-limits-token"
	env := obNewEnv(t)
	srv := telegramtest.NewServer(t, token)
	tg, err := telegram.New(telegram.Config{Token: token, APIEndpoint: srv.Endpoint()}, obLogger())
	if err != nil {
		t.Fatalf("telegram.New: %v", err)
	}
	if got := tg.Limits(); got != telegram.DefaultLimits {
		t.Fatalf("got limits %+v, want the defaults %+v", got, telegram.DefaultLimits)
	}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{tg}, cfg)
	const busy = 9000
	for i := range 6 {
		env.post(o, bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(busy)}, Text: "Vraag " + strconv.Itoa(i)}, bot.Post{})
	}
	env.run(o, cfg)
	// the busy chat has the channel to itself for its burst, so its own limit binds
	srv.WaitFor(t, 5*time.Second, "the burst", func() bool { return len(srv.Chat(busy)) >= 3 })
	for i := range 60 {
		env.post(o, bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(8000 + i)}, Text: "Uitnodiging"}, bot.Post{})
	}
	// delivered, not only tried: a call the fake refused (429) is retried later
	srv.WaitFor(t, 10*time.Second, "all 66 messages delivered", func() bool {
		if len(srv.Chat(busy)) < 6 {
			return false
		}
		for i := range 60 {
			if len(srv.Chat(int64(8000+i))) == 0 {
				return false
			}
		}
		return true
	})
	if got := srv.MaxGlobalRate(time.Second); got > 30 {
		t.Errorf("got %d messages within a second overall, want at most 30", got)
	}
	if got := srv.MaxRate(busy, time.Second); got > 4 {
		t.Errorf("got %d messages within a second to one chat, want at most 4", got)
	}
	if got := len(srv.Chat(busy)); got != 6 {
		t.Errorf("got %d messages in the busy chat, want 6", got)
	}
}
