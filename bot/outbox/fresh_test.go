package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"net"
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

// obDownFresh fails its first `down` checks as a Redis that is down does.
type obDownFresh struct {
	mu    sync.Mutex
	down  int
	err   error
	asked int
}

func (f *obDownFresh) Current(_ context.Context, m bot.Message) (bot.Message, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked++
	if f.asked <= f.down {
		return bot.Message{}, false, fmt.Errorf("check prompt message: load round r1: %w", f.err)
	}
	return m, true, nil
}

func (f *obDownFresh) Asked() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

// A check before the send that fails because Redis cannot be reached is not the
// message's fault: it is retried past MaxAttempts and sent once Redis is back,
// never buried. The same number of failures of another kind buries it.
func TestOutboxStoreDownNotCounted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, refused := net.Dial("tcp", addr) // the error a Redis that is down gives
	if refused == nil {
		t.Fatal("dial to a closed port succeeded")
	}
	for _, tt := range []struct {
		name     string
		err      error
		wantSent bool
	}{
		{"redis down", refused, true},
		{"another failure", errors.New("template kapot"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, where := range []string{"before the send", "in the channel's send"} {
				t.Run(where, func(t *testing.T) {
					env := obNewEnv(t)
					clock := obNewClock(time.Now())
					ch := &obChannel{limits: obFastLimits}
					fresh := &obDownFresh{}
					if where == "before the send" {
						fresh.down, fresh.err = 6, tt.err
					} else {
						// a channel that keeps state in Redis (WhatsApp's window) fails in Send
						ch.script = func(_ bot.Message, n int) error {
							if n < 6 {
								return fmt.Errorf("whatsapp: chat state: %w", tt.err)
							}
							return nil
						}
					}
					cfg := outbox.Config{Now: clock.Now, MaxAttempts: 3}
					o := env.outbox([]bot.Channel{ch}, cfg)
					o.SetFresh(fresh)
					m := obMsg("7", "Vraag 4 van 7")
					m.About = &bot.About{Kind: bot.AboutPrompt, Round: "r1", Question: "q4"}
					env.post(o, m, bot.Post{})
					clock.Advance(time.Minute) // it waited
					env.run(o, cfg)
					testwait.Until(t, 10*time.Second, "the message settled", func() (bool, string) {
						clock.Advance(10 * time.Minute) // past every backoff
						return env.queued(obChannelName) == 0, fmt.Sprintf("asked %d, sends %d", fresh.Asked(), ch.Count())
					})
					dead, err := env.store.DeadLetters(context.Background(), obChannelName, 10)
					if err != nil {
						t.Fatal(err)
					}
					var sent int
					for _, s := range ch.Sends() {
						if s.Err == nil {
							sent++
						}
					}
					if sent == 1 != tt.wantSent || len(dead) == 1 == tt.wantSent {
						t.Errorf("got %d sent (%d tries) and dead letters %+v after %d checks, want sent %v", sent, ch.Count(), dead, fresh.Asked(), tt.wantSent)
					}
					switch {
					case !tt.wantSent:
					case where == "before the send" && (fresh.Asked() != 7 || ch.Count() != 1):
						t.Errorf("checks %d, sends %d: want 7 checks (6 while Redis was down) and 1 send", fresh.Asked(), ch.Count())
					case where != "before the send" && ch.Count() != 7:
						t.Errorf("sends %d: want 7 (6 while Redis was down, then the one that went)", ch.Count())
					}
				})
			}
		})
	}
}
