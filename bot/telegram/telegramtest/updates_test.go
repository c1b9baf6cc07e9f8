package telegramtest

import (
	"net/http"
	"slices"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func updateIDs(us []tgbotapi.Update) []int {
	ids := []int{}
	for _, u := range us {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func TestGetUpdatesOffset(t *testing.T) {
	s, bot := newBot(t)
	for _, text := range []string{"een", "twee", "drie", "vier"} {
		s.SendText(42, text)
	}
	tests := []struct {
		name        string
		cfg         tgbotapi.UpdateConfig
		wantIDs     []int
		wantPending int
	}{
		{"no offset returns everything unconfirmed", tgbotapi.UpdateConfig{}, []int{1, 2, 3, 4}, 4},
		{"limit", tgbotapi.UpdateConfig{Limit: 2}, []int{1, 2}, 4},
		{"offset confirms lower ids", tgbotapi.UpdateConfig{Offset: 3}, []int{3, 4}, 2},
		{"confirmed updates stay gone", tgbotapi.UpdateConfig{}, []int{3, 4}, 2},
		{"negative offset keeps the last ones", tgbotapi.UpdateConfig{Offset: -1}, []int{4}, 1},
		{"offset past the end confirms all", tgbotapi.UpdateConfig{Offset: 5}, []int{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			us, err := bot.GetUpdates(tt.cfg)
			if err != nil {
				t.Fatalf("GetUpdates: %v", err)
			}
			if got := updateIDs(us); !slices.Equal(got, tt.wantIDs) {
				t.Errorf("got %v, want %v", got, tt.wantIDs)
			}
			if got := s.Pending(); got != tt.wantPending {
				t.Errorf("Pending: got %v, want %v", got, tt.wantPending)
			}
		})
	}
}

func TestSendTextShape(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantCmd  string
		wantArgs string
	}{
		{"command with payload", "/start wijk-noord", "start", "wijk-noord"},
		{"command addressed to the bot", "/stem@" + BotUsername, "stem", ""},
		{"plain text", "Ik woon in Noord", "", ""},
		{"slash inside a word", "ja/nee", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			id := s.SendText(7, tt.text)
			us, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
			if err != nil || len(us) != 1 {
				t.Fatalf("GetUpdates: got %v, %v, want one update", us, err)
			}
			m := us[0].Message
			if us[0].UpdateID != id || m == nil {
				t.Fatalf("got update %+v, want message update %d", us[0], id)
			}
			if m.Chat.ID != 7 || m.Chat.Type != "private" || m.From.ID != 7 || m.Text != tt.text {
				t.Errorf("got chat %+v from %+v text %q, want private chat 7 from 7 text %q", m.Chat, m.From, m.Text, tt.text)
			}
			if got := m.Command(); got != tt.wantCmd {
				t.Errorf("Command: got %v, want %v", got, tt.wantCmd)
			}
			if got := m.CommandArguments(); got != tt.wantArgs {
				t.Errorf("CommandArguments: got %v, want %v", got, tt.wantArgs)
			}
		})
	}
}

// waitPolling waits until n getUpdates calls are being held by the server.
func waitPolling(t *testing.T, s *Server, n int) {
	t.Helper()
	s.WaitFor(t, 5*time.Second, "a waiting long poll", func() bool {
		waiting := 0
		for _, c := range s.Calls("getUpdates") {
			if c.Status == 0 {
				waiting++
			}
		}
		return waiting == n
	})
}

func TestLongPollReturnsOnUpdate(t *testing.T) {
	s, bot := newBot(t)
	type result struct {
		us  []tgbotapi.Update
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		us, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		done <- result{us, err}
	}()
	waitPolling(t, s, 1)
	id := s.SendText(42, "hallo")
	select {
	case r := <-done:
		if r.err != nil || len(r.us) != 1 || r.us[0].UpdateID != id {
			t.Fatalf("got %v, %v, want update %d", updateIDs(r.us), r.err, id)
		}
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("got a poll of %v, want an early return", elapsed)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll did not return when an update was queued")
	}
}

func TestLongPollConflict(t *testing.T) {
	s, bot := newBot(t)
	first := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		first <- err
	}()
	waitPolling(t, s, 1)
	second := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		second <- err
	}()
	if e := tgError(t, <-first); e.Code != http.StatusConflict {
		t.Errorf("first poll: got %v, want %v", e.Code, http.StatusConflict)
	}
	s.SendText(1, "hallo")
	if err := <-second; err != nil {
		t.Errorf("second poll: got %v, want no error", err)
	}
}

func TestUpdatesBlocked(t *testing.T) {
	s, bot := newBot(t)
	s.SendText(1, "hallo")
	s.SetUpdatesBlocked(true)
	us, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(us) != 0 {
		t.Fatalf("blocked: got %v, %v, want no updates", updateIDs(us), err)
	}
	done := make(chan []tgbotapi.Update, 1)
	go func() {
		us, _ := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		done <- us
	}()
	waitPolling(t, s, 1)
	s.SetUpdatesBlocked(false)
	if got := updateIDs(<-done); len(got) != 1 {
		t.Errorf("unblocked: got %v, want [1]", got)
	}
}

func TestPressCarriesMessage(t *testing.T) {
	s, bot := newBot(t)
	msg := tgbotapi.NewMessage(5, "Kies")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Ja", "ja")))
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	s.Press(5, sent.MessageID, "ja")
	us, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(us) != 1 || us[0].CallbackQuery == nil {
		t.Fatalf("got %v, %v, want one callback query", updateIDs(us), err)
	}
	cq := us[0].CallbackQuery
	tests := []struct {
		name      string
		got, want any
	}{
		{"data", cq.Data, "ja"},
		{"from", cq.From.ID, int64(5)},
		{"message id", cq.Message.MessageID, sent.MessageID},
		{"message text", cq.Message.Text, "Kies"},
		{"message keyboard", len(cq.Message.ReplyMarkup.InlineKeyboard), 1},
		{"message from the bot", cq.Message.From.ID, bot.Self.ID},
		{"unanswered", s.CallbackAnswers()[cq.ID], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestTap(t *testing.T) {
	s, bot := newBot(t)
	row := tgbotapi.NewInlineKeyboardRow
	data := tgbotapi.NewInlineKeyboardButtonData
	first := tgbotapi.NewMessage(9, "Vraag 1")
	first.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(row(data("Ja", "q1:ja"), data("Nee", "q1:nee")), row(data("Nee, toch niet", "q1:nooit")))
	second := tgbotapi.NewMessage(9, "Vraag 2")
	second.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(row(data("Ja", "q2:ja"), tgbotapi.NewInlineKeyboardButtonURL("Meer info", "https://example.org")))
	for _, m := range []tgbotapi.MessageConfig{first, second} {
		if _, err := bot.Send(m); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	tests := []struct {
		name     string
		label    string
		wantData string // "" when Tap must fail
	}{
		{"exact on the newest message", "Ja", "q2:ja"},
		{"exact beats prefix", "Nee", "q1:nee"},
		{"unique prefix", "Nee,", "q1:nooit"},
		{"ambiguous prefix", "N", ""},
		{"URL buttons are not pressable", "Meer info", ""},
		{"no such button", "Misschien", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Pending()
			err := s.Tap(9, tt.label)
			if tt.wantData == "" {
				if err == nil || s.Pending() != before {
					t.Errorf("got %v and %d updates, want an error and none", err, s.Pending()-before)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			us, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: -1})
			if err != nil || len(us) != 1 {
				t.Fatalf("GetUpdates: got %v, %v", updateIDs(us), err)
			}
			if got := us[0].CallbackQuery.Data; got != tt.wantData {
				t.Errorf("got %v, want %v", got, tt.wantData)
			}
		})
	}
	if got := s.Buttons(9); len(got) != 1 || got[0][1].URL != "https://example.org" {
		t.Errorf("Buttons: got %v, want the newest keyboard", got)
	}
}

func TestDeliverRawUpdate(t *testing.T) {
	s, bot := newBot(t)
	raw := `{"update_id": 999, "message": {"message_id": 3, "date": 1441645532,
		"from": {"id": 77, "is_bot": false, "first_name": "Anna"},
		"chat": {"id": 77, "first_name": "Anna", "type": "private"}, "text": "Hallo"}}`
	id, err := s.Deliver([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	next := s.SendText(77, "/start")
	updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: 0, Timeout: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(updates) != 2 || updates[0].UpdateID != id || updates[0].Message == nil || updates[0].Message.Text != "Hallo" ||
		updates[1].UpdateID != next || next != id+1 {
		t.Fatalf("got %+v, want the raw update as %d, then /start as %d", updates, id, id+1)
	}
	if _, err := s.Deliver([]byte(`[1]`)); err == nil {
		t.Errorf("Deliver of an array: got nil error, want one")
	}
}
