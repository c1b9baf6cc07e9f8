package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// obFresh answers Current from a table by message text: "verlopen" is no longer true,
// "opnieuw" is rendered again as "opnieuw ✅", "fout" fails the first time.
type obFresh struct {
	mu    sync.Mutex
	asked []string
}

func (f *obFresh) Current(_ context.Context, m bot.Message) (bot.Message, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, m.Text)
	switch m.Text {
	case "verlopen":
		return bot.Message{}, false, nil
	case "opnieuw":
		return bot.Message{Text: "opnieuw ✅", To: bot.Address{Channel: "elders", ChatID: "0"}}, true, nil
	case "fout":
		if slices.Index(f.asked, "fout") == len(f.asked)-1 {
			return bot.Message{}, false, errors.New("redis: connection refused")
		}
	}
	return m, true, nil
}

func (f *obFresh) Asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

// Just before sending a message with About that waited, the outbox asks whether it is
// still true and sends what it is told: nothing, or the message rendered again (to the
// same chat). A message queued a moment ago goes as it is, unasked.
func TestOutboxFreshAtSendTime(t *testing.T) {
	about := &bot.About{Kind: bot.AboutPrompt, Round: "r1", Question: "q3"}
	tests := []struct {
		name      string
		text      string
		about     *bot.About
		wantSent  []string
		wantAsked []string
		skipped   int
		young     bool // sent at once after it was queued
	}{
		{name: "no longer true", text: "verlopen", about: about, wantAsked: []string{"verlopen"}, skipped: 1},
		{name: "rendered again", text: "opnieuw", about: about, wantSent: []string{"opnieuw ✅"}, wantAsked: []string{"opnieuw"}},
		{name: "without About", text: "verlopen", wantSent: []string{"verlopen"}},
		{name: "check fails, retried", text: "fout", about: about, wantSent: []string{"fout"}, wantAsked: []string{"fout", "fout"}},
		{name: "queued a moment ago", text: "verlopen", about: about, wantSent: []string{"verlopen"}, young: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			clock := obNewClock(time.Now())
			ch := &obChannel{limits: obFastLimits}
			fresh := &obFresh{}
			cfg := outbox.Config{Now: clock.Now}
			o := env.outbox([]bot.Channel{ch}, cfg)
			o.SetFresh(fresh) // the engine comes after the outbox
			m := obMsg("7", tt.text)
			m.About = tt.about
			env.post(o, m, bot.Post{})
			if !tt.young {
				clock.Advance(time.Minute) // it waited: behind a broadcast, or a lease
			}
			env.run(o, cfg)
			testwait.Until(t, 5*time.Second, "the message settled", func() (bool, string) {
				if len(fresh.Asked()) == 1 && tt.name == "check fails, retried" {
					clock.Advance(time.Minute) // past the backoff
				}
				return env.queued(obChannelName) == 0, fmt.Sprintf("asked %q, sent %q", fresh.Asked(), ch.Texts("7"))
			})
			if got := ch.Texts("7"); !slices.Equal(got, tt.wantSent) {
				t.Errorf("got sent %q, want %q", got, tt.wantSent)
			}
			if got := fresh.Asked(); !slices.Equal(got, tt.wantAsked) {
				t.Errorf("got asked %q, want %q", got, tt.wantAsked)
			}
			for _, s := range ch.Sends() {
				if s.Msg.To.ChatID != "7" {
					t.Errorf("sent to %+v, want chat 7", s.Msg.To)
				}
			}
			testwait.Until(t, 5*time.Second, "the skipped count", func() (bool, string) {
				n, err := env.store.OutboxSkipped(context.Background(), obChannelName)
				st := o.Stats(obChannelName)
				return err == nil && int(n) == tt.skipped && st.Skipped == tt.skipped,
					fmt.Sprintf("stored %d (%v), stats %+v, want %d", n, err, st, tt.skipped)
			})
		})
	}
}
