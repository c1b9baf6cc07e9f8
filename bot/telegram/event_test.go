package telegram

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
)

// loadUpdates reads a getUpdates answer shaped as in core.telegram.org/bots/api#getupdates.
func loadUpdates(t *testing.T, path string) map[int]tgbotapi.Update {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var resp struct {
		OK     bool              `json:"ok"`
		Result []tgbotapi.Update `json:"result"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	byID := map[int]tgbotapi.Update{}
	for _, u := range resp.Result {
		byID[u.UpdateID] = u
	}
	return byID
}

func TestEvent(t *testing.T) {
	updates := loadUpdates(t, "testdata/updates.json")
	tests := []struct {
		name     string
		updateID int
		want     bot.Event
		wantOK   bool
	}{
		{name: "command with argument", updateID: 100, wantOK: true, want: bot.Event{Lang: "nl", Kind: bot.CommandEvent,
			Channel: "telegram", UpdateID: "100", UserID: "1111111", ChatID: "1111111", Command: "start", Args: "uitnodiging",
			At: time.Unix(1441645532, 0)}},
		{name: "text", updateID: 101, wantOK: true, want: bot.Event{Lang: "en-GB", Kind: bot.TextEvent,
			Channel: "telegram", UpdateID: "101", UserID: "1111111", ChatID: "1111111", Text: "Meer bankjes op het plein",
			At: time.Unix(1441645540, 0)}},
		{name: "button press", updateID: 102, wantOK: true, want: bot.Event{Lang: "ar", Kind: bot.ChoiceEvent,
			Channel: "telegram", UpdateID: "102", UserID: "1111111", ChatID: "1111111", Data: "consent:yes",
			MessageRef: "1111111:1367"}}, // a press has no date of its own: At stays zero
		{name: "command addressed to the bot by name", updateID: 108, wantOK: true, want: bot.Event{Kind: bot.CommandEvent,
			Channel: "telegram", UpdateID: "108", UserID: "1111111", ChatID: "1111111", Command: "start",
			At: time.Unix(1441645580, 0)}},
		{name: "supergroup command ignored", updateID: 103},
		{name: "group text ignored", updateID: 104},
		{name: "group button press ignored", updateID: 105},
		{name: "edited message ignored", updateID: 106},
		{name: "message from a bot ignored", updateID: 107},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, found := updates[tt.updateID]
			if !found {
				t.Fatalf("testdata has no update %d", tt.updateID)
			}
			got, ok := event(u)
			if ok != tt.wantOK {
				t.Fatalf("got ok %v, want %v (event %+v)", ok, tt.wantOK, got)
			}
			if ok && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
