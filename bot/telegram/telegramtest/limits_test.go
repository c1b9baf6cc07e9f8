package telegramtest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// send sends a text to chat and returns the answer's status and retry_after.
func send(t *testing.T, bot *tgbotapi.BotAPI, chat int64) (int, int, string) {
	t.Helper()
	_, err := bot.Send(tgbotapi.NewMessage(chat, "bericht"))
	if err == nil {
		return 200, 0, ""
	}
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *tgbotapi.Error", err, err)
	}
	return e.Code, e.RetryAfter, e.Message
}

// Flood control refuses what is over the limits with Telegram's 429, counts what comes
// in during the retry_after it told, and lets calls through again when the second has
// passed.
func TestEnforceLimits(t *testing.T) {
	tests := []struct {
		name       string
		limits     Limits
		chats      []int64 // one send each, at once
		wantCodes  []int
		wantInside int // calls that came in after a 429, inside its retry_after
		wantChat   int // MaxPerChat
	}{
		{name: "global", limits: Limits{Global: 3}, chats: []int64{1, 2, 3, 4, 5},
			wantCodes: []int{200, 200, 200, 429, 429}, wantInside: 1, wantChat: 1},
		{name: "per chat", limits: Limits{PerChat: 1}, chats: []int64{1, 1, 2, 2, 3},
			wantCodes: []int{200, 429, 200, 429, 200}, wantInside: 3, wantChat: 2},
		{name: "both", limits: Limits{Global: 2, PerChat: 1}, chats: []int64{1, 1, 2, 3},
			wantCodes: []int{200, 429, 200, 429}, wantInside: 2, wantChat: 2},
		{name: "off", chats: []int64{1, 1, 1, 1, 1, 1}, wantCodes: []int{200, 200, 200, 200, 200, 200}, wantChat: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			s.EnforceLimits(tt.limits)
			var codes []int
			for _, chat := range tt.chats {
				code, retryAfter, msg := send(t, bot, chat)
				codes = append(codes, code)
				if code == 429 && (retryAfter != 1 || msg != "Too Many Requests: retry after 1") {
					t.Errorf("429: got retry_after %d %q, want 1 \"Too Many Requests: retry after 1\"", retryAfter, msg)
				}
			}
			if fmt.Sprint(codes) != fmt.Sprint(tt.wantCodes) {
				t.Errorf("got codes %v, want %v", codes, tt.wantCodes)
			}
			st := s.LimitStats()
			refused := 0
			for _, c := range tt.wantCodes {
				if c == 429 {
					refused++
				}
			}
			want := LimitStats{Refused: refused, InsideRetryAfter: tt.wantInside, MaxGlobal: len(tt.chats), MaxPerChat: tt.wantChat}
			if st != want {
				t.Errorf("got stats %+v, want %+v", st, want)
			}
			// refused calls did not arrive as messages
			if got := len(s.Chat(tt.chats[0])); got != countOf(tt.chats[0], tt.chats, tt.wantCodes) {
				t.Errorf("chat %d: got %d messages, want %d", tt.chats[0], got, countOf(tt.chats[0], tt.chats, tt.wantCodes))
			}
		})
	}
}

func countOf(chat int64, chats []int64, codes []int) int {
	n := 0
	for i, c := range chats {
		if c == chat && codes[i] == 200 {
			n++
		}
	}
	return n
}

// After the second has passed, a refused chat may send again.
func TestEnforceLimitsWindowPasses(t *testing.T) {
	s, bot := newBot(t)
	s.EnforceLimits(Limits{PerChat: 1})
	first := time.Now() // before the fake's own clock for the first send
	if code, _, _ := send(t, bot, 7); code != 200 {
		t.Fatalf("first send: got %d, want 200", code)
	}
	var codes []int
	testwait.For(t, 3*time.Second, "the chat accepted again", func() bool {
		code, _, _ := send(t, bot, 7)
		codes = append(codes, code)
		return code == 200
	})
	if elapsed := time.Since(first); elapsed < time.Second {
		t.Errorf("accepted again %s after the first, want after a second", elapsed)
	}
	if st := s.LimitStats(); st.Refused != len(codes)-1 {
		t.Errorf("got %d refused, want %d (every try before the second passed)", st.Refused, len(codes)-1)
	}
}

// A 429 from RateLimit or a hook opens a retry_after window too.
func TestRetryAfterWindowCounts(t *testing.T) {
	tests := []struct {
		name   string
		inject func(s *Server)
	}{
		{name: "canned", inject: func(s *Server) { s.RateLimit(1, 30) }},
		{name: "hook", inject: func(s *Server) {
			n := 0
			s.SetHook(func(*Request) Action {
				n++ // calls are sequential here
				if n == 1 {
					return Throttle(30)
				}
				return Proceed
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			tt.inject(s)
			for range 3 {
				send(t, bot, 1)
			}
			if got := s.LimitStats().InsideRetryAfter; got != 2 {
				t.Errorf("got %d calls inside retry_after, want 2", got)
			}
		})
	}
}

// With Limits.InFlight, a call that arrives just after a 429 was answered (on its way
// already, from another process) is counted apart; a later one inside the window is
// inside.
func TestRetryAfterInFlight(t *testing.T) {
	s, bot := newBot(t)
	s.EnforceLimits(Limits{InFlight: time.Second})
	s.RateLimit(1, 30)
	send(t, bot, 1) // the 429
	send(t, bot, 1) // at once: in flight
	time.Sleep(1500 * time.Millisecond)
	send(t, bot, 1) // decided after the 429 could be known: inside
	if st := s.LimitStats(); st.InFlight != 1 || st.InsideRetryAfter != 1 {
		t.Errorf("got in flight %d, inside %d; want 1 and 1", st.InFlight, st.InsideRetryAfter)
	}
}
