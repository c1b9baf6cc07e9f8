package telegramtest

import (
	"context"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// echoBot is a minimal bot on the real library: it answers every message with a
// Ja/Nee keyboard and every button press with an answer and an edit.
func echoBot(ctx context.Context, bot *tgbotapi.BotAPI) {
	offset := 0
	for ctx.Err() == nil {
		updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Timeout: 10})
		if err != nil {
			continue
		}
		for _, u := range updates {
			offset = u.UpdateID + 1
			switch {
			case u.Message != nil:
				msg := tgbotapi.NewMessage(u.Message.Chat.ID, "Doet u mee?")
				msg.ReplyMarkup = keyboardOf([]string{"Ja", "Nee"})
				_, _ = bot.Send(msg)
			case u.CallbackQuery != nil:
				cq := u.CallbackQuery
				_, _ = bot.Request(tgbotapi.NewCallback(cq.ID, ""))
				_, _ = bot.Send(tgbotapi.NewEditMessageText(cq.Message.Chat.ID, cq.Message.MessageID, "Gekozen: "+cq.Data))
			}
		}
	}
}

func TestFiftyResidents(t *testing.T) {
	const residents = 50
	s := NewServer(t, testToken)
	ctx, cancel := context.WithCancel(context.Background())
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, s.Endpoint(), ctxClient{ctx})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		echoBot(ctx, bot)
	}()
	defer func() {
		cancel()
		<-stopped
	}()

	each := func(f func(user int64) error) []error {
		var wg sync.WaitGroup
		errs := make([]error, residents)
		for i := range residents {
			wg.Go(func() { errs[i] = f(int64(1000 + i)) })
		}
		wg.Wait()
		return errs
	}
	all := func(cond func(user int64) bool) func() bool {
		return func() bool {
			for i := range residents {
				if !cond(int64(1000 + i)) {
					return false
				}
			}
			return true
		}
	}

	each(func(u int64) error { s.SendText(u, "/start"); return nil })
	s.WaitFor(t, 10*time.Second, "a keyboard for every resident", all(func(u int64) bool { return len(s.Buttons(u)) == 1 }))
	for i, err := range each(func(u int64) error { return s.Tap(u, "Ja") }) {
		if err != nil {
			t.Fatalf("resident %d: Tap: %v", i, err)
		}
	}
	s.WaitFor(t, 10*time.Second, "every vote confirmed", all(func(u int64) bool {
		last := s.Last(u)
		return last.Text == "Gekozen: ja" && last.Keyboard == nil && last.Edits == 1
	}))
	s.WaitFor(t, 10*time.Second, "all updates confirmed", func() bool { return s.Pending() == 0 })

	answers := s.CallbackAnswers()
	tests := []struct {
		name      string
		got, want any
	}{
		{"callback queries", len(answers), residents},
		{"messages per chat", len(s.Chat(1000)), 1},
		{"sendMessage calls", len(s.Calls("sendMessage")), residents},
		{"edits", len(s.Calls("editMessageText")), residents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	for id, n := range answers {
		if n != 1 {
			t.Errorf("callback %s: got %v answers, want 1", id, n)
		}
	}
}
