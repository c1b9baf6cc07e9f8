package outbox_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// After a 429 nothing is sent on the channel until retry_after has passed: also not
// by the sends that were already waiting for their turn in the limits when it came.
func TestOutboxRetryAfterHoldsWaitingSends(t *testing.T) {
	const retryAfter = time.Second
	env := obNewEnv(t)
	ch := &obChannel{limits: bot.Limits{PerSecond: 40, Burst: 4, PerChatPerSecond: 1},
		delay: func() time.Duration { return 20 * time.Millisecond },
		script: func(m bot.Message, n int) error {
			if m.Text == "te veel" && n == 0 {
				return fmt.Errorf("telegram sendMessage: %w", &bot.RateLimitedError{RetryAfter: retryAfter})
			}
			return nil
		}}
	cfg := outbox.Config{Workers: 8}
	o := env.outbox([]bot.Channel{ch}, cfg)
	for c := range 30 {
		text := "uitnodiging"
		if c == 5 {
			text = "te veel"
		}
		env.post(o, obMsg(strconv.Itoa(100+c), text), bot.Post{Priority: bot.Bulk})
	}
	env.run(o, cfg)
	testwait.For(t, 10*time.Second, "all sent", func() bool { return env.queued(obChannelName) == 0 })
	var limited obSend
	for _, s := range ch.Sends() {
		if s.Err != nil {
			limited = s
		}
	}
	if limited.Done.IsZero() {
		t.Fatal("the 429 never came")
	}
	for _, s := range ch.Sends() {
		// At is when Send was called (the outbox clock is the real one here)
		if s.At.After(limited.Done) && s.At.Before(limited.Done.Add(retryAfter)) {
			t.Errorf("chat %s %q sent %s after the 429, inside its retry_after of %s",
				s.Msg.To.ChatID, s.Msg.Text, s.At.Sub(limited.Done), retryAfter)
		}
	}
	if st := o.Stats(obChannelName); st.RateLimited != 1 || st.Sent != 30 {
		t.Errorf("got stats %+v, want 1 rate limited and 30 sent", st)
	}
}

// Against a Telegram fake that enforces 30 a second and one a second per chat, the
// outbox with the channel's default limits is never refused, never sends more than 30
// in any second or two to one chat within a second, and keeps each chat's order.
func TestOutboxWithinEnforcedTelegramLimits(t *testing.T) {
	const token = "5555:enforced-limits-token"
	env := obNewEnv(t)
	srv := telegramtest.NewServer(t, token)
	srv.EnforceLimits(telegramtest.Limits{Global: 30, PerChat: 1})
	tg, err := telegram.New(telegram.Config{Token: token, APIEndpoint: srv.Endpoint()}, obLogger())
	if err != nil {
		t.Fatalf("telegram.New: %v", err)
	}
	cfg := outbox.Config{}
	o := env.outbox([]bot.Channel{tg}, cfg)
	const chats, each = 40, 3
	for i := range each {
		for c := range chats {
			p := bot.Post{Priority: bot.Bulk}
			if c%4 == 0 {
				p.Priority = bot.Reply // replies and bulk mixed
			}
			env.post(o, bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(7000 + c)}, Text: fmt.Sprintf("bericht %d", i)}, p)
		}
	}
	start := time.Now()
	env.run(o, cfg)
	testwait.Until(t, 30*time.Second, "all sent", func() (bool, string) {
		n := len(srv.Calls("sendMessage"))
		return n >= chats*each, fmt.Sprintf("%d of %d sent; %+v", n, chats*each, srv.LimitStats())
	})
	elapsed := time.Since(start)
	st := srv.LimitStats()
	if st.Refused != 0 || st.InsideRetryAfter != 0 || st.MaxGlobal > 30 || st.MaxPerChat > 1 {
		t.Errorf("got %+v, want nothing refused, at most 30 a second and 1 a second per chat", st)
	}
	for _, c := range srv.Calls("sendMessage") {
		if c.Status != http.StatusOK {
			t.Errorf("got a call answered %d %q", c.Status, c.Description)
		}
	}
	for c := range chats {
		msgs := srv.Chat(int64(7000 + c))
		for i, m := range msgs {
			if want := fmt.Sprintf("bericht %d", i); m.Text != want {
				t.Errorf("chat %d message %d: got %q, want %q", 7000+c, i, m.Text, want)
			}
		}
	}
	t.Logf("%d messages in %s", chats*each, elapsed)
}
